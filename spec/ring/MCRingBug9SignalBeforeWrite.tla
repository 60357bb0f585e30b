---- MODULE MCRingBug9SignalBeforeWrite ----
(* BUG 9: the producer stores a signalled header before the payload (a plain store where the     *)
(* release belongs, access-modes.md row 17): a consumer that sees the signal reads a payload not *)
(* yet written.  TLC must report NoTornRead.                                                      *)
(* Constants, properties and flaw: see MCRingBug9SignalBeforeWrite.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
