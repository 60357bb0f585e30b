---- MODULE MCRingHostileConsumer ----
(* The switch produces (RX ring) and the guest consumer is hostile: havoc on every load of head. *)
(* Constants, properties and flaw: see MCRingHostileConsumer.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
