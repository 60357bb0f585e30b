-------------------------------- MODULE Ring --------------------------------
(***************************************************************************)
(* One single-producer / single-consumer ring in shared memory, as doms    *)
(* implements it (package doms.ring).                                      *)
(*                                                                         *)
(* Layout (doms.ring.RingDescriptor): a header, a producer position line   *)
(* (the published tail), a consumer position line (the published head)     *)
(* and a data area of C bytes, C = pages * 4096, a power of two.           *)
(* Positions are free-running 64-bit byte counts; index = pos & (C - 1).   *)
(* A record (doms.ring.RecordDescriptor) is an 8-byte header (int32        *)
(* length of the payload, int32 type) followed by the payload, padded to   *)
(* 8 bytes: it occupies align8(8 + length) bytes.  Types: 0 = invalid      *)
(* (what zeroed memory reads as), 1 = PAD, >= 2 user records.  A record    *)
(* never crosses the end of the data area: the producer first fills the    *)
(* rest of the area with a PAD record whose length is exactly              *)
(* (C - index) - 8.                                                        *)
(*                                                                         *)
(* ABSTRACTION.  Memory is modelled in units of 8 bytes: the data area has *)
(* C cells (so the model's C is the Java capacity / 8), positions count    *)
(* cells, and a header's length field l counts payload cells, so a record  *)
(* occupies l + 1 cells (Java: align8(8 + length) / 8 = 1 + ceil(len/8)).  *)
(* A PAD of payload length (C - index) - 1 cells is the Java PAD of length *)
(* (C*8 - index*8) - 8 bytes.  Every cell also carries two ghost fields,   *)
(* never read by the protocol: `id` (which user record it belongs to) and  *)
(* `at` (the absolute position the producer wrote it for, -1 for zeroed    *)
(* memory).  A read of a cell whose `at` differs from the absolute         *)
(* position being read is a read of stale or unwritten memory.  The id in  *)
(* every cell of a record is also the record's CONTENT: what the consumer  *)
(* delivers is what it read from the cells (ReadContent), so a record      *)
(* whose bytes were overwritten before the copy is delivered as something  *)
(* that was never sent, and FifoOrder and Refinement fail.                 *)
(*                                                                         *)
(* ATTACH.  The two ends start at any position of the definition StartPos  *)
(* (models override it), not only 0; what each attach validates is in      *)
(* Init.  Positions are unbounded integers: the 2^64 wrap of the Java's    *)
(* free-running counters is not modelled (the Java compares only           *)
(* differences, tail - head and head - headCache, which is wrap-safe).     *)
(*                                                                         *)
(* MEMORY ORDERING.  The producer's record write (plain stores) and the    *)
(* publication of its tail (RELEASE store) are separate steps, in that     *)
(* order; the consumer's ACQUIRE load of the tail is a step of its own and *)
(* its later plain loads of the records are separate steps.  Release /     *)
(* acquire guarantee exactly that a consumer which observed tail value t   *)
(* also observes every store the producer made before publishing t, which  *)
(* is what the interleaving model gives.  A weakened access (a plain store *)
(* of the tail, or a position published before the bytes are written) is   *)
(* expressed by letting the publication happen before the data stores      *)
(* (Flaw "publishBeforeWrite"); symmetrically a consumer that publishes    *)
(* its head before it has finished copying is Flaw "earlyHeadPublish".     *)
(* The two ACQUIRE loads weakened to plain loads are Flaw "tailLoadPlain"  *)
(* (the consumer's loads of the records may be satisfied before its load   *)
(* of the tail: they read a snapshot of the data area taken earlier,       *)
(* cSnap) and Flaw "headLoadPlain" (the producer's stores into freed space *)
(* may take effect before the consumer's loads of it that precede its      *)
(* release of the head: load buffering, modelled by a load of the head     *)
(* that returns the position the consumer will release while its copy of  *)
(* the last record is still to come).                                      *)
(*                                                                         *)
(* HOSTILE PEERS.  A hostile party may write any value into any word it    *)
(* shares, at any time, also between two reads of the same word.  That is  *)
(* modelled by "havoc on read": when Hostile = "producer", every load the  *)
(* consumer makes of the tail field or of a data cell returns an arbitrary *)
(* value (from a finite set that covers every case the validation          *)
(* distinguishes); when Hostile = "consumer", every load the producer      *)
(* makes of the head field returns an arbitrary value.  The honest side    *)
(* reads each shared word once per decision (no double fetch), so one      *)
(* arbitrary value per load is exactly the hostile power.  A loaded        *)
(* position may be behind or beyond the other one by more than C, and      *)
(* unaligned (not a multiple of 8 bytes: a flag beside the value in        *)
(* cells), also at attach.                                                 *)
(*                                                                         *)
(* SIGNALLED HEADERS.  A header may carry the flag SIGNAL (Java: bit 30    *)
(* of the type word, RecordDescriptor.SIGNAL): its own RELEASE store        *)
(* published the record (offer), so a consumer that finds it              *)
(* with an ACQUIRE load takes the record without loading the tail.  An      *)
(* unsignalled header (offerBatch, offerDeferred) is published by the tail. *)
(* A PAD is never signalled: the consumer loads the tail at each wrap.     *)
(* Every write also zeroes the cell after it, so a consumer that reads past *)
(* the last record finds zero, never a signalled header of an earlier lap;  *)
(* that cell is reserved in every space check (Fits), so at most C - 1      *)
(* cells are ever in use.  In the model a write is one step (the release    *)
(* orders it); Flaw "signalBeforeWrite" stores the header before the rest,  *)
(* and Flaw "noZeroNext" omits the zero.  Past what its cached tail covers, *)
(* the consumer takes only signalled records that end within C cells of    *)
(* that tail (Reachable); else it loads the tail at its next poll.  So a    *)
(* producer that stops publishing tails yields at most C cells past the     *)
(* last one.  So offer publishes the tail only when its write has entered  *)
(* a lap (Lap) other than the published tail's, or follows unsignalled     *)
(* records: every record of a lap then ends within C cells of a tail      *)
(* published before its header, and every PAD (the start of a lap) is     *)
(* covered by a tail published right after it (pOwe).  Fairness makes no  *)
(* other publish happen: liveness holds with the tail published once per   *)
(* lap.                                                                    *)
(*                                                                         *)
(* The honest producer sends user records with ids 1..N in order; each     *)
(* record's size (1..MaxRec cells) is chosen nondeterministically once,    *)
(* and the producer retries that same record until it fits (a guest that   *)
(* gets FULL offers the same frame again).                                 *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets, TLC

CONSTANTS
    C,        \* data area in cells of 8 bytes (Java: capacity / 8), power of 2
    MaxRec,   \* largest record in cells, header included (<= C); the Java
              \* maxPayload is (MaxRec - 1) * 8 bytes
    N,        \* number of user records the honest producer sends
    Limit,    \* RingConsumer#poll(limit): at most Limit user records per poll
    BatchMax, \* unsignalled records written before one publish: 1 = offerDeferred
              \* then publish, > 1 = offerBatch (offer's signalled records publish
              \* themselves, and the tail once per lap: see ProducerWrite)
    Signals,  \* the signal flags the producer's writes use: {TRUE} offer,
              \* {FALSE} offerBatch or offerDeferred then publish, or both
    Hostile,  \* "none", "producer" (hostile guest producer, the switch
              \* consumes) or "consumer" (hostile guest consumer, the switch
              \* produces)
    MaxPos,   \* hostile positions are drawn from 0..MaxPos (keeps the model finite)
    Flaw      \* "none" or the name of one deliberate flaw (bug models only):
              \*   "publishBeforeWrite" tail published before the record is written
              \*   "earlyHeadPublish"   head published before the record is copied
              \*   "unvalidatedTail"    consumer trusts the tail without validation
              \*   "headReadBack"       switch (consumer) re-reads its own published
              \*                        head from shared memory instead of its private copy
              \*   "noEndCheck"         consumer omits "must not cross the end" check
              \*   "noPadAlone"         producer never writes a PAD alone on FULL
              \*   "tailLoadPlain"      consumer loads the tail without ACQUIRE
              \*   "headLoadPlain"      producer loads the head without ACQUIRE
              \*   "signalBeforeWrite"  signalled header stored before the payload
              \*   "noZeroNext"         producer does not zero the cell after a record
              \*   "noLapPublish"       offer publishes the tail only after unsignalled
              \*                        records, never for entering a new lap
              \*   "restartCacheAtHead" a restarted consumer takes its head as the
              \*                        producer position it knows (ConsumerRestart)

ASSUME /\ C \in Nat \ {0}
       /\ \E k \in 0..C : 2^k = C
       /\ MaxRec \in 1..(C - 1)     \* a record and the zeroed cell after it
       /\ Signals \subseteq BOOLEAN /\ Signals # {}
       /\ N \in Nat /\ Limit \in Nat \ {0} /\ BatchMax \in Nat \ {0}
       /\ Hostile \in {"none", "producer", "consumer"}
       /\ MaxPos \in Nat
       /\ Flaw \in {"none", "publishBeforeWrite", "earlyHeadPublish",
                    "unvalidatedTail", "headReadBack", "noEndCheck", "noPadAlone",
                    "tailLoadPlain", "headLoadPlain", "signalBeforeWrite",
                    "noZeroNext", "noLapPublish", "restartCacheAtHead"}

\* Record types (RecordDescriptor.TYPE_*).
INVALID == 0
PAD     == 1
USER    == 2

Idx(p) == p % C     \* RingDescriptor: index = pos & (C - 1)

\* A cell of the data area.  Header cells use t (type), l (payload length in
\* cells) and f (signalled); payload cells are written as t = USER, l = 0,
\* f = FALSE.  id and at are ghost.
ZeroCell == [t |-> INVALID, l |-> 0, f |-> FALSE, id |-> 0, at |-> -1]

\* Every header value a hostile producer can make the consumer read that the
\* validation distinguishes: a bad type, the two good types, lengths below,
\* inside and above every bound.
HavocHeaders == [t : {-1, INVALID, PAD, USER}, l : -1..C, f : BOOLEAN, id : {0}, at : {-2}]

NoStores == [i \in {} |-> ZeroCell]     \* the empty set of pending stores
NoCopy   == [pos |-> -1, size |-> 0, t |-> INVALID, id |-> 0]

VARIABLES
    \* ---- shared memory (the ring file) ----
    mem,         \* data area: [0..C-1 -> cell]
    tailF,       \* producer position line (published tail), written by the producer
    headF,       \* consumer position line (published head), written by the consumer
    \* ---- producer private state (doms.ring.RingProducer fields) ----
    pTail,       \* RingProducer.tail: own position, never re-read from memory
    pHeadCache,  \* RingProducer.headCache: last validated consumer position
    pBatch,      \* unsignalled records (and PADs) written since the last publish
    pOwe,        \* an offer's write needs the publish that ends the offer (the
                 \* Java's offer has not returned): no other producer step first
    pSize,       \* size in cells of the record currently being offered
    pPending,    \* stores not yet made (only non-empty under "publishBeforeWrite")
    pQuar,       \* producer saw a corrupt head: CORRUPT, port quarantined
    \* ---- consumer private state (doms.ring.RingConsumer fields) ----
    cHead,       \* RingConsumer.head: own position
    cTailCache,  \* RingConsumer.tailCache: last validated producer position
    cPc,         \* "idle" between polls, "poll" inside RingConsumer#poll
    cPollN,      \* user records delivered in the current poll
    cPollUnits,  \* cells consumed in the current poll
    cCopy,       \* record claimed but not yet copied (only under "earlyHeadPublish")
    cQuar,       \* consumer saw corruption: poll returned CORRUPT, port quarantined
    cSnap,       \* the data area as the consumer's record loads see it: only
                 \* under "tailLoadPlain", where they may be satisfied before
                 \* the tail load (ConsumerPrefetch); else unused and constant
    \* ---- history (ghost) variables ----
    sent,        \* ids of user records written by the producer, in order
    received,    \* ids of user records delivered by the consumer, in order
    pubCount,    \* how many of `sent` were covered by the last published tail
    cHigh,       \* highest position the consumer has consumed up to
    torn,        \* the consumer read a cell that was not published and written
    oob,         \* someone accessed a cell outside the data area
    replay       \* the consumer consumed a position it had already consumed

prodVars == <<pTail, pHeadCache, pBatch, pOwe, pSize, pPending, pQuar>>
consVars == <<cHead, cTailCache, cPc, cPollN, cPollUnits, cCopy, cQuar, cSnap>>
ghostVars == <<sent, received, pubCount, cHigh, torn, oob, replay>>
vars == <<mem, tailF, headF, prodVars, consVars, ghostVars>>

-----------------------------------------------------------------------------
(* Helpers *)

\* The stores that write one record of s cells, header at absolute position pos
\* with signal flag sig: a function from data-area index to the cell written there.
Stores(type, s, id, pos, sig) ==
    [i \in Idx(pos)..(Idx(pos) + s - 1) |->
        IF i = Idx(pos)
        THEN [t |-> type, l |-> s - 1, f |-> sig, id |-> id, at |-> pos]
        ELSE [t |-> USER, l |-> 0, f |-> FALSE, id |-> id, at |-> pos + (i - Idx(pos))]]

\* The zero the producer stores in the cell after a write that ends at pos
\* (RingProducer#zeroHeader); none under Flaw "noZeroNext".
ZeroAt(pos) == IF Flaw = "noZeroNext" THEN NoStores ELSE (Idx(pos) :> ZeroCell)

Apply(m, st) == [i \in 0..(C - 1) |-> IF i \in DOMAIN st THEN st[i] ELSE m[i]]

\* The consumer reads cells pos .. pos+s-1 (indices from Idx(pos), no wrap:
\* a validated record never crosses the end).  Torn if any cell is outside
\* what the producer has published, or holds something else than what the
\* producer wrote for that position (stale lap or zeroed memory).
\* What a consumer load of data cell i returns (honest producer): the cell,
\* or under "tailLoadPlain" the cell as it was when cSnap was taken.
View(i) == IF Flaw = "tailLoadPlain" THEN cSnap[i] ELSE mem[i]

\* RingConsumer#reachable: header h, loaded at position pos, is signalled and
\* its record ends within C cells of the cached tail.
Reachable(h, pos) ==
    /\ h.f
    /\ (IF h.t = PAD THEN C - Idx(pos) ELSE h.l + 1) <= cTailCache + C - pos


\* The record at pos was published by its own signalled header.
SignalledAt(pos) == View(Idx(pos)).f /\ View(Idx(pos)).at = pos

TornAt(pos, s) ==
    /\ Hostile = "none"
    /\ \E k \in 0..(s - 1) :
          /\ Idx(pos) + k < C
          /\ \/ pos + k >= tailF /\ ~SignalledAt(pos)
             \/ View(Idx(pos) + k).at # pos + k

OutOfArea(pos, s) == Idx(pos) + s > C

\* What the consumer has read of the record of s cells at pos whose header
\* (read earlier or in the same step) carries ghost id hid: the record's
\* content as it reaches the consumer.  Every cell of a record carries the
\* record's id (Stores), so the payload cells as read now say whether the
\* bytes copied are that record's: hid if they all do, else 0 (a mixture, or
\* another record's bytes, which is no record that was sent).  The
\* refinement and FifoOrder compare this, not the header's identity alone.
ReadContent(pos, s, hid) ==
    IF \A k \in 1..(s - 1) : Idx(pos) + k < C /\ View(Idx(pos) + k).id = hid
    THEN hid ELSE 0

\* RingConsumer.validSpan(head, tail) on aligned words, in cells.
ValidSpan(h, t) == 0 <= t - h /\ t - h <= C

\* Positions the two ends find in the ring at attach (see Init).  A
\* definition, not a CONSTANT, so that trace validation's generated .cfg
\* need not give it: models override it with `StartPos <- MCStartPos`.
StartPos == {0}

\* A loaded position word that is not a multiple of 8 bytes has no value in
\* cells; it is modelled as a loaded value plus a flag "unaligned" (the low
\* three bits are not 0), which a hostile peer can set on any load of a word
\* it writes.  The validation rejects it whatever the rest of the word says.
UnalignedTailReads == IF Hostile = "producer" THEN BOOLEAN ELSE {FALSE}
UnalignedHeadReads == IF Hostile = "consumer" THEN BOOLEAN ELSE {FALSE}

\* The head values a hostile consumer can make a producer at tail t load:
\* behind and beyond t by more than one ring, and everything between.
HostileHeads(t) == (t - C - 1)..(t + C + 1)
AttachHeadReads(t) == IF Hostile = "consumer" THEN HostileHeads(t) ELSE {t}

Max(a, b) == IF a >= b THEN a ELSE b

\* The producer position a consumer knows at attach: the ring's own, p
\* (RingConsumer#attach on a new ring).  TraceRing overrides it with the
\* value the Java logged (a restarted switch's attachAt: see ConsumerRestart).
ConsumerStartCache(p) == p

\* Whether the consumer may be restarted between polls (ConsumerRestart):
\* models override it with `ConsumerRestarts <- MCConsumerRestarts`.
ConsumerRestarts == FALSE

\* The lap of a position: RingProducer#offer publishes when its private tail
\* is in another lap than the published one ((tail ^ published) & ~mask).
Lap(p) == p \div C

-----------------------------------------------------------------------------
\* Attach (RingProducer#attach / #attachAt, RingConsumer#attach / #attachAt).
\* The ring is found with both position lines at some aligned p in StartPos
\* (0 for a new ring; a value near the end of the data area, so that the
\* first record needs a PAD, for one attached after earlier laps, whose
\* cells then hold nothing written for the positions ahead).  Each end
\* takes p as its own position.  What the attach validates:
\*  - RingConsumer#attach loads its head from the ring (a hostile producer
\*    can have written it) and rejects an unaligned one ((head & 7) != 0):
\*    under Hostile = "producer" the p drawn from StartPos is that load, and
\*    an unaligned word makes the attach fail (the port is quarantined);
\*  - RingProducer#attach loads the consumer position (a hostile consumer
\*    can have written anything) and requires validSpan(head, tail):
\*    aligned and 0 <= tail - head <= C, else the attach fails.
\* mem is zeroed (RingDescriptor#init) whatever p is: a cell whose `at` is not
\* the position read is stale either way.
Init ==
    /\ mem = [i \in 0..(C - 1) |-> ZeroCell]
    /\ \E p \in StartPos :
         /\ tailF = p
         /\ headF = p
         /\ pTail = p
         /\ cHead = p
         /\ cTailCache = ConsumerStartCache(p)
         /\ cHigh = p
         /\ \E h \in AttachHeadReads(p), u \in UnalignedHeadReads :
              IF ~u /\ ValidSpan(h, p)
              THEN pHeadCache = h /\ pQuar = FALSE
              ELSE pHeadCache = p /\ pQuar = TRUE     \* RingFormatException
         /\ \E u \in UnalignedTailReads : cQuar = u    \* attach: unaligned head
    /\ pBatch = 0
    /\ pOwe = FALSE
    /\ pSize \in 1..MaxRec
    /\ pPending = NoStores
    /\ cPc = "idle"
    /\ cPollN = 0
    /\ cPollUnits = 0
    /\ cCopy = NoCopy
    /\ cSnap = [i \in 0..(C - 1) |-> ZeroCell]
    /\ sent = <<>>
    /\ received = <<>>
    /\ pubCount = 0
    /\ torn = FALSE
    /\ oob = FALSE
    /\ replay = FALSE

-----------------------------------------------------------------------------
(***************************************************************************)
(* PRODUCER  (doms.ring.RingProducer)                                      *)
(***************************************************************************)

\* Space check on private state only: tail + need + 1 - headCache <= C (the
\* cell after the write is zeroed, so it must be free too).
Fits(need) == pTail + need + 1 - pHeadCache <= C

\* The current record does not fit even with a PAD first, judged on the cache.
NeedRoom ==
    LET contig == C - Idx(pTail)
    IN IF pSize <= contig THEN ~Fits(pSize) ELSE ~Fits(contig + pSize)

\* Make the stores st and move the private tail to newTail.  isRecord: the
\* current user record is among the stores (otherwise only a PAD: FULL).
\* sig: the record's header is signalled, so the record is published as it
\* is written (if every record before it is).  hdr: the index of the
\* record's header (the PAD's, for a PAD alone), which Flaw
\* "signalBeforeWrite" stores before the rest.
Emit(st, newTail, isRecord, sig, hdr) ==
    /\ pTail' = newTail
    /\ IF isRecord
         THEN /\ sent' = Append(sent, Len(sent) + 1)
              /\ pSize' \in IF Len(sent) + 1 < N THEN 1..MaxRec ELSE {pSize}
         ELSE UNCHANGED <<sent, pSize>>
    /\ oob' = (oob \/ \E i \in DOMAIN st : i >= C)
    /\ IF Flaw = "publishBeforeWrite"
         THEN \* FLAW: the tail is published (or becomes visible, e.g. via a
              \* plain store) before the record's bytes are in memory.
              /\ tailF' = newTail
              /\ pubCount' = Len(sent')
              /\ pBatch' = 0
              /\ pOwe' = FALSE
              /\ pPending' = st
              /\ UNCHANGED mem
         ELSE /\ IF Flaw = "signalBeforeWrite"
                   THEN \* FLAW: the signalled header becomes visible before
                        \* the payload and the zero (a plain header store).
                        /\ mem' = Apply(mem, hdr :> st[hdr])
                        /\ pPending' = [i \in DOMAIN st \ {hdr} |-> st[i]]
                   ELSE \* The stores; a signalled header is their release.
                        /\ mem' = Apply(mem, st)
                        /\ UNCHANGED pPending
              \* offer (sig) publishes after its write when the write entered a
              \* new lap or unsignalled records wait; offerBatch/offerDeferred
              \* (~sig) leave the publish to their caller.
              /\ pBatch' = IF sig THEN pBatch ELSE pBatch + 1
              /\ pOwe' = (sig /\ (pBatch > 0 \/ (Lap(newTail) # Lap(tailF) /\ Flaw # "noLapPublish")))
              /\ pubCount' = IF sig /\ isRecord /\ pubCount = Len(sent)
                             THEN Len(sent) + 1 ELSE pubCount
              /\ UNCHANGED tailF

\* RingProducer#offer / #offerBatch, one record (plus its PAD if needed).
\* Java: compute need with the cached head; if it does not fit call
\* refreshConsumerPosition and recheck; then:
\*   fits in the contiguous space      -> write record at index
\*   fits only after a PAD to the end  -> write PAD then record at index 0
\*   only the PAD fits                 -> write the PAD alone, return FULL
\*   nothing fits                      -> return FULL (no write, no blocking)
ProducerWrite ==
    /\ Hostile # "producer"
    /\ ~pQuar
    /\ Len(sent) < N
    /\ ~pOwe
    /\ pPending = NoStores
    /\ LET s      == pSize
           contig == C - Idx(pTail)
           id     == Len(sent) + 1
       IN \E sig \in {g \in Signals : g \/ pBatch < BatchMax} :
          \/ /\ s <= contig
             /\ Fits(s)
             /\ Emit(Stores(USER, s, id, pTail, sig) @@ ZeroAt(pTail + s),
                     pTail + s, TRUE, sig, Idx(pTail))
          \/ /\ s > contig
             /\ Fits(contig + s)
             /\ Emit(Stores(PAD, contig, 0, pTail, FALSE) @@ Stores(USER, s, id, pTail + contig, sig)
                       @@ ZeroAt(pTail + contig + s),
                     pTail + contig + s, TRUE, sig, 0)
          \/ /\ s > contig
             /\ ~Fits(contig + s)
             /\ Fits(contig)
             /\ Flaw # "noPadAlone"
             /\ Emit(Stores(PAD, contig, 0, pTail, FALSE) @@ ZeroAt(pTail + contig),
                     pTail + contig, FALSE, sig, Idx(pTail))
    /\ UNCHANGED <<headF, pHeadCache, pQuar, consVars, received, cHigh, torn, replay>>

\* Only under Flaw "publishBeforeWrite": the record's stores land after the
\* tail was already published.
ProducerFlush ==
    /\ pPending # NoStores
    /\ mem' = Apply(mem, pPending)
    /\ pPending' = NoStores
    /\ UNCHANGED <<tailF, headF, pTail, pHeadCache, pBatch, pOwe, pSize, pQuar,
                   consVars, ghostVars>>

\* RingProducer#publish: RELEASE store of the private tail into the producer
\* position line, when it moved.  offer publishes once per lap (pOwe);
\* offerBatch publishes once after up to BatchMax records; a caller of
\* publish may also publish at any other time.
ProducerPublish ==
    /\ Hostile # "producer"
    /\ ~pQuar
    /\ pTail # tailF
    /\ tailF' = pTail
    /\ pubCount' = Len(sent)
    /\ pBatch' = 0
    /\ pOwe' = FALSE
    /\ UNCHANGED <<mem, headF, pTail, pHeadCache, pSize, pPending, pQuar,
                   consVars, sent, received, cHigh, torn, oob, replay>>

\* The values a load of the head field can return.  Under "headLoadPlain"
\* also the value PollEnd will store next (the poll's last record claimed,
\* its copy still to come), seen before the loads that precede that store:
\* without acquire the producer's later stores are not ordered after them.
\* Loads stay coherent: never older than a value the producer already saw.
NextHeadStore == IF /\ cPc = "poll" /\ cCopy # NoCopy
                   /\ \/ cPollN >= Limit
                      \/ cHead >= cTailCache
                 THEN {cHead} ELSE {}
HeadReads == IF Hostile = "consumer" THEN HostileHeads(pTail)
             ELSE IF Flaw = "headLoadPlain"
                  THEN {h \in {headF} \cup NextHeadStore : h >= pHeadCache}
             ELSE {headF}

\* RingProducer#refreshConsumerPosition: ACQUIRE load of the consumer
\* position, validated as the Java does: aligned, never backwards
\* (head - headCache >= 0) and validSpan(head, tail), i.e. at most the
\* private tail (a consumer may take signalled records the published tail
\* does not cover yet) and at most C behind it; else CORRUPT (the switch
\* quarantines the port).  Called only when the record does not fit with
\* the cached head.
ProducerRefresh ==
    /\ Hostile # "producer"
    /\ ~pQuar
    /\ ~pOwe
    /\ Len(sent) < N
    /\ NeedRoom
    /\ \E h \in HeadReads, u \in UnalignedHeadReads :
         /\ h # pHeadCache \/ u            \* same aligned value: a stuttering step
         /\ IF ~u /\ pHeadCache <= h /\ ValidSpan(h, pTail)
              THEN /\ pHeadCache' = h
                   /\ UNCHANGED pQuar
              ELSE /\ pQuar' = TRUE
                   /\ UNCHANGED pHeadCache
    /\ UNCHANGED <<mem, tailF, headF, pTail, pBatch, pOwe, pSize, pPending,
                   consVars, ghostVars>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* CONSUMER  (doms.ring.RingConsumer)                                      *)
(***************************************************************************)

\* The values a load of the tail field can return.
TailReads == IF Hostile = "producer" THEN 0..MaxPos ELSE {tailF}

\* The values the consumer takes as its head at the start of a poll: its
\* private copy, except under the flaw "headReadBack" where it re-reads its
\* own published head from shared memory (which a hostile guest can rewrite).
HeadAtPollStart ==
    IF Flaw = "headReadBack"
    THEN IF Hostile = "producer" THEN 0..MaxPos ELSE {headF}
    ELSE {cHead}

\* RingConsumer#refreshProducerPosition validation: aligned (u: the word
\* loaded was not), never behind the cached tail, at most C ahead of head.
\* Behind head is legal (the consumer took signalled records the tail does
\* not cover yet): nothing to read, but the cache takes it (PollBegin).
ValidTail(t, u, h) == ~u /\ cTailCache <= t /\ t - h <= C

\* The header values a load of data cell i can return.
HeaderReads(i) == IF Hostile = "producer" THEN HavocHeaders ELSE {View(i)}

\* RingConsumer#poll entry.  When the cache covers nothing past head, the
\* consumer loads the header at head (ACQUIRE): Reachable, the poll starts
\* without the tail; else it reads the producer position (ACQUIRE, once per
\* poll) and validates it; an invalid value makes poll return CORRUPT.  A
\* valid tail behind or at head that is newer than the cache still starts
\* the poll with it: offer publishes the tail once per lap, and only this
\* extends what is Reachable (the loop loads the header at head again).  A
\* poll that changes nothing (a stuttering step) is not represented.
PollBegin ==
    /\ Hostile # "consumer"
    /\ ~cQuar
    /\ cPc = "idle"
    /\ \E h \in HeadAtPollStart :
         /\ cHead' = h
         /\ \/ /\ h < cTailCache
               /\ cPc' = "poll"
               /\ UNCHANGED <<cTailCache, cQuar>>
            \/ /\ h >= cTailCache
               /\ \E peek \in HeaderReads(Idx(h)) : Reachable(peek, h)
               /\ cPc' = "poll"
               /\ UNCHANGED <<cTailCache, cQuar>>
            \/ \* The tail load follows a peek that found no Reachable header.
               \* The peek is a load of its own, earlier: the producer may
               \* have stored a signalled header since, so this step is
               \* allowed whatever the cell holds now (more behaviours than
               \* the Java has; none of them breaks a property).
               /\ h >= cTailCache
               /\ \E t \in TailReads, u \in UnalignedTailReads :
                    IF ValidTail(t, u, h) \/ Flaw = "unvalidatedTail"
                    THEN /\ t > cTailCache     \* (cTailCache <= h here)
                         /\ cTailCache' = t
                         /\ cPc' = "poll"
                         /\ UNCHANGED cQuar
                    ELSE /\ cQuar' = TRUE        \* CORRUPT
                         /\ UNCHANGED <<cTailCache, cPc>>
    /\ cPollN' = 0
    /\ cPollUnits' = 0
    /\ UNCHANGED <<mem, tailF, headF, prodVars, cCopy, cSnap, ghostVars>>

\* Validation of one header (copied once into a private variable) at index
\* idx with avail cells it may use (tailCache - head when the cache covers
\* head, else what remains of one capacity past tailCache):
\*   type 0 or negative      -> CORRUPT
\*   PAD                     -> length must be exactly (C - idx) - 1 cells
\*                              (Java: (C - index) - 8 bytes), within avail
\*   user (type >= 2)        -> 0 <= length <= maxPayload, must not cross the
\*                              end of the data area, must not run past tailCache
ValidHeader(h, idx, avail) ==
    CASE h.t = PAD  -> /\ h.l = C - idx - 1
                       /\ C - idx <= avail
      [] h.t >= USER -> /\ 0 <= h.l
                        /\ h.l <= MaxRec - 1
                        /\ (idx + h.l + 1 <= C \/ Flaw = "noEndCheck")
                        /\ h.l + 1 <= avail
      [] OTHER      -> FALSE

\* Copy the record of s cells at absolute position pos into private memory
\* (RingConsumer#pollCopy), and deliver it if it is a user record: deliver
\* what the copy read (ReadContent), given the id of the header read.
Consume(pos, s, t, id) ==
    /\ torn' = (torn \/ TornAt(pos, s))
    /\ oob' = (oob \/ OutOfArea(pos, s))
    /\ replay' = (replay \/ pos < cHigh)
    /\ cHigh' = Max(cHigh, pos + s)
    /\ received' = IF t >= USER /\ Hostile = "none"
                   THEN Append(received, ReadContent(pos, s, id)) ELSE received

\* One iteration of RingConsumer#poll: while fewer than limit records were
\* delivered, load the header at index(head) (plain while head < tailCache,
\* else ACQUIRE, and then only a Reachable one is taken), validate it, copy
\* header and payload into private memory, deliver, and advance the private
\* head.  (PADs are skipped and do not count against limit.)
ConsumerRead ==
    /\ Hostile # "consumer"
    /\ cPc = "poll"
    /\ cCopy = NoCopy
    /\ cPollN < Limit
    /\ LET idx     == Idx(cHead)
           covered == cHead < cTailCache
           avail   == IF covered THEN cTailCache - cHead ELSE cTailCache + C - cHead
       IN
       \E h \in HeaderReads(idx) :
         LET s == h.l + 1 IN
         /\ covered \/ Reachable(h, cHead)
         /\ IF ~ValidHeader(h, idx, avail)
            THEN /\ cQuar' = TRUE                  \* poll returns CORRUPT
                 /\ cPc' = "idle"
                 /\ torn' = (torn \/ TornAt(cHead, 1))
                 /\ UNCHANGED <<cHead, cPollN, cPollUnits, cCopy, received,
                                cHigh, oob, replay>>
            ELSE /\ cHead' = cHead + s
                 /\ cPollN' = IF h.t >= USER THEN cPollN + 1 ELSE cPollN
                 /\ cPollUnits' = cPollUnits + s
                 /\ UNCHANGED <<cPc, cQuar>>
                 /\ IF Flaw \in {"earlyHeadPublish", "headLoadPlain"}
                      THEN \* earlyHeadPublish: FLAW, publish the new head now, copy
                           \* the record later.  headLoadPlain: the copy is a step
                           \* of its own (before PollEnd's release) so that the
                           \* producer's stores can come between.
                           /\ cCopy' = [pos |-> cHead, size |-> s, t |-> h.t, id |-> h.id]
                           /\ UNCHANGED <<received, cHigh, torn, oob, replay>>
                      ELSE /\ Consume(cHead, s, h.t, h.id)
                           /\ UNCHANGED cCopy
    /\ headF' = IF Flaw = "earlyHeadPublish" THEN cHead' ELSE headF
    /\ UNCHANGED <<mem, tailF, prodVars, cTailCache, cSnap, sent, pubCount>>

\* Only under Flaw "earlyHeadPublish" (the copy of a record whose space was
\* already handed back to the producer) and "headLoadPlain".
ConsumerCopy ==
    /\ cCopy # NoCopy
    /\ Consume(cCopy.pos, cCopy.size, cCopy.t, cCopy.id)
    /\ cCopy' = NoCopy
    /\ UNCHANGED <<mem, tailF, headF, prodVars, cHead, cTailCache, cPc,
                   cPollN, cPollUnits, cQuar, cSnap, sent, pubCount>>

\* Only under Flaw "tailLoadPlain": the consumer's loads of the data area
\* are satisfied now, before its next (plain) load of the tail.
ConsumerPrefetch ==
    /\ Flaw = "tailLoadPlain"
    /\ cPc = "idle"
    /\ cSnap # mem
    /\ cSnap' = mem
    /\ UNCHANGED <<mem, tailF, headF, prodVars, cHead, cTailCache, cPc, cPollN,
                   cPollUnits, cCopy, cQuar, ghostVars>>

\* End of RingConsumer#poll: limit records delivered, or the cache covers
\* nothing past head and the header there (ACQUIRE) was no Reachable record;
\* publish the private head with one RELEASE store into the consumer
\* position line.  The load that ended the loop and the release are two
\* accesses: the producer may store a signalled header at head in between,
\* so this step is allowed whatever the cell holds now (Fairness: SF on
\* ConsumerRead, so a Reachable record is not passed over for ever).
PollEnd ==
    /\ cPc = "poll"
    /\ cCopy = NoCopy
    /\ \/ cPollN >= Limit
       \/ cHead >= cTailCache
    /\ cPc' = "idle"
    /\ headF' = cHead
    /\ UNCHANGED <<mem, tailF, prodVars, cHead, cTailCache, cPollN, cPollUnits,
                   cCopy, cQuar, cSnap, ghostVars>>

\* The switch killed between two polls and started again (SwitchPort:
\* RingConsumer#attachAt at the head it kept in its status, then republish;
\* spec/pool models the crash and its frames).  The new consumer knows its
\* head and no producer position: offer stores the tail once per lap, so the
\* one in the ring may lag head by up to a lap (the predecessor took the
\* lap's signalled records).  Its cache starts one capacity behind head,
\* which every legal tail is at or past, and covers nothing; its first poll
\* loads the tail.  Flaw "restartCacheAtHead" starts the cache at head: an
\* honest guest's lagging tail then fails the validation (NoCorrupt).
ConsumerRestart ==
    /\ ConsumerRestarts
    /\ ~cQuar
    /\ cPc = "idle"
    /\ cTailCache' = IF Flaw = "restartCacheAtHead" THEN cHead ELSE cHead - C
    /\ cTailCache' # cTailCache
    /\ headF' = cHead
    /\ UNCHANGED <<mem, tailF, prodVars, cHead, cPc, cPollN, cPollUnits, cCopy,
                   cQuar, cSnap, ghostVars>>

-----------------------------------------------------------------------------
\* Legitimate end states: everything sent and delivered and positions
\* published, or a port quarantined.  They stutter, so that TLC's deadlock
\* check reports only states where the protocol is stuck with work pending.
Finished ==
    \/ pQuar
    \/ cQuar
    \/ /\ Hostile = "none"
       /\ Len(received) = N
       /\ cPc = "idle"
       /\ headF = cHead
       /\ pBatch = 0 /\ ~pOwe     \* signalled records of the last lap need no publish
       /\ pPending = NoStores
    \/ /\ Hostile = "consumer"
       /\ Len(sent) = N
       /\ pBatch = 0 /\ ~pOwe

Done == Finished /\ UNCHANGED vars

Next ==
    \/ ProducerWrite \/ ProducerFlush \/ ProducerPublish \/ ProducerRefresh
    \/ PollBegin \/ ConsumerRead \/ ConsumerCopy \/ PollEnd \/ ConsumerPrefetch
    \/ ConsumerRestart
    \/ Done

Fairness ==
    /\ WF_vars(ProducerWrite)
    /\ WF_vars(ProducerFlush)
    \* Only the publishes the Java always makes: an offer's once per lap and
    \* the one a caller of offerBatch / offerDeferred makes after its batch.
    /\ WF_vars((pOwe \/ pBatch > 0) /\ ProducerPublish)
    /\ WF_vars(ProducerRefresh)
    /\ WF_vars(PollBegin)
    /\ SF_vars(ConsumerRead)
    /\ WF_vars(ConsumerCopy)
    /\ WF_vars(PollEnd)

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(***************************************************************************)
(* PROPERTIES                                                              *)
(***************************************************************************)

Cell == [t : Int, l : Int, f : BOOLEAN, id : 0..N, at : Int]

TypeOK ==
    /\ mem \in [0..(C - 1) -> Cell]
    /\ tailF \in Int /\ headF \in Int
    /\ pTail \in Nat /\ pHeadCache \in Int
    /\ pBatch \in 0..BatchMax
    /\ pOwe \in BOOLEAN
    /\ pSize \in 1..MaxRec
    /\ pQuar \in BOOLEAN
    /\ cHead \in Nat /\ cTailCache \in Int
    /\ cPc \in {"idle", "poll"}
    /\ cPollN \in 0..Limit
    /\ cPollUnits \in Nat
    /\ cQuar \in BOOLEAN
    /\ sent \in Seq(1..N) /\ received \in Seq(0..N)
    /\ pubCount \in 0..N
    /\ torn \in BOOLEAN /\ oob \in BOOLEAN /\ replay \in BOOLEAN

\* The consumer only ever reads cells that the producer has published and
\* that hold what the producer wrote for that position.
NoTornRead == ~torn

\* The producer never overwrites data the consumer has not finished reading:
\* the producer's private tail (which includes written, unpublished records)
\* and the zeroed cell after it are at most C cells ahead of the oldest
\* position the consumer still needs.
ConsumedFrontier == IF cCopy = NoCopy THEN cHead ELSE cCopy.pos
NoOverwrite == Hostile = "none" => pTail + 1 - ConsumedFrontier <= C

\* FIFO order, no duplication, nothing invented: what was received is a
\* prefix of what was sent.  (No loss is the liveness part.)
FifoOrder == Hostile = "none" =>
                 /\ Len(received) <= Len(sent)
                 /\ received = SubSeq(sent, 1, Len(received))

\* Two honest peers never make each other see corruption.
NoCorrupt == Hostile = "none" => (~pQuar /\ ~cQuar)

\* Nobody accesses memory outside the data area.
NoOutOfBounds == ~oob

\* Bounded work: one poll delivers at most Limit records and consumes at
\* most 2C cells (= 2C*8 bytes: what its cached tail covers, at most C, and
\* at most C of Reachable records past it), whatever the peer writes.
BoundedWork == cPollUnits <= 2 * C /\ cPollN <= Limit

\* The consumer never consumes the same ring position twice: a hostile peer
\* cannot make the switch replay (re-read, re-validate, re-forward) bytes.
NoReplay == ~replay

\* The producer's private view stays within one ring of its own tail.
ProducerWindow == pHeadCache <= pTail /\ pTail - pHeadCache <= C

\* Liveness (honest peers, weak fairness; strong on ConsumerRead):
\* the producer facing a consuming consumer eventually sends everything,
ProducerProgress == <>(Len(sent) = N)
\* and every published record is eventually consumed.
EventuallyConsumed == \A i \in 1..N : (pubCount >= i) ~> (Len(received) >= i)

\* Refinement of the abstract bounded FIFO channel: the channel holds the
\* records published and not yet delivered.
Chan == INSTANCE FifoChannel
          WITH Msg <- 1..N,
               Cap <- C,
               q   <- SubSeq(sent, Len(received) + 1, pubCount),
               out <- received
Refinement == Chan!Spec

\* The safety part of Refinement alone, as one named action property: every
\* step of the ring is a step of the channel or leaves q and out unchanged.
\* (TLC names a violated Chan!Spec by its location in FifoChannel; this one
\* by name, which is what bug models use.)
RefinementSafety == [][Chan!Next]_Chan!vars
=============================================================================
