---- MODULE MCRingBug8HeadLoadPlain ----
(* BUG 8: the producer loads the head with a plain load instead of ACQUIRE (access-modes.md, second *)
(* acquire edge): its stores into the space it frees may take effect before the consumer's loads   *)
(* of that space.  TLC must report NoOverwrite.                                                    *)
(* Constants, properties and flaw: see MCRingBug8HeadLoadPlain.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
