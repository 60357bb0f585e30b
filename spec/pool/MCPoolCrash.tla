---- MODULE MCPoolCrash ----
(* Switch crash and restart at any point, honest guests. g1 and g2 of      *)
(* tenant A on 2 slots; each sends one frame to the other. See             *)
(* MCPoolCrash.cfg.                                                        *)
EXTENDS Pool
MCGuests  == {"g1", "g2"}
MCSlots   == {"s1", "s2"}
MCTenant  == [g \in MCGuests |-> "A"]
MCDst     == [g \in MCGuests |-> IF g = "g1" THEN <<"g2">> ELSE <<"g1">>]
MCHostile == {}
====
