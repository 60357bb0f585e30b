---- MODULE MCPoolCrashTenants ----
(* Safety-only variant of MCPoolDeep for the default run: one switch crash *)
(* at any point, two tenants and a hostile guest together. g1 (honest) and *)
(* g2 (hostile: spoofs, garbles, keeps its descriptors, rewrites its TX    *)
(* consumer position) of tenant A, g3 of tenant B; 2 slots, so a third     *)
(* guest needs a reused slot. g1 sends to the broadcast address (flooded   *)
(* to A's ports only, also while g3 is attached), g2 to g1, g3 to g1       *)
(* (unknown in B: flooded to B's other ports only). Slots are model values *)
(* and symmetric (SYMMETRY: sound for invariants; nothing in Pool tells    *)
(* one slot from another). See MCPoolCrashTenants.cfg.                     *)
EXTENDS Pool
CONSTANTS s1, s2
MCGuests   == {"g1", "g2", "g3"}
MCSlots    == {s1, s2}
MCTenant   == [g \in MCGuests |-> IF g = "g3" THEN "B" ELSE "A"]
MCDst      == [g \in MCGuests |-> IF g = "g1" THEN <<"bcast">> ELSE <<"g1">>]
MCHostile  == {"g2"}
MCSymmetry == Permutations(MCSlots)
====
