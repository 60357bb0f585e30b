---- MODULE MCPoolBugNoRepublish ----
(* BUG: a restarted switch resumes the TX ring from its status but does    *)
(* not publish the resumed position until it consumes more (RingConsumer#  *)
(* attachAt takes it as already published). A crash between the status    *)
(* store and the ring's release store leaves the ring's consumer position  *)
(* behind what was consumed for ever if the guest sends nothing more: the  *)
(* guest never gets that space back (with a full ring it can send nothing  *)
(* more, and the switch has nothing to consume). Switch crash and restart  *)
(* at any point, honest guests: g1 and g2 of tenant A on 2 slots; each     *)
(* sends one frame to the other. See MCPoolBugNoRepublish.cfg.             *)
EXTENDS Pool
MCGuests  == {"g1", "g2"}
MCSlots   == {"s1", "s2"}
MCTenant  == [g \in MCGuests |-> "A"]
MCDst     == [g \in MCGuests |-> IF g = "g1" THEN <<"g2">> ELSE <<"g1">>]
MCHostile == {}
====
