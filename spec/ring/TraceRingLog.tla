---------------------------- MODULE TraceRingLog ----------------------------
EXTENDS Integers
(* The log TraceRing.tla checks.  doms.trace.RingTraceModel writes one such  *)
(* module per trace into a temporary directory, next to copies of Ring.tla, *)
(* FifoChannel.tla and TraceRing.tla; this committed one is a short example *)
(* (one signalled record of one cell written, published, polled and        *)
(* released) so that TraceRing.tla parses on its own.                      *)
TraceLog == <<
  [e |-> "W", at |-> 0, tail |-> 1, size |-> 1, sig |-> TRUE, rat |-> 0, nsize |-> 1, line |-> 2],
  [e |-> "P", tail |-> 1, line |-> 3],
  [e |-> "B", head |-> 0, read |-> FALSE, tail |-> 0, ok |-> TRUE, t |-> 2, len |-> 0, sig |-> TRUE, line |-> 2],
  [e |-> "D", at |-> 0, t |-> 2, len |-> 0, sig |-> TRUE, ok |-> TRUE, head |-> 1, line |-> 3],
  [e |-> "E", head |-> 1, line |-> 4]
>>
FirstSize == 1
StartAt == 0
StartCache == 0
StartTailCache == 0
=============================================================================
