---- MODULE MCRingBug2EarlyHeadPublishFifo ----
(* BUG 2 again, only FifoOrder checked: the consumer publishes its head before copying the   *)
(* record, the producer overwrites the record, and the consumer delivers content that is not *)
(* the record sent.  TLC must report FifoOrder.                                              *)
(* Constants, properties and flaw: see MCRingBug2EarlyHeadPublishFifo.cfg.  Runs with TLC as *)
(* described in ../README.md.                                                                *)
EXTENDS Ring
====
