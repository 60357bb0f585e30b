---- MODULE MCRingBug6NoPadAlone ----
(* BUG 6: on FULL the producer never writes the PAD alone, so a large record can never fit. TLC must report a liveness violation of ProducerProgress. *)
(* Constants, properties and flaw: see MCRingBug6NoPadAlone.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
