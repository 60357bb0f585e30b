---- MODULE MCPoolBugFloodAllTenants ----
(* BUG: the switch floods a group or unknown destination to every other   *)
(* port, not only to the sender's tenant. No honest guest floods: g1 of    *)
(* tenant B only receives, and the frame that crosses is hostile g2's      *)
(* (tenant A), whose record names a group or an unknown MAC when the       *)
(* switch copies it. Checks that the hostile guest's choice of destination *)
(* reaches the flooding paths. See MCPoolBugFloodAllTenants.cfg.           *)
EXTENDS Pool
MCGuests  == {"g1", "g2"}
MCSlots   == {"s1", "s2"}
MCTenant  == [g \in MCGuests |-> IF g = "g1" THEN "B" ELSE "A"]
MCDst     == [g \in MCGuests |-> <<>>]
MCHostile == {"g2"}
====
