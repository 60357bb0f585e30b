---- MODULE MCPoolBugReuseMemory ----
(* BUG (the previous design): one memory object per slot, zeroed in place  *)
(* when a generation is released and granted again to the next guest. g1   *)
(* (tenant A, hostile) keeps the descriptor of its slot after it is        *)
(* retired; the slot's next generation (g3, tenant B) is the same memory,  *)
(* so g1's old descriptor reaches g3's frames and the switch serves the    *)
(* memory of a released generation. g1 and g2 of tenant A, g3 of tenant B; *)
(* 2 slots, so a third guest needs a reused slot; one frame per guest: g1  *)
(* -> g2, g2 -> g1, g3 -> g1 (unknown in tenant B: the switch floods it to *)
(* B's other ports only). See MCPoolBugReuseMemory.cfg.                    *)
EXTENDS Pool
MCGuests  == {"g1", "g2", "g3"}
MCSlots   == {"s1", "s2"}
MCTenant  == [g \in MCGuests |-> IF g = "g3" THEN "B" ELSE "A"]
MCDst     == [g \in MCGuests |-> IF g = "g1" THEN <<"g2">> ELSE <<"g1">>]
MCHostile == {"g1"}
====
