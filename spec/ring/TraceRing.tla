----------------------------- MODULE TraceRing -----------------------------
(***************************************************************************)
(* Trace validation of the Java ring (doms.ring) against Ring.tla.         *)
(*                                                                         *)
(* A run of the Java with -Ddoms.trace=DIR logs one event per Ring action  *)
(* (doms.ring.RingTrace).  doms.trace.RingTraceModel turns the log of one  *)
(* ring (the producer's and the consumer's files, merged) into a module    *)
(* TraceRingLog defining the constant sequence TraceLog, plus a           *)
(* .cfg for this module; TLC then searches for a behaviour of             *)
(* Ring's Next whose k-th step is the k-th event, for every k.  The trace   *)
(* is valid when such a behaviour reaches the end of the log.              *)
(*                                                                         *)
(* Events are records in the spec's units (cells of 8 bytes); the          *)
(* generator does the abstraction from bytes:                              *)
(*   [e |-> "W", at, tail, size, sig, rat, nsize]  ProducerWrite from     *)
(*        private tail at to tail, for a record of size cells whose header *)
(*        (at position rat; -1 for a PAD alone) is signalled if sig; nsize *)
(*        is the size of the record the producer offers next (pSize')      *)
(*   [e |-> "P", tail]                   ProducerPublish                   *)
(*   [e |-> "R", head, ok]               ProducerRefresh (head loaded)     *)
(*   [e |-> "B", head, read, tail, ok, t, len, sig]  PollBegin (tail       *)
(*        loaded if read; t, len, sig: the header peeked at head)          *)
(*   [e |-> "D", at, t, len, sig, ok, head]  ConsumerRead of the header    *)
(*   [e |-> "E", head]                   PollEnd                           *)
(*   [e |-> "X", head]                   the Java releases what a poll     *)
(*        consumed before the corrupt record it stopped at; Ring.tla has   *)
(*        no such step (its port is quarantined and stutters): accepted    *)
(*        here only after a quarantine, changing headF alone.              *)
(* Each event also carries `line`, its line in its NDJSON file (reports).  *)
(* The .cfg gives Ring's constants from the ring's geometry and overrides  *)
(* TailReads, HeaderReads and HeadReads with the Trace* operators below.   *)
(*                                                                         *)
(* Techniques that keep checking linear in the trace length:               *)
(*  - the step index `step` is a variable, so depth = length of the log;        *)
(*  - every action is conjoined with the values the event logged, and the  *)
(*    choices Ring leaves open are fixed from the log before they are      *)
(*    enumerated: pSize' first (Ring draws it from 1..MaxRec), the loaded   *)
(*    tail and header values under a hostile producer (Ring draws them    *)
(*    from 0..MaxPos and HavocHeaders) through the overrides TraceTailReads *)
(*    and TraceHeaderReads given in the .cfg;                              *)
(*  - so each state has at most one successor and TLC explores one        *)
(*    behaviour of Len(TraceLog) + 1 states.                               *)
(*                                                                         *)
(* TraceAccepted (a POSTCONDITION, checked once the search is over) fails  *)
(* when no behaviour reached the end, and prints the index of the first    *)
(* event that no behaviour matched: the depth of the search.               *)
(***************************************************************************)
EXTENDS Ring, TLC, TraceRingLog
\* TraceRingLog defines TraceLog (the events, a sequence of records, see
\* above), FirstSize (the size in cells of the first record the producer
\* offers: Ring's initial pSize), StartAt, StartCache and StartTailCache
\* (below).  The
\* generator writes one per trace, next to a copy of this module; the
\* committed TraceRingLog.tla is a tiny example.
\* (A definition, not a CONSTANT bound in the .cfg: TLC evaluates it once, so
\* a step costs the same at event 10 and at event 10,000.)

VARIABLE step   \* how many events have been matched

traceVars == <<vars, step>>

Ev == TraceLog[step + 1]

\* Under a hostile producer, the loads of the tail and of a header return what
\* the Java loaded (the log says); otherwise what Ring says memory holds.
\* (A logged unaligned position is one the generator maps to -1, a value Ring's
\* validation rejects too; Ring's separate "unaligned" flag, UnalignedTailReads,
\* then offers a second rejection that leads to the same state.)
TraceTailReads == IF Hostile = "producer" THEN {Ev.tail} ELSE {tailF}
TraceHeaderReads(i) ==
    IF Hostile = "producer"
    THEN {[t |-> Ev.t, l |-> Ev.len, f |-> Ev.sig, id |-> 0, at |-> -2]}
    ELSE {mem[i]}
TraceHeadReads == IF Hostile = "consumer" THEN {Ev.head} ELSE {headF}

\* Each end logs where it attached (StartAt, in TraceRingLog): 0 for a new
\* ring, the resume position for a restarted switch's ends.  The attach
\* succeeded (a failed attach logs no events).  Under a hostile peer Ring's
\* Init also offers a quarantined start and, for a hostile consumer, every
\* head the producer's attach could have loaded; the producer logs the one
\* it loaded (StartCache), and the .cfg overrides StartPos and
\* AttachHeadReads with these single values.
TraceStartPos == {StartAt}
TraceAttachHeadReads(t) == {StartCache}
\* The producer position the consumer started with (StartTailCache): its
\* head for RingConsumer#attach, one capacity behind it for #attachAt.
TraceConsumerStartCache(p) == StartTailCache

TraceInit ==
    /\ Init
    /\ ~pQuar /\ ~cQuar
    /\ pHeadCache = StartCache
    /\ pSize = FirstSize
    /\ step = 0

MatchWrite ==
    /\ Ev.e = "W"
    /\ pSize' = Ev.nsize          \* fixes Ring's choice before it is enumerated
    /\ pTail = Ev.at
    /\ pSize = Ev.size
    /\ ProducerWrite
    /\ pTail' = Ev.tail
    /\ Ev.rat >= 0 => mem'[Idx(Ev.rat)].f = Ev.sig  \* Ring's choice of signal, as logged

MatchPublish ==
    /\ Ev.e = "P"
    /\ ProducerPublish
    /\ tailF' = Ev.tail

MatchRefresh ==
    /\ Ev.e = "R"
    /\ ProducerRefresh
    /\ IF Ev.ok THEN ~pQuar' /\ pHeadCache' = Ev.head ELSE pQuar'

MatchPollBegin ==
    /\ Ev.e = "B"
    /\ cHead = Ev.head
    /\ (Ev.read => cHead >= cTailCache)
    /\ (~Ev.read /\ cHead >= cTailCache) => Ev.sig   \* started on a signalled peek
    /\ PollBegin
    /\ IF Ev.ok THEN ~cQuar' /\ cTailCache' = Ev.tail ELSE cQuar'

MatchRead ==
    /\ Ev.e = "D"
    /\ cHead = Ev.at
    /\ Hostile = "none" => /\ mem[Idx(cHead)].t = Ev.t   \* the header the Java read
                           /\ mem[Idx(cHead)].l = Ev.len   \* is the one Ring wrote there
                           /\ mem[Idx(cHead)].f = Ev.sig
    /\ ConsumerRead
    /\ IF Ev.ok THEN ~cQuar' /\ cHead' = Ev.head ELSE cQuar'

MatchPollEnd ==
    /\ Ev.e = "E"
    /\ PollEnd
    /\ headF' = Ev.head

MatchQuarantinedRelease ==
    /\ Ev.e = "X"
    /\ cQuar
    /\ Ev.head = cHead
    /\ headF' = cHead
    /\ UNCHANGED <<mem, tailF, prodVars, consVars, ghostVars>>

TraceNext ==
    /\ step < Len(TraceLog)
    /\ step' = step + 1
    /\ \/ MatchWrite
       \/ MatchPublish
       \/ MatchRefresh
       \/ MatchPollBegin
       \/ MatchRead
       \/ MatchPollEnd
       \/ MatchQuarantinedRelease

TraceSpec == TraceInit /\ [][TraceNext]_traceVars

\* The action each event stands for (for reports).
ActionOf(e) ==
    CASE e = "W" -> "ProducerWrite"  [] e = "P" -> "ProducerPublish"
      [] e = "R" -> "ProducerRefresh" [] e = "B" -> "PollBegin"
      [] e = "D" -> "ConsumerRead"   [] e = "E" -> "PollEnd"
      [] OTHER   -> "QuarantinedRelease"

\* Checked once TLC has explored everything: some behaviour matched the
\* whole log.  The search's depth is 1 + the most events any behaviour
\* matched, so event number `depth` is the first one nothing matched.
TraceAccepted ==
    LET d == TLCGet("stats").diameter IN
    IF d - 1 = Len(TraceLog) THEN TRUE
    ELSE Print(<<"TRACE DIVERGES at event", d, "line", TraceLog[d].line,
                 "action", ActionOf(TraceLog[d].e)>>, FALSE)
=============================================================================
