----------------------------- MODULE TracePool -----------------------------
(***************************************************************************)
(* Trace validation of the running Java (control plane, switch, guests)    *)
(* against Pool.tla.                                                       *)
(*                                                                         *)
(* A run with -Ddoms.trace=DIR logs one event per Pool action, one file    *)
(* per process (doms.pool.PoolTrace).  doms.trace.PoolTraceModel merges    *)
(* the files in an order the protocol fixes and writes a module            *)
(* TracePoolLog (the events, and the constants of the run: its guests,     *)
(* slots, tenants and each guest's destinations) plus a .cfg for this      *)
(* module; TLC then searches for a behaviour of Pool's Next whose k-th     *)
(* step is the k-th event.  Honest runs only: Hostile = {}, Flaw = "none". *)
(*                                                                         *)
(* Events (records; slots "s0".., guests and MACs by their MAC string):     *)
(*   StartSwitch, AllocatePool, SwitchCrash                                *)
(*   [Assign, g, slot, gen]          [Retire, g, slot, gen]                *)
(*   [Scrub, slot, gen, acked]       acked: the CP saw the switch's ack    *)
(*   [GuestSend, g, slot, gen, id]   id: g's count of its sends            *)
(*   [Discover, kind, slot, ...]     kind "attach" (gen, mac, txh, quar),  *)
(*        "detach" (gen), "ack" (gen), "defensive" (state, gen, pgen)      *)
(*   [Forward, slot, gen, writer, id, targets]  the frame <<writer, id>>   *)
(*        taken from slot's TX ring went to the slots in targets           *)
(*   [SaveTx, slot, head]  [PublishTx, slot, head]  positions in frames    *)
(* Each also carries `line` (its line in its file, for reports).           *)
(*                                                                         *)
(* As in TraceRing.tla: `step` is a variable (depth = log length), every  *)
(* action is conjoined with the logged values, and Pool leaves no choice   *)
(* open for honest guests, so each state has at most one successor.       *)
(***************************************************************************)
EXTENDS Pool, TLC, TracePoolLog
\* TracePoolLog defines TraceLog and the run's constants (TraceGuests,
\* TraceSlots, TraceTenant, TraceDst), which the .cfg substitutes for
\* Pool's.  The generator writes one per trace next to a copy of this
\* module; the committed TracePoolLog.tla is a tiny example.

VARIABLE step   \* how many events have been matched

traceVars == <<vars, step>>

Ev == TraceLog[step + 1]

TraceInit == Init /\ step = 0

MatchStartSwitch == Ev.e = "StartSwitch" /\ StartSwitch

MatchAllocatePool == Ev.e = "AllocatePool" /\ AllocatePool

MatchAssign ==
    /\ Ev.e = "Assign"
    /\ Assign(Ev.g, Ev.slot)
    /\ cpb'[Ev.slot].gen = Ev.gen

MatchRetire ==
    /\ Ev.e = "Retire"
    /\ access[Ev.g] = Ev.slot
    /\ cpb[Ev.slot].gen = Ev.gen
    /\ Retire(Ev.g)

MatchScrub ==
    /\ Ev.e = "Scrub"
    /\ cpb[Ev.slot].gen = Ev.gen
    /\ Ev.acked => ack[Ev.slot] >= Ev.gen
    /\ Scrub(Ev.slot)

MatchSwitchCrash == Ev.e = "SwitchCrash" /\ SwitchCrash

MatchGuestSend ==
    /\ Ev.e = "GuestSend"
    /\ sentCnt[Ev.g] + 1 = Ev.id
    /\ GuestSend(Ev.g, <<Ev.slot, Ev.gen>>)

\* Discover's four disjuncts, each picked by the table entry and the port
\* the Java saw, and the port and ack it left.
MatchAttach ==
    /\ Ev.e = "Discover" /\ Ev.kind = "attach"
    /\ binding[Ev.slot].state = "ASSIGNED" /\ binding[Ev.slot].gen = Ev.gen
    /\ port[Ev.slot].st = "none"
    /\ Discover(Ev.slot)
    /\ port'[Ev.slot].gen = Ev.gen
    /\ port'[Ev.slot].mac = Ev.mac
    /\ port'[Ev.slot].txh = Ev.txh
    /\ (port'[Ev.slot].st = "quarantined") = Ev.quar

MatchDetach ==
    /\ Ev.e = "Discover" /\ Ev.kind = "detach"
    /\ binding[Ev.slot].state = "RETIRING" /\ binding[Ev.slot].gen = Ev.gen
    /\ port[Ev.slot].st \in {"up", "quarantined"} /\ port[Ev.slot].gen = Ev.gen
    /\ Discover(Ev.slot)
    /\ port'[Ev.slot].st = "none"
    /\ ack'[Ev.slot] = Ev.gen

MatchAckUnserved ==
    /\ Ev.e = "Discover" /\ Ev.kind = "ack"
    /\ binding[Ev.slot].state = "RETIRING" /\ binding[Ev.slot].gen = Ev.gen
    /\ port[Ev.slot].st = "none"
    /\ Discover(Ev.slot)
    /\ ack'[Ev.slot] = Ev.gen

\* The Java also acks the generation it let go here; Pool's disjunct does
\* not (proofs-notes/spec-mapping.md): matched on the port alone.
MatchDefensive ==
    /\ Ev.e = "Discover" /\ Ev.kind = "defensive"
    /\ binding[Ev.slot].state = Ev.state /\ binding[Ev.slot].gen = Ev.gen
    /\ port[Ev.slot].st \in {"up", "quarantined"} /\ port[Ev.slot].gen = Ev.pgen
    /\ Discover(Ev.slot)
    /\ port'[Ev.slot].st = "none"

\* The frame Pool's Forward takes next from the port's TX ring is the one
\* the Java forwarded, and it went exactly where Pool's Targets says.
MatchForward ==
    /\ Ev.e = "Forward"
    /\ port[Ev.slot].st \in Serving
    /\ port[Ev.slot].gen = Ev.gen
    /\ port[Ev.slot].txh < Len(tx[port[Ev.slot].mem])
    /\ LET f == tx[port[Ev.slot].mem][port[Ev.slot].txh + 1] IN
       /\ f.writer = Ev.writer
       /\ f.id = Ev.id
       /\ Targets(Ev.slot, f) = Ev.targets
    /\ Forward(Ev.slot)

MatchSaveTx ==
    /\ Ev.e = "SaveTx"
    /\ SaveTx(Ev.slot)
    /\ stTx'[<<Ev.slot, port[Ev.slot].gen>>] = Ev.head

MatchPublishTx ==
    /\ Ev.e = "PublishTx"
    /\ PublishTx(Ev.slot)
    /\ txHead'[port[Ev.slot].mem] = Ev.head

TraceNext ==
    /\ step < Len(TraceLog)
    /\ step' = step + 1
    /\ \/ MatchStartSwitch
       \/ MatchAllocatePool
       \/ MatchAssign
       \/ MatchRetire
       \/ MatchScrub
       \/ MatchSwitchCrash
       \/ MatchGuestSend
       \/ MatchAttach
       \/ MatchDetach
       \/ MatchAckUnserved
       \/ MatchDefensive
       \/ MatchForward
       \/ MatchSaveTx
       \/ MatchPublishTx

TraceSpec == TraceInit /\ [][TraceNext]_traceVars

\* CapabilityIsolation, cheaper along a trace.  CapRead and CapWrite quantify
\* over every frame so far, which makes checking a trace quadratic in its
\* length; but along a behaviour of Pool with Flaw = "none" they can only
\* lose, never regain, truth: frames are only appended (a memory object is
\* emptied only when created, before anyone holds it), capabilities and
\* foreign writes only grow, and a generation's guest never changes.  So
\* they are checked once, in the state after the last event; CapReleased,
\* which does not persist, in every state.
TraceCapabilityIsolation == CapReleased /\ (step = Len(TraceLog) => CapRead /\ CapWrite)

\* Checked once TLC has explored everything: some behaviour matched the
\* whole log; otherwise event number `depth` is the first nothing matched.
TraceAccepted ==
    LET d == TLCGet("stats").diameter IN
    IF d - 1 = Len(TraceLog) THEN TRUE
    ELSE Print(<<"TRACE DIVERGES at event", d, "line", TraceLog[d].line,
                 "action", TraceLog[d].e>>, FALSE)
=============================================================================
