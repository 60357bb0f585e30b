---- MODULE MCRingBug2EarlyHeadPublishRefinement ----
(* BUG 2 again, only the refinement of the FIFO channel checked: the consumer publishes its head *)
(* before copying the record, the producer overwrites the record, and the consumer delivers      *)
(* content that is not the record sent.  TLC must report the refinement (Chan!Spec) violated.    *)
(* Constants, properties and flaw: see MCRingBug2EarlyHeadPublishRefinement.cfg.  Runs with TLC  *)
(* as described in ../README.md.                                                                 *)
EXTENDS Ring
====
