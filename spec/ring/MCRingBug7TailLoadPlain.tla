---- MODULE MCRingBug7TailLoadPlain ----
(* BUG 7: the consumer loads the tail with a plain load instead of ACQUIRE (access-modes.md, first *)
(* acquire edge): its loads of the records may be satisfied before it, from older memory.  TLC     *)
(* must report NoTornRead.                                                                          *)
(* Constants, properties and flaw: see MCRingBug7TailLoadPlain.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
