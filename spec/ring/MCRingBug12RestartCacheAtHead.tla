---- MODULE MCRingBug12RestartCacheAtHead ----
(* BUG 12: a restarted consumer takes its own head as the producer position it knows.  Its      *)
(* predecessor took signalled records past the tail in the ring (offer stores it once per lap),  *)
(* so the honest producer's tail is behind that head, fails the validation "never behind the    *)
(* cache", and the port is quarantined.  TLC must report NoCorrupt violated.                      *)
(* Constants, properties and flaw: see MCRingBug12RestartCacheAtHead.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring

MCConsumerRestarts == TRUE
====
