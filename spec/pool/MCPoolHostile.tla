---- MODULE MCPoolHostile ----
(* Hostile guests g2 and g3 (any source and any destination in each      *)
(* record until the switch copies it, garbage and repairs, keep every      *)
(* descriptor they held, pass them to each other, and write through any of *)
(* them at any time, also after their retirement), slot reuse (a new       *)
(* memory object per generation), no crash. Safety only (liveness with a   *)
(* hostile guest is checked in MCPoolDeep). g1 and g2 of tenant A, g3 of   *)
(* tenant B; 2 slots, so a third guest needs a reused slot; one write per  *)
(* guest: g1 -> g2; g2 and g3 name any address (g1 is unknown in tenant B: *)
(* the switch floods it to B's other ports only). Slots symmetric          *)
(* (invariants only). See MCPoolHostile.cfg.                               *)
EXTENDS Pool
CONSTANTS s1, s2
MCGuests  == {"g1", "g2", "g3"}
MCSlots   == {s1, s2}
MCTenant  == [g \in MCGuests |-> IF g = "g3" THEN "B" ELSE "A"]
MCDst     == [g \in MCGuests |-> IF g = "g1" THEN <<"g2">> ELSE <<"g1">>]
MCHostile == {"g2", "g3"}
MCSymmetry == Permutations(MCSlots)
====
