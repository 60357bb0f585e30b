-------------------------------- MODULE Pool --------------------------------
(***************************************************************************)
(* The slot pool and the handshake between the control plane, the switch   *)
(* and the guests (packages doms.pool, doms.control, doms.sw, doms.guest). *)
(*                                                                         *)
(* Roles                                                                   *)
(*   control plane (CP): trusted, privileged; the doms launcher.  It       *)
(*     starts and restarts the switch, assigns slots to guests, retires    *)
(*     them, scrubs slots.  It is the only writer of the binding table.    *)
(*   switch: unprivileged.  At boot it allocates the pool; afterwards it   *)
(*     never asks the CP for anything: it polls the binding table (read    *)
(*     only for it) and the slots, and writes only the slots' rings and    *)
(*     its own status (the per-slot release acknowledgements).             *)
(*   guests: each holds one slot while assigned; hostile guests (the set   *)
(*     Hostile) write anything they can reach: their own slot, never the   *)
(*     binding table or the switch status (OS file permissions).           *)
(*                                                                         *)
(* Design (what the Java code must implement)                              *)
(*   Binding table (doms.pool.BindingTable): one file written only by the  *)
(*   CP, mapped read-only by the switch, not accessible to guests.  Per    *)
(*   slot: state FREE / ASSIGNED / RETIRING, generation, MAC, tenant.  The *)
(*   CP writes gen, MAC and tenant with plain stores and then the state    *)
(*   word with a RELEASE store; the switch ACQUIRE-loads the state word    *)
(*   and then the fields.  The CP never rewrites an entry the switch may   *)
(*   still be serving (it waits for the ack), so the switch never sees a   *)
(*   torn entry; the model therefore reads an entry in one step.           *)
(*   Switch status (part of the pool, written only by the switch, read by  *)
(*   the CP, not accessible to guests): per slot the last generation the   *)
(*   switch released ("ack").  It lives in the pool file, so it survives   *)
(*   a switch crash.                                                       *)
(*   Slot (doms.pool.SlotDescriptor): one file holding the slot's TX ring  *)
(*   (guest produces, switch consumes) and RX ring (switch produces, guest *)
(*   consumes), see ../ring/Ring.tla.  The guest of the slot can write all *)
(*   of it.                                                                *)
(*                                                                         *)
(* Abstraction                                                             *)
(*    The rings are abstracted to sequences of frames: tx[s] holds every   *)
(*    frame committed (written and published) to s's TX ring since the     *)
(*    last scrub, txHead[s] is the consumer position the switch has        *)
(*    published in that ring (an index into tx[s]); rx[s] holds what the   *)
(*    switch wrote into the RX ring (the guest's consumption of it is      *)
(*    irrelevant: a guest can read its whole slot anyway). Ring capacity   *)
(*    and FULL are the ring spec's business. Any garbage a hostile guest   *)
(*    writes into its ring positions or headers is one flag, garbled[s]:   *)
(*    the ring validation of Ring.tla then fails and the switch            *)
(*    quarantines the port (Ring.tla shows that whatever the bytes, the    *)
(*    switch stays within the slot and does bounded work). A frame records *)
(*    its true origin (ghost, what the hardware knows), the source MAC it  *)
(*    claims, its destination MAC, and the generation of the slot it was   *)
(*    written into (ghost). A guest's MAC is its identity. Each guest is   *)
(*    created at most once and sends at most MaxSend frames to Dst[g]; the *)
(*    switch crashes at most MaxCrashes times: the model is finite. A      *)
(*    guest crash is a guest that stops acting (guests have no fairness)   *)
(*    followed by the CP's Retire.                                         *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets, TLC

CONSTANTS
    Guests,      \* guest identities (strings); a guest's identity is its MAC
    Slots,       \* the N slots of the pool (strings)
    Tenant,      \* Tenant[g]: the tenant guest g belongs to
    Dst,         \* Dst[g]: the MAC guest g sends its frames to (fixed per
                 \* model to keep it small; a cross-tenant Dst tests the drop)
    Hostile,     \* the hostile guests, a subset of Guests
    MaxSend,     \* frames each guest sends at most
    MaxCrashes,  \* times the switch may crash
    Flaw         \* "none" or one deliberate flaw (bug models only):
                 \*  "noScrub"              CP frees a slot without zeroing it
                 \*  "scrubNoAck"           CP scrubs and frees without waiting
                 \*                         for the switch's ack
                 \*  "guestWritableBinding" the binding entry lives where its
                 \*                         guest can write it
                 \*  "ackBeforeDetach"      the switch acks the release and keeps
                 \*                         serving the old generation a while

None == "none"
Tenants == {Tenant[g] : g \in Guests}
Gens == 1..Cardinality(Guests)   \* every assignment creates a new generation

ASSUME /\ None \notin Guests \cup Slots \cup Tenants
       /\ Tenant \in [Guests -> STRING]
       /\ Dst \in [Guests -> Guests]
       /\ Hostile \subseteq Guests
       /\ MaxSend \in Nat /\ MaxCrashes \in Nat
       /\ Flaw \in {"none", "noScrub", "scrubNoAck", "guestWritableBinding",
                    "ackBeforeDetach"}

FreeEntry(gen) == [state |-> "FREE", gen |-> gen, mac |-> None, tenant |-> None]
NoPort == [st |-> "none", gen |-> 0, mac |-> None, tenant |-> None, txh |-> 0]
Serving == {"up", "draining"}   \* port states in which the switch moves frames

VARIABLES
    \* ---- control plane ----
    binding,    \* the binding table (shared file: CP writes, switch reads)
    cpb,        \* the CP's private record of the bindings it wrote
    gstate,     \* [Guests -> {"new","running","stopped"}] guest processes
    access,     \* [Guests -> Slots \cup {None}] slot file a guest may map (OS permission)
    swAlive,    \* a switch process is running
    crashes,    \* switch crashes so far
    \* ---- switch ----
    poolReady,  \* the pool's ready mark (written once by the first switch)
    port,       \* [Slots -> port] the switch's private port table (lost on crash)
    ack,        \* [Slots -> Nat] switch status: last generation released per slot
    \* ---- slot memory (shared by the switch and the slot's guest) ----
    tx,         \* [Slots -> Seq(Frame)] frames committed to the TX ring since the last scrub
    txHead,     \* [Slots -> Nat] consumer position of the TX ring published by the switch
    rx,         \* [Slots -> Seq(Frame)] frames the switch wrote into the RX ring
    garbled,    \* [Slots -> BOOLEAN] a hostile guest wrote invalid positions/records
    \* ---- guests (private) ----
    sentCnt,    \* [Guests -> Nat] frames sent
    \* ---- history (ghost) ----
    delivered,  \* TX frames the switch has forwarded into some RX ring
    dup,        \* TX frames the switch has forwarded more than once
    dupOK       \* TX frames forwarded by a switch that crashed before publishing
                \* the consumer position past them (may legitimately be duplicated)

cpVars    == <<binding, cpb, gstate, access, swAlive, crashes>>
swVars    == <<poolReady, port, ack>>
slotVars  == <<tx, txHead, rx, garbled>>
guestVars == <<sentCnt>>
ghostVars == <<delivered, dup, dupOK>>
vars == <<cpVars, swVars, slotVars, guestVars, ghostVars>>

-----------------------------------------------------------------------------
Init ==
    /\ binding = [s \in Slots |-> FreeEntry(0)]
    /\ cpb = binding
    /\ gstate = [g \in Guests |-> "new"]
    /\ access = [g \in Guests |-> None]
    /\ swAlive = FALSE
    /\ crashes = 0
    /\ poolReady = FALSE
    /\ port = [s \in Slots |-> NoPort]
    /\ ack = [s \in Slots |-> 0]
    /\ tx = [s \in Slots |-> <<>>]
    /\ txHead = [s \in Slots |-> 0]
    /\ rx = [s \in Slots |-> <<>>]
    /\ garbled = [s \in Slots |-> FALSE]
    /\ sentCnt = [g \in Guests |-> 0]
    /\ delivered = {}
    /\ dup = {}
    /\ dupOK = {}

-----------------------------------------------------------------------------
(***************************************************************************)
(* CONTROL PLANE  (doms.control.ControlPlane)                              *)
(***************************************************************************)

\* ControlPlane#restartSwitch (also the first start at boot).  The CP is the
\* switch's parent: it learns of its death from the process exit (waitpid),
\* so "no switch alive" is a fact, not a guess from a missed heartbeat (a
\* hung switch is killed and reaped first).  The new process starts with an
\* empty private port table.
StartSwitch ==
    /\ ~swAlive
    /\ swAlive' = TRUE
    /\ port' = [s \in Slots |-> NoPort]
    /\ UNCHANGED <<binding, cpb, gstate, access, crashes, poolReady, ack,
                   slotVars, guestVars, ghostVars>>

\* ControlPlane#assign(g): pick a FREE slot (FREE implies scrubbed: the CP
\* sets FREE only right after scrubbing), increment its generation, write
\* MAC, tenant and generation, then set ASSIGNED (release), grant guest g
\* access to that slot file only, start guest g.
Assign(g, s) ==
    /\ poolReady
    /\ gstate[g] = "new"
    /\ cpb[s].state = "FREE"
    /\ LET e == [state |-> "ASSIGNED", gen |-> cpb[s].gen + 1,
                 mac |-> g, tenant |-> Tenant[g]]
       IN /\ cpb' = [cpb EXCEPT ![s] = e]
          /\ binding' = [binding EXCEPT ![s] = e]
    /\ access' = [access EXCEPT ![g] = s]
    /\ gstate' = [gstate EXCEPT ![g] = "running"]
    /\ UNCHANGED <<swAlive, crashes, swVars, slotVars, guestVars, ghostVars>>

\* ControlPlane#retire(g): the operator retires g, or the CP noticed that g
\* died.  Set RETIRING, stop the guest process, revoke its access to the slot.
Retire(g) ==
    /\ gstate[g] = "running"
    /\ LET s == access[g]
           e == [cpb[s] EXCEPT !.state = "RETIRING"]
       IN /\ cpb' = [cpb EXCEPT ![s] = e]
          /\ binding' = [binding EXCEPT ![s] = e]
    /\ gstate' = [gstate EXCEPT ![g] = "stopped"]
    /\ access' = [access EXCEPT ![g] = None]
    /\ UNCHANGED <<swAlive, crashes, swVars, slotVars, guestVars, ghostVars>>

\* ControlPlane#scrub(s): once the switch has acknowledged releasing this
\* generation, or no switch process exists, zero both rings of the slot
\* (headers re-initialised) and set FREE.  The CP does this in one critical
\* section with respect to restartSwitch: a switch started later sees FREE.
Scrub(s) ==
    /\ cpb[s].state = "RETIRING"
    /\ \/ ack[s] >= cpb[s].gen
       \/ ~swAlive
       \/ Flaw = "scrubNoAck"                     \* FLAW: does not wait
    /\ IF Flaw = "noScrub"                        \* FLAW: does not zero
         THEN UNCHANGED slotVars
         ELSE /\ tx' = [tx EXCEPT ![s] = <<>>]
              /\ txHead' = [txHead EXCEPT ![s] = 0]
              /\ rx' = [rx EXCEPT ![s] = <<>>]
              /\ garbled' = [garbled EXCEPT ![s] = FALSE]
    /\ cpb' = [cpb EXCEPT ![s] = FreeEntry(cpb[s].gen)]
    /\ binding' = [binding EXCEPT ![s] = FreeEntry(cpb[s].gen)]
    /\ UNCHANGED <<gstate, access, swAlive, crashes, swVars, guestVars, ghostVars>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* SWITCH  (package doms.sw)                                               *)
(* Switch actions read only: binding (the table), the slot memory, their   *)
(* own private port table and status, the pool's ready mark.  None reads   *)
(* a CP-private variable (cpb, gstate, access) or waits for a CP action:   *)
(* after boot the switch depends on the CP for nothing but the table.      *)
(***************************************************************************)

\* The switch at first boot (doms.pool.PoolDescriptor#create): create the N
\* slot files zeroed, initialise the ring headers, then write the pool's
\* ready mark.  A restarted switch finds the mark and maps the pool as is.
AllocatePool ==
    /\ swAlive
    /\ ~poolReady
    /\ poolReady' = TRUE
    /\ UNCHANGED <<cpVars, port, ack, slotVars, guestVars, ghostVars>>

\* SwitchPort#attach: the port takes MAC, tenant and generation from the
\* binding entry into private memory, and its private ring positions from
\* the slot's rings, validated (Ring.tla); invalid positions: quarantined.
Attach(s, b) ==
    IF garbled[s]
    THEN [st |-> "quarantined", gen |-> b.gen, mac |-> b.mac, tenant |-> b.tenant, txh |-> 0]
    ELSE [st |-> "up", gen |-> b.gen, mac |-> b.mac, tenant |-> b.tenant, txh |-> txHead[s]]

\* SlotDiscovery#poll, one binding entry per step (bounded work per poll).
Discover(s) ==
    /\ swAlive
    /\ poolReady
    /\ LET b == binding[s]
           p == port[s]
       IN \/ \* a generation this switch does not serve yet: attach
             /\ b.state = "ASSIGNED"
             /\ p.st = "none"
             /\ port' = [port EXCEPT ![s] = Attach(s, b)]
             /\ UNCHANGED ack
          \/ \* the served generation is retiring: SwitchPort#detach, then ack
             /\ b.state = "RETIRING"
             /\ p.st \in {"up", "quarantined"}
             /\ p.gen = b.gen
             /\ ack' = [ack EXCEPT ![s] = b.gen]
             /\ IF Flaw = "ackBeforeDetach"
                  THEN \* FLAW: ack now, keep serving until a later FinishDetach
                       port' = [port EXCEPT ![s].st = "draining"]
                  ELSE port' = [port EXCEPT ![s] = NoPort]
          \/ \* retiring, not served by this switch (e.g. after a restart): ack
             /\ b.state = "RETIRING"
             /\ p.st = "none"
             /\ ack[s] < b.gen
             /\ ack' = [ack EXCEPT ![s] = b.gen]
             /\ UNCHANGED port
          \/ \* defensive: the table no longer shows the served generation
             /\ p.st \in {"up", "quarantined"}
             /\ (b.state = "FREE" \/ b.gen # p.gen)
             /\ port' = [port EXCEPT ![s] = NoPort]
             /\ UNCHANGED ack
    /\ UNCHANGED <<cpVars, poolReady, slotVars, guestVars, ghostVars>>

\* Only under Flaw "ackBeforeDetach": the deferred detach.
FinishDetach(s) ==
    /\ port[s].st = "draining"
    /\ port' = [port EXCEPT ![s] = NoPort]
    /\ UNCHANGED <<cpVars, poolReady, ack, slotVars, guestVars, ghostVars>>

\* SwitchPort#pollTx (RingConsumer#poll on s's TX ring, one record) and the
\* forwarding decision: the frame is forwarded only if its source MAC is the
\* MAC bound to s, and only to the port whose bound MAC is the destination
\* and whose tenant is s's tenant; it is written into that port's RX ring
\* (RingProducer#offer + publish).  Otherwise it is dropped (counted).
\* Invalid positions or records in the slot: the port is quarantined.
Forward(s) ==
    /\ swAlive
    /\ port[s].st \in Serving
    /\ IF garbled[s]
       THEN /\ port' = [port EXCEPT ![s].st = "quarantined"]
            /\ UNCHANGED <<rx, delivered, dup>>
       ELSE /\ port[s].txh < Len(tx[s])
            /\ LET f  == tx[s][port[s].txh + 1]
                   ok == f.smac = port[s].mac
                   D  == {d \in Slots : /\ port[d].st \in Serving
                                        /\ port[d].mac = f.dst
                                        /\ port[d].tenant = port[s].tenant}
                   go == ok /\ D # {}
               IN /\ rx' = [d \in Slots |->
                              IF go /\ d \in D
                              THEN Append(rx[d], [f EXCEPT !.wgen = port[d].gen])
                              ELSE rx[d]]
                  /\ delivered' = IF go THEN delivered \cup {f} ELSE delivered
                  /\ dup' = IF go /\ f \in delivered THEN dup \cup {f} ELSE dup
            /\ port' = [port EXCEPT ![s].txh = @ + 1]
    /\ UNCHANGED <<cpVars, poolReady, ack, tx, txHead, garbled, guestVars, dupOK>>

\* End of a poll of s's TX ring: RELEASE store of the private consumer
\* position into the ring (RingConsumer, publish of head).
PublishTx(s) ==
    /\ swAlive
    /\ port[s].st \in Serving
    /\ txHead[s] # port[s].txh
    /\ txHead' = [txHead EXCEPT ![s] = port[s].txh]
    /\ UNCHANGED <<cpVars, swVars, tx, rx, garbled, guestVars, ghostVars>>

\* The switch process dies at any point.  Its private state is lost; the
\* pool, the table and its status survive.  Frames it forwarded but whose
\* consumer position it had not yet published will be forwarded again by
\* the next switch: exactly those may be duplicated.
SwitchCrash ==
    /\ swAlive
    /\ crashes < MaxCrashes
    /\ swAlive' = FALSE
    /\ crashes' = crashes + 1
    /\ port' = [s \in Slots |-> NoPort]
    /\ dupOK' = dupOK \cup
          UNION {{tx[s][i] : i \in (txHead[s] + 1)..port[s].txh} :
                   s \in {x \in Slots : port[x].st \in Serving}}
    /\ UNCHANGED <<binding, cpb, gstate, access, poolReady, ack, slotVars,
                   guestVars, delivered, dup>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* GUESTS  (doms.guest.GuestPort)                                          *)
(***************************************************************************)

\* A guest is started by the CP (Assign) and first maps the slot file it was
\* granted (GuestPort#attach, checking the ring headers); mapping changes
\* nothing shared, so it is part of the start.  A guest may stop doing
\* anything at any time (guests have no fairness): a crashed guest is an
\* idle one, and the CP's reaction to the crash is Retire.  What a guest
\* "sees" is its whole slot (it can read every byte of it, published or
\* not), so the properties below are stated on slot contents, not on the
\* frames a guest happens to read.

\* GuestPort#send: commit a frame to the TX ring (write + publish).  An
\* honest guest uses its own MAC as source; a hostile one may spoof any.
GuestSend(g) ==
    /\ gstate[g] = "running"
    /\ sentCnt[g] < MaxSend
    /\ LET s == access[g] IN
       \E m \in (IF g \in Hostile THEN Guests ELSE {g}) :
          tx' = [tx EXCEPT ![s] = Append(@, [origin |-> g, smac |-> m,
                                             dst |-> Dst[g], wgen |-> cpb[s].gen])]
    /\ sentCnt' = [sentCnt EXCEPT ![g] = @ + 1]
    /\ UNCHANGED <<cpVars, swVars, txHead, rx, garbled, ghostVars>>

\* A hostile guest writes garbage into the positions/records of its slot.
GuestGarble(g) ==
    /\ g \in Hostile
    /\ gstate[g] = "running"
    /\ ~garbled[access[g]]
    /\ garbled' = [garbled EXCEPT ![access[g]] = TRUE]
    /\ UNCHANGED <<cpVars, swVars, tx, txHead, rx, guestVars, ghostVars>>

\* Only under Flaw "guestWritableBinding": the binding entry is in memory the
\* guest can write (e.g. in its own slot file), and a hostile guest changes
\* its tenant.
GuestRewriteBinding(g) ==
    /\ Flaw = "guestWritableBinding"
    /\ g \in Hostile
    /\ gstate[g] = "running"
    /\ \E t \in Tenants \ {binding[access[g]].tenant} :
          binding' = [binding EXCEPT ![access[g]].tenant = t]
    /\ UNCHANGED <<cpb, gstate, access, swAlive, crashes, swVars, slotVars,
                   guestVars, ghostVars>>

-----------------------------------------------------------------------------
Next ==
    \/ StartSwitch
    \/ \E g \in Guests, s \in Slots : Assign(g, s)
    \/ \E g \in Guests : Retire(g)
    \/ \E s \in Slots : Scrub(s)
    \/ AllocatePool
    \/ \E s \in Slots : Discover(s) \/ FinishDetach(s) \/ Forward(s) \/ PublishTx(s)
    \/ SwitchCrash
    \/ \E g \in Guests : GuestSend(g) \/ GuestGarble(g) \/ GuestRewriteBinding(g)

\* Fairness: the switch keeps polling; the CP restarts a dead switch and
\* finishes scrubbing what it retired.  Nothing is assumed of guests, of
\* the operator (Assign, Retire) or of crashes.
Fairness ==
    /\ WF_vars(StartSwitch)
    /\ WF_vars(AllocatePool)
    /\ \A s \in Slots : /\ WF_vars(Discover(s))
                        /\ WF_vars(FinishDetach(s))
                        /\ WF_vars(Forward(s))
                        /\ WF_vars(PublishTx(s))
                        /\ WF_vars(Scrub(s))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(***************************************************************************)
(* PROPERTIES                                                              *)
(***************************************************************************)

Entry == [state : {"FREE", "ASSIGNED", "RETIRING"}, gen : 0..Cardinality(Guests),
          mac : Guests \cup {None}, tenant : Tenants \cup {None}]
Frame == [origin : Guests, smac : Guests, dst : Guests, wgen : Nat]

TypeOK ==
    /\ binding \in [Slots -> Entry]
    /\ cpb \in [Slots -> Entry]
    /\ gstate \in [Guests -> {"new", "running", "stopped"}]
    /\ access \in [Guests -> Slots \cup {None}]
    /\ swAlive \in BOOLEAN /\ crashes \in 0..MaxCrashes /\ poolReady \in BOOLEAN
    /\ \A s \in Slots : port[s].st \in {"none", "up", "quarantined", "draining"}
    /\ ack \in [Slots -> Nat]
    /\ \A s \in Slots : /\ tx[s] \in Seq(Frame) /\ rx[s] \in Seq(Frame)
                        /\ txHead[s] \in Nat
    /\ garbled \in [Slots -> BOOLEAN]
    /\ sentCnt \in [Guests -> 0..MaxSend]

\* A guest cannot change its own binding: the table holds exactly what the
\* CP wrote.
BindingIntegrity == binding = cpb

\* No slot is held by two guests at once, and a guest holds only the slot
\* the CP assigned to it.
ExclusiveSlot ==
    /\ \A g, h \in Guests : g # h /\ access[g] # None => access[g] # access[h]
    /\ \A g \in Guests : access[g] # None =>
            /\ cpb[access[g]].state = "ASSIGNED"
            /\ cpb[access[g]].mac = g

\* The switch serves a slot only for its current generation: a port exists
\* only for a slot that is ASSIGNED or RETIRING with the port's generation.
ServesCurrentGeneration ==
    \A s \in Slots : port[s].st # "none" =>
        /\ cpb[s].state \in {"ASSIGNED", "RETIRING"}
        /\ cpb[s].gen = port[s].gen

\* A slot is scrubbed before reuse: a FREE slot is zeroed, and an ASSIGNED
\* slot holds nothing written for an earlier generation (a new guest never
\* sees the previous tenant's data).
SlotEmpty(s) == tx[s] = <<>> /\ rx[s] = <<>> /\ txHead[s] = 0 /\ ~garbled[s]
ScrubBeforeReuse ==
    \A s \in Slots :
        /\ cpb[s].state = "FREE" => SlotEmpty(s)
        /\ cpb[s].state = "ASSIGNED" =>
              \A i \in 1..Len(tx[s]) : tx[s][i].wgen = cpb[s].gen
        /\ cpb[s].state = "ASSIGNED" =>
              \A i \in 1..Len(rx[s]) : rx[s][i].wgen = cpb[s].gen

\* No frame crosses tenants: while a slot is held (ASSIGNED or RETIRING),
\* every frame in its RX ring comes from a guest of the holder's tenant.
TenantIsolation ==
    \A s \in Slots : cpb[s].state # "FREE" =>
        \A i \in 1..Len(rx[s]) : Tenant[rx[s][i].origin] = cpb[s].tenant

\* The switch forwards only from the bound MAC: no RX ring ever holds a frame
\* whose claimed source is not its true origin.
SourceBinding ==
    \A s \in Slots : \A i \in 1..Len(rx[s]) : rx[s][i].smac = rx[s][i].origin

\* Frames are duplicated only in the one known case: the switch forwarded
\* them and crashed before publishing its consumer position past them.
DuplicatesOnlyAfterCrash == dup \subseteq dupOK

\* Liveness.  Every assigned slot is eventually served for its current
\* generation (attached, possibly quarantined) unless it stops being
\* assigned -- in particular after a switch crash and restart -- with no
\* CP action other than the restart.
Served(s) == port[s].st # "none" /\ port[s].gen = cpb[s].gen
ServedAgain ==
    \A s \in Slots : (cpb[s].state = "ASSIGNED")
                      ~> (Served(s) \/ cpb[s].state # "ASSIGNED")

\* No committed frame is lost: the frames committed to the TX ring of an
\* assigned, non-quarantined slot are eventually all consumed by the switch
\* (its published consumer position reaches the producer's), across crashes.
NoLoss ==
    \A s \in Slots : (cpb[s].state = "ASSIGNED" /\ txHead[s] < Len(tx[s]))
                      ~> \/ txHead[s] = Len(tx[s])
                         \/ cpb[s].state # "ASSIGNED"
                         \/ port[s].st = "quarantined"

\* A retirement completes: the switch acknowledges (or is dead) and the CP
\* scrubs; the CP never waits forever.
RetireCompletes == \A s \in Slots : cpb[s].state = "RETIRING" ~> cpb[s].state = "FREE"
=============================================================================
