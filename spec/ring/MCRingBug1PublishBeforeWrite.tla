---- MODULE MCRingBug1PublishBeforeWrite ----
(* BUG 1: the tail is published before the record bytes are written. TLC must report NoTornRead. *)
(* Constants, properties and flaw: see MCRingBug1PublishBeforeWrite.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
