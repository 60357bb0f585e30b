---- MODULE MCRingDeep ----
(* Deep: bigger honest model (C = 8, 6 records up to 4 cells, offerBatch of 2). *)
(* Constants, properties and flaw: see MCRingDeep.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
