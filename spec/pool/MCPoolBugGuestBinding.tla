---- MODULE MCPoolBugGuestBinding ----
(* BUG: the binding entry lives in memory its guest can write; hostile g3  *)
(* changes its tenant. g1 and g2 of tenant A, g3 of tenant B; 2 slots, so  *)
(* a third guest needs a reused slot; one frame per guest: g1 -> g2, g2 -> *)
(* g1, g3 -> g1 (unknown in tenant B: the switch floods it to B's other    *)
(* ports only). See MCPoolBugGuestBinding.cfg.                             *)
EXTENDS Pool
MCGuests  == {"g1", "g2", "g3"}
MCSlots   == {"s1", "s2"}
MCTenant  == [g \in MCGuests |-> IF g = "g3" THEN "B" ELSE "A"]
MCDst     == [g \in MCGuests |-> IF g = "g1" THEN <<"g2">> ELSE <<"g1">>]
MCHostile == {"g3"}
====
