---- MODULE MCPoolFrames ----
(* Honest guests, no crash, two frames per guest, each with its identity   *)
(* (writer, count): g1 and g2 of tenant A on 2 slots. g1 sends to g2 and   *)
(* then to the broadcast address, g2 to g1 and then to a MAC bound to no   *)
(* guest (unknown unicast, flooded). Two equal frames of one guest are two *)
(* frames: the switch forwards each once. See MCPoolFrames.cfg.            *)
EXTENDS Pool
MCGuests  == {"g1", "g2"}
MCSlots   == {"s1", "s2"}
MCTenant  == [g \in MCGuests |-> "A"]
MCDst     == [g \in MCGuests |-> IF g = "g1" THEN <<"g2", "bcast">>
                                 ELSE <<"g1", "unknown">>]
MCHostile == {}
====
