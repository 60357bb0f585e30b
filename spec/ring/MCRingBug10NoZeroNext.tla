---- MODULE MCRingBug10NoZeroNext ----
(* BUG 10: the producer does not zero the header cell after each record (access-modes.md row     *)
(* 19): a consumer that reads past the last record takes a signalled header of an earlier lap.    *)
(* TLC must report NoTornRead.                                                                    *)
(* Constants, properties and flaw: see MCRingBug10NoZeroNext.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring
====
