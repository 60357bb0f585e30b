---- MODULE MCRingHostileConsumer ----
(* The switch produces (RX ring) and the guest consumer is hostile: havoc on every load of head. *)
(* Constants, properties and flaw: see MCRingHostileConsumer.cfg.  Runs with TLC as described in ../README.md. *)
EXTENDS Ring

\* Attach-time positions (Ring's StartPos, overridden in the .cfg): the switch's
\* own tail at attach, 0 or 2C - 1 (one cell before the end of the data area on
\* the second lap, so that the first record of more than one cell needs a PAD).
\* The head its RingProducer#attach loads is havoc (Ring's Init): anything
\* within C + 1 of the tail either way, aligned or not, validated by validSpan.
MCStartPos == {0, 2 * C - 1}
====
