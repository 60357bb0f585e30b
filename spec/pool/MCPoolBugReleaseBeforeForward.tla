---- MODULE MCPoolBugReleaseBeforeForward ----
(* BUG: the switch releases a TX record (ring and status) before the frame *)
(* made of it is published to its destinations: RingConsumer#pollCopy,    *)
(* which publishes the consumer position at the end of the read, instead   *)
(* of pollCopyDeferred, released after the round's publishRx. A crash in   *)
(* between loses the frame: the restarted switch resumes past it. Switch   *)
(* crash and restart at any point, honest guests: g1 and g2 of tenant A on *)
(* 2 slots; each sends one frame to the other. See                         *)
(* MCPoolBugReleaseBeforeForward.cfg.                                      *)
EXTENDS Pool
MCGuests  == {"g1", "g2"}
MCSlots   == {"s1", "s2"}
MCTenant  == [g \in MCGuests |-> "A"]
MCDst     == [g \in MCGuests |-> IF g = "g1" THEN <<"g2">> ELSE <<"g1">>]
MCHostile == {}
====
