---------------------------- MODULE TracePoolLog ----------------------------
EXTENDS Integers, Sequences, TLC
(* The log TracePool.tla checks, and the constants of its run.               *)
(* doms.trace.PoolTraceModel writes one such module per trace into a         *)
(* temporary directory, next to copies of Pool.tla and TracePool.tla; this    *)
(* committed one is a short example (one guest sends one frame to an         *)
(* address nobody has, the switch attaches, forwards it nowhere and releases  *)
(* it) so that TracePool.tla parses on its own.                               *)
TraceGuests == {"a"}
TraceSlots == {"s0"}
TraceTenant == "a" :> "t1"
TraceDst == "a" :> <<"unknown">>
TraceLog == <<
  [e |-> "StartSwitch", line |-> 1],
  [e |-> "AllocatePool", line |-> 1],
  [e |-> "Assign", g |-> "a", slot |-> "s0", gen |-> 1, line |-> 2],
  [e |-> "GuestSend", g |-> "a", slot |-> "s0", gen |-> 1, id |-> 1, line |-> 3],
  [e |-> "Discover", kind |-> "attach", slot |-> "s0", gen |-> 1, mac |-> "a", txh |-> 0, quar |-> FALSE, line |-> 2],
  [e |-> "Forward", slot |-> "s0", gen |-> 1, writer |-> "a", id |-> 1, targets |-> {}, line |-> 3],
  [e |-> "SaveTx", slot |-> "s0", head |-> 1, line |-> 4],
  [e |-> "PublishTx", slot |-> "s0", head |-> 1, line |-> 5]
>>
=============================================================================
