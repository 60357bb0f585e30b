---- MODULE MCRingRestart ----
(* Honest ends, RingProducer#offer (signalled records, the tail published once per lap), and a *)
(* consumer that may be killed and restarted between any two polls (ConsumerRestart: the        *)
(* switch's RingConsumer#attachAt).  Constants and properties: see MCRingRestart.cfg.            *)
EXTENDS Ring

MCStartPos == {0, 2 * C - 1}
MCConsumerRestarts == TRUE
====
