---- MODULE MCRingSignalsDeep ----
(* Signals, deep: C = 8, 5 records up to 4 cells, each written by offer (signalled) *)
(* or in a batch of offerBatch (batches of 2, unsignalled), mixed.  Constants and  *)
(* properties: see MCRingSignalsDeep.cfg.  Runs with TLC as described in           *)
(* ../README.md.                                                                   *)
EXTENDS Ring
====
