---- MODULE MCPoolDeep ----
(* Deep: hostile g2 (any source and destination until the switch copies   *)
(* a record, garbage and repairs, keeps its descriptors, rewrites its TX   *)
(* consumer position) and one switch crash; safety and liveness. g1 and   *)
(* g2 of tenant A on 2 slots; g1 sends to the broadcast address.           *)
(* Shrunk: three guests with slot reuse had not finished the               *)
(* liveness check in 29 minutes, and two frames per guest grew past 150,000 *)
(* states with the queue still growing at 4 minutes; the three-guest       *)
(* setting is checked for safety, with symmetry, by MCPoolCrashTenants.    *)
(* See MCPoolDeep.cfg.                                                     *)
EXTENDS Pool
MCGuests  == {"g1", "g2"}
MCSlots   == {"s1", "s2"}
MCTenant  == [g \in MCGuests |-> "A"]
MCDst     == [g \in MCGuests |-> IF g = "g1" THEN <<"bcast">> ELSE <<"g1">>]
MCHostile == {"g2"}
====
