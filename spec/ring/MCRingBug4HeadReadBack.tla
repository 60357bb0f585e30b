---- MODULE MCRingBug4HeadReadBack ----
(* BUG 4: the switch re-reads its own published head from guest-writable memory. TLC must report NoReplay. *)
(* Constants, properties and flaw: see MCRingBug4HeadReadBack.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
