---- MODULE MCRingHostileProducer ----
(* The switch consumes (TX ring) and the guest producer is hostile: havoc on every load. *)
(* Constants, properties and flaw: see MCRingHostileProducer.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring

\* Attach-time positions (Ring's StartPos, overridden in the .cfg): here the
\* head the switch's RingConsumer#attach loads from the ring, which the guest
\* may have written: 0, or 2C - 1 (one cell before the end of the data area on
\* the second lap).  Ring's Init adds the unaligned loads, which the attach
\* rejects; the tail loads after it (0..MaxPos, unaligned or not) are havoc.
MCStartPos == {0, 2 * C - 1}
====
