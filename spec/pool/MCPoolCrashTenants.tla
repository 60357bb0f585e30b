---- MODULE MCPoolCrashTenants ----
(* Safety-only variant of MCPoolDeep for the default run: one switch crash *)
(* at any point, two tenants and a hostile guest together. g1 (honest) and *)
(* g2 (hostile: any source and any destination in each record until the   *)
(* switch copies it, garbage and repairs, keeps its descriptors, rewrites  *)
(* its TX consumer position) of tenant A, g3 of tenant B, silent: it only  *)
(* receives. 2 slots, so the third guest needs a reused slot. g1 sends to  *)
(* the broadcast address (flooded to A's ports only, also while g3 is      *)
(* attached); g2's records may name g1, itself, g3 (unknown in A: flooded  *)
(* within A), a group or an unknown MAC. Slots are model values and        *)
(* symmetric (SYMMETRY: sound for invariants; nothing in Pool tells one    *)
(* slot from another). See MCPoolCrashTenants.cfg.                         *)
EXTENDS Pool
CONSTANTS s1, s2
MCGuests   == {"g1", "g2", "g3"}
MCSlots    == {s1, s2}
MCTenant   == [g \in MCGuests |-> IF g = "g3" THEN "B" ELSE "A"]
MCDst      == [g \in MCGuests |-> IF g = "g1" THEN <<"bcast">> ELSE <<>>]
MCHostile  == {"g2"}
MCSymmetry == Permutations(MCSlots)
====
