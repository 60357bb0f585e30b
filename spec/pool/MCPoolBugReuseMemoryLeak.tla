---- MODULE MCPoolBugReuseMemoryLeak ----
(* BUG (same flaw as MCPoolBugReuseMemory, only its consequence checked):  *)
(* hostile g1 (tenant A) keeps the descriptor of its slot after it is      *)
(* retired; the slot's single memory object, zeroed in place, becomes the  *)
(* memory of g3's generation (tenant B), and through its old descriptor g1 *)
(* reaches frames of tenant B there (the shortest trace: g1 writes a frame *)
(* into g3's TX ring, which the switch would take as g3's; g3's own frames *)
(* would be as readable). g1 and g2 of tenant A, g3 of tenant B; 2 slots,  *)
(* so a third guest needs a reused slot; one frame per guest: g1 -> g2, g2 *)
(* -> g1, g3 -> g1 (unknown in tenant B: the switch floods it to B's other *)
(* ports only). See MCPoolBugReuseMemoryLeak.cfg.                          *)
EXTENDS Pool
MCGuests  == {"g1", "g2", "g3"}
MCSlots   == {"s1", "s2"}
MCTenant  == [g \in MCGuests |-> IF g = "g3" THEN "B" ELSE "A"]
MCDst     == [g \in MCGuests |-> IF g = "g1" THEN <<"g2">> ELSE <<"g1">>]
MCHostile == {"g1"}
====
