---- MODULE MCRingBug5NoEndCheck ----
(* BUG 5: the consumer omits the end-of-data-area check on user records. TLC must report NoOutOfBounds. *)
(* Constants, properties and flaw: see MCRingBug5NoEndCheck.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
