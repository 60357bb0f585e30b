---- MODULE MCRingBug11NoLapPublish ----
(* BUG 11: offer publishes the tail only after unsignalled records, never when its write enters a *)
(* new lap: the consumer stops at the first PAD (never signalled) or at a record beyond the reach *)
(* of the last tail it loaded, and what was sent is never all consumed.  TLC must report a        *)
(* liveness violation.                                                                             *)
(* Constants, properties and flaw: see MCRingBug11NoLapPublish.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
