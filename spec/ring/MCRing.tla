---- MODULE MCRing ----
(* Honest producer and consumer; RingProducer#offer (signalled records, the tail published once per lap). *)
(* Constants, properties and flaw: see MCRing.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring

\* Attach-time positions (Ring's StartPos, overridden in the .cfg): a new ring,
\* and one found at position 2C - 1, one cell before the end of the data area
\* on its second lap, so that the first record of more than one cell needs a PAD.
MCStartPos == {0, 2 * C - 1}
====
