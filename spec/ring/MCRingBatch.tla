---- MODULE MCRingBatch ----
(* Honest peers; RingProducer#offerBatch (up to 2 records per publish); records up to the whole ring. *)
(* Constants, properties and flaw: see MCRingBatch.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
