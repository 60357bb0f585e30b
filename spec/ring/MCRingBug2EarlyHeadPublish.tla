---- MODULE MCRingBug2EarlyHeadPublish ----
(* BUG 2: the consumer publishes its head before copying the record. TLC must report NoOverwrite. *)
(* Constants, properties and flaw: see MCRingBug2EarlyHeadPublish.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
