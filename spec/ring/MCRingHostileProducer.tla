---- MODULE MCRingHostileProducer ----
(* The switch consumes (TX ring) and the guest producer is hostile: havoc on every load. *)
(* Constants, properties and flaw: see MCRingHostileProducer.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
