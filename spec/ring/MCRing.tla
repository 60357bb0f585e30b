---- MODULE MCRing ----
(* Honest producer and consumer; RingProducer#offer (publish after every record). *)
(* Constants, properties and flaw: see MCRing.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
