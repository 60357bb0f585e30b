---- MODULE MCPoolBugResumeFromRing ----
(* BUG (the previous design): a restarted switch resumes a TX ring from    *)
(* the consumer position word in the ring (RingConsumer#attach), which the *)
(* guest can write, instead of from its own status. Hostile g2 rewrites    *)
(* that word back while the switch is down; the restarted switch forwards  *)
(* g2's frame to g1 a second time although the crashed switch had released *)
(* it. g1 (honest) and g2 (hostile) of tenant A on 2 slots; each sends one *)
(* frame to the other. See MCPoolBugResumeFromRing.cfg.                    *)
EXTENDS Pool
MCGuests  == {"g1", "g2"}
MCSlots   == {"s1", "s2"}
MCTenant  == [g \in MCGuests |-> "A"]
MCDst     == [g \in MCGuests |-> IF g = "g1" THEN <<"g2">> ELSE <<"g1">>]
MCHostile == {"g2"}
====
