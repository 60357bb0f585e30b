-------------------------------- MODULE Pool --------------------------------
(***************************************************************************)
(* The slot pool and the handshake between the control plane, the switch   *)
(* and the guests (packages doms.pool, doms.control, doms.sw, doms.guest,  *)
(* doms.cap).                                                              *)
(*                                                                         *)
(* Roles                                                                   *)
(*   control plane (CP): trusted, privileged; the doms launcher.  It       *)
(*     starts and restarts the switch, assigns slots to guests (creating   *)
(*     each generation's memory), retires them.  It is the only writer of  *)
(*     the binding table.                                                  *)
(*   switch: unprivileged.  At boot it creates its status and the ready    *)
(*     mark; afterwards it never asks the CP for anything: it polls the    *)
(*     binding table (read only for it), drains the descriptors the CP     *)
(*     pushes to it, and writes only the rings of the memory objects it    *)
(*     maps and its own status (the per-slot release acknowledgements).    *)
(*   guests: each holds the capability of its own slot generation; hostile *)
(*     guests (the set Hostile) keep every capability they ever held, pass *)
(*     them to each other and write anything they can reach through them, *)
(*     at any time, also after their retirement; never the binding table   *)
(*     or the switch status (no capability to those).                      *)
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
(*   a switch crash.  Per slot it also holds where a restarted switch      *)
(*   resumes (doms.pool.SwitchStatus#opaqueResumePosition): the TX consumer      *)
(*   position the switch last released and the RX producer position it     *)
(*   last published, each stored BEFORE the ring's own release store of    *)
(*   that position.  A restarted switch resumes each ring of a generation  *)
(*   it served from there (a generation it never served: 0, its memory is  *)
(*   new) and never reads its own positions back from the ring, which the  *)
(*   guest can rewrite (while the switch is down too); it publishes the    *)
(*   resumed TX position once, so a crash between the two stores leaves    *)
(*   no consumed space unreleased.  The design before (resume from the     *)
(*   ring's word) is the bug model Flaw = "resumeFromRing".                *)
(*   Slot memory is a capability per GENERATION: every Assign creates a    *)
(*   fresh memory object (doms.cap.Memfd#create: a sealed memfd, zeroed,   *)
(*   sealed against resize; doms.pool.SlotDescriptor#initialise writes     *)
(*   the empty TX ring (guest produces, switch consumes) and RX ring       *)
(*   (switch produces, guest consumes), see ../ring/Ring.tla).  The CP     *)
(*   hands a descriptor of it to the generation's guest (doms.control.     *)
(*   CapabilityServer, after checking SO_PEERCRED) and to the switch       *)
(*   (pushed over a one-way Unix socket; doms.sw.SlotGrants#poll keeps     *)
(*   the newest per slot).  Whoever holds the descriptor can read and      *)
(*   write every word of that memory object.  The switch maps exactly the  *)
(*   memory object of the generation in the binding table.  When the       *)
(*   switch has released a generation, the CP closes its own descriptor:   *)
(*   that memory object is then unreachable for the switch and the CP,     *)
(*   and the slot's next Assign creates a NEW memory object.  An old       *)
(*   descriptor a hostile guest kept (or passed on) reaches only its own   *)
(*   generation's memory, which nobody else reads or writes any more.      *)
(*   There is no scrub in place any more: the zeroing is the creation of   *)
(*   the next generation's memory (Assign); the action Scrub keeps its     *)
(*   name and is now "release the retired generation: wait for the ack,    *)
(*   drop the CP's descriptor, set FREE".  The design before this one (one *)
(*   memory object per slot, scrubbed in place and re-granted by chown) is *)
(*   the bug model Flaw = "reuseMemory".                                   *)
(*                                                                         *)
(* Abstraction                                                             *)
(*    A memory object is identified by <<slot, generation>> (Mems); under  *)
(*    the flaws that reuse one object per slot it is <<slot, 0>> for every *)
(*    generation (MemOf).  Its rings are abstracted to sequences of        *)
(*    frames: tx[m] holds every frame committed (written and published) to *)
(*    m's TX ring, txHead[m] is the consumer position the switch has       *)
(*    published in that ring (an index into tx[m]); rx[m] holds what the   *)
(*    switch wrote into m's RX ring (the guest's consumption of it is      *)
(*    irrelevant: a holder can read the whole memory object anyway). Ring  *)
(*    capacity and FULL are the ring spec's business. Any garbage a hostile*)
(*    holder writes into ring positions or headers is one flag,            *)
(*    garbled[m]: the ring validation of Ring.tla then fails and the       *)
(*    switch quarantines the port (Ring.tla shows that whatever the bytes, *)
(*    the switch stays within the memory and does bounded work).  A frame  *)
(*    records its origin (ghost: the guest of the generation whose memory  *)
(*    it was written into, i.e. the port it enters the switch by), the     *)
(*    source MAC it claims, its destination MAC, and that generation       *)
(*    (ghost, wgen), and who really wrote it (ghost, writer: a hostile     *)
(*    guest may write through a descriptor passed to it or kept after its  *)
(*    retirement).  Writes (frames or garbage) into the memory of a        *)
(*    generation not the writer's are also logged in the ghost            *)
(*    foreignWrites.  A guest's MAC is its                                 *)
(*    identity. Each guest is created at most once and sends at most       *)
(*    MaxSend frames or garbage writes (through any capability, at any     *)
(*    time, also after its retirement); the switch crashes at most         *)
(*    MaxCrashes times: the model is finite. A guest crash is a guest that *)
(*    stops acting (guests have no fairness) followed by the CP's Retire.  *)
(*    Capabilities only grow (caps): a retired honest guest's process is   *)
(*    dead and never uses its old descriptor, a hostile one keeps using    *)
(*    it.  The switch's descriptor of a generation is folded into its      *)
(*    port (port[s].mem): the CP pushes it before the RELEASE store of     *)
(*    ASSIGNED, and SwitchPort#attach maps the descriptor of exactly the   *)
(*    generation it read in the table.                                     *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets, TLC

CONSTANTS
    Guests,      \* guest identities (strings); a guest's identity is its MAC
    Slots,       \* the N slots of the pool (strings)
    Tenant,      \* Tenant[g]: the tenant guest g belongs to
    Dst,         \* Dst[g][i]: the destination address of honest guest g's i-th
                 \* frame; an honest guest sends Len(Dst[g]) frames (fixed per
                 \* model to keep it small; a hostile guest writes MaxSend
                 \* times, any address each time): a guest's MAC (a MAC
                 \* of another tenant is unknown in the sender's), Bcast (a
                 \* group address) or UnknownMac (bound to no guest)
    Hostile,     \* the hostile guests, a subset of Guests
    MaxSend,     \* writes each guest makes at most
    MaxCrashes,  \* times the switch may crash
    Flaw         \* "none" or one deliberate flaw (bug models only):
                 \*  "noScrub"              one memory object per slot, and the
                 \*                         CP frees a slot without zeroing it
                 \*  "reuseMemory"          one memory object per slot, zeroed
                 \*                         in place at Scrub and granted to the
                 \*                         next generation (the previous design):
                 \*                         an old capability reaches it
                 \*  "scrubNoAck"           CP releases and frees without waiting
                 \*                         for the switch's ack
                 \*  "guestWritableBinding" the binding entry lives where its
                 \*                         guest can write it
                 \*  "ackBeforeDetach"      the switch acks the release and keeps
                 \*                         serving the old generation a while
                 \*  "resumeFromRing"       a restarted switch resumes the TX ring
                 \*                         from the consumer position in the ring
                 \*                         (guest-writable), not from its status
                 \*  "noRepublish"          a restarted switch resumes from its
                 \*                         status but does not publish the resumed
                 \*                         TX position until it consumes more
                 \*  "releaseBeforeForward" the switch releases a TX record before
                 \*                         the frame made of it is published to
                 \*                         its destinations (pollCopy instead of
                 \*                         pollCopyDeferred)
                 \*  "floodAllTenants"     a flood goes to every other port,
                 \*                         whatever its tenant

None == "none"
\* Destination addresses besides the guests' MACs: a group address (Java:
\* Mac.isGroup, broadcast or multicast) and a unicast MAC bound to no guest.
Bcast == "bcast"
UnknownMac == "unknown"
Addrs == Guests \cup {Bcast, UnknownMac}
\* The source and destination of a record a hostile guest wrote: whatever
\* the bytes hold when the switch copies the record (see GuestSend).
AnyAddr == "any"
Tenants == {Tenant[g] : g \in Guests}
Gens == 1..Cardinality(Guests)   \* every assignment creates a new generation
Max2(a, b) == IF a >= b THEN a ELSE b
Min2(a, b) == IF a <= b THEN a ELSE b

\* Memory objects.  With the design, one per (slot, generation); the flaws
\* "noScrub" and "reuseMemory" keep one object per slot (<<s, 0>>).
Mems == Slots \X ({0} \cup Gens)
ReusesMemory == Flaw \in {"noScrub", "reuseMemory"}
MemOf(s, n) == IF ReusesMemory THEN <<s, 0>> ELSE <<s, n>>

ASSUME /\ None \notin Guests \cup Slots \cup Tenants
       /\ Tenant \in [Guests -> STRING]
       /\ {Bcast, UnknownMac} \cap Guests = {}
       /\ MaxSend \in Nat
       /\ \A g \in Guests : Dst[g] \in Seq(Addrs) /\ Len(Dst[g]) <= MaxSend
       /\ Hostile \subseteq Guests
       /\ MaxSend \in Nat /\ MaxCrashes \in Nat
       /\ Flaw \in {"none", "noScrub", "reuseMemory", "scrubNoAck",
                    "guestWritableBinding", "ackBeforeDetach",
                    "resumeFromRing", "noRepublish", "releaseBeforeForward",
                    "floodAllTenants"}

FreeEntry(gen) == [state |-> "FREE", gen |-> gen, mac |-> None, tenant |-> None]
NoPort == [st |-> "none", gen |-> 0, mac |-> None, tenant |-> None, txh |-> 0,
           rxt |-> 0, pend |-> FALSE, mem |-> <<None, 0>>, held |-> <<>>]
Serving == {"up", "draining"}   \* port states in which the switch moves frames

VARIABLES
    \* ---- control plane ----
    binding,    \* the binding table (shared file: CP writes, switch reads)
    cpb,        \* the CP's private record of the bindings it wrote
    gstate,     \* [Guests -> {"new","running","stopped"}] guest processes
    access,     \* [Guests -> Slots \cup {None}] the slot of the guest's current
                \* assignment (the CP serves it that generation's descriptor)
    swAlive,    \* a switch process is running
    crashes,    \* switch crashes so far
    \* ---- switch ----
    poolReady,  \* the pool's ready mark (written once by the first switch)
    port,       \* [Slots -> port] the switch's private port table (lost on
                \* crash); port[s].mem is the memory object it maps for s
    ack,        \* [Slots -> Nat] switch status: last generation released per slot
    stTx,       \* [Slots \X Gens -> Nat] switch status: TX consumer position the
                \* switch last released for that generation of the slot (stored
                \* before the ring's release store); 0 for one it never served
    stRx,       \* [Slots \X Gens -> Nat] switch status: RX producer position the
                \* switch last published for that generation of the slot
    \* ---- memory objects (shared by the switch and their holders) ----
    tx,         \* [Mems -> Seq(Frame)] frames committed to the TX ring
    txHead,     \* [Mems -> Nat] consumer position of the TX ring published by the
                \* switch (what a hostile holder writes into that word is havoc
                \* on the switch's load of it: TxHeadLoads)
    rx,         \* [Mems -> Seq(Frame)] frames the switch wrote into the RX ring
    garbled,    \* [Mems -> BOOLEAN] a hostile holder wrote invalid positions/records
    \* ---- guests (private) ----
    sentCnt,    \* [Guests -> Nat] frames sent
    caps,       \* [Guests -> SUBSET Mems] memory objects the CP gave the guest a
                \* descriptor of (only grows: a hostile guest keeps them all);
                \* with the ones passed to it: Held(g)
    \* ---- history (ghost) ----
    delivered,  \* TX frames the switch has forwarded into some RX ring
    dup,        \* TX frames the switch has forwarded more than once
    dupOK,      \* TX frames forwarded by a switch that crashed before publishing
                \* the consumer position past them (may legitimately be duplicated)
    decided,    \* TX frames the switch has forwarded (published into the RX rings
                \* of all its targets, maybe none) or dropped
    genGuest,   \* [Slots \X Gens -> Guests \cup {None}] the guest of each generation
    foreignWrites \* <<writer, slot, gen>>: writer wrote into the memory of a
                \* generation whose guest is not the writer

cpVars    == <<binding, cpb, gstate, access, swAlive, crashes>>
swVars    == <<poolReady, port, ack, stTx, stRx>>
memVars   == <<tx, txHead, rx, garbled>>
slotVars  == memVars
guestVars == <<sentCnt, caps>>
ghostVars == <<delivered, dup, dupOK, decided, genGuest, foreignWrites>>
vars == <<cpVars, swVars, memVars, guestVars, ghostVars>>

\* The generation whose data memory object m holds now: its own generation,
\* or, when one object serves every generation of the slot, the slot's
\* latest generation.
MemGen(m) == IF ReusesMemory THEN cpb[m[1]].gen ELSE m[2]
\* The memory object of slot s's current generation.
CurMem(s) == MemOf(s, cpb[s].gen)

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
    /\ stTx = [k \in Slots \X Gens |-> 0]
    /\ stRx = [k \in Slots \X Gens |-> 0]
    /\ tx = [m \in Mems |-> <<>>]
    /\ txHead = [m \in Mems |-> 0]
    /\ rx = [m \in Mems |-> <<>>]
    /\ garbled = [m \in Mems |-> FALSE]
    /\ sentCnt = [g \in Guests |-> 0]
    /\ caps = [g \in Guests |-> {}]
    /\ delivered = {}
    /\ dup = {}
    /\ dupOK = {}
    /\ decided = {}
    /\ genGuest = [x \in Slots \X Gens |-> None]
    /\ foreignWrites = {}

-----------------------------------------------------------------------------
(***************************************************************************)
(* CONTROL PLANE  (doms.control.ControlPlane)                              *)
(***************************************************************************)

\* ControlPlane#restartSwitch (also the first start at boot).  The CP is the
\* switch's parent: it learns of its death from the process exit (waitpid),
\* so "no switch alive" is a fact, not a guess from a missed heartbeat (a
\* hung switch is killed and reaped first).  The new process starts with an
\* empty private port table (and receives the descriptors of the current
\* generations again from the CapabilityServer).
StartSwitch ==
    /\ ~swAlive
    /\ swAlive' = TRUE
    /\ port' = [s \in Slots |-> NoPort]
    /\ UNCHANGED <<binding, cpb, gstate, access, crashes, poolReady, ack, stTx,
                   stRx, memVars, guestVars, ghostVars>>

\* ControlPlane#assign(g): pick a FREE slot, increment its generation,
\* create that generation's memory object (doms.cap.Memfd#create: a fresh
\* sealed memfd, zeroed; SlotDescriptor#initialise: empty rings), push its
\* descriptor to the switch (CapabilityServer), write MAC, tenant and
\* generation, then set ASSIGNED (release), start guest g, which gets the
\* descriptor of that generation only (CapabilityServer, SO_PEERCRED).
\* Under the flaws "noScrub"/"reuseMemory" there is no new object: the slot's
\* single object (scrubbed or not at Scrub) is granted again.
Assign(g, s) ==
    /\ poolReady
    /\ gstate[g] = "new"
    /\ cpb[s].state = "FREE"
    /\ LET n == cpb[s].gen + 1
           m == MemOf(s, n)
           e == [state |-> "ASSIGNED", gen |-> n, mac |-> g, tenant |-> Tenant[g]]
       IN /\ cpb' = [cpb EXCEPT ![s] = e]
          /\ binding' = [binding EXCEPT ![s] = e]
          /\ IF ReusesMemory
               THEN UNCHANGED memVars                 \* FLAW: same object again
               ELSE /\ tx' = [tx EXCEPT ![m] = <<>>]  \* a fresh memory object
                    /\ txHead' = [txHead EXCEPT ![m] = 0]
                    /\ rx' = [rx EXCEPT ![m] = <<>>]
                    /\ garbled' = [garbled EXCEPT ![m] = FALSE]
          /\ caps' = [caps EXCEPT ![g] = @ \cup {m}]
          /\ genGuest' = [genGuest EXCEPT ![<<s, n>>] = g]
    /\ access' = [access EXCEPT ![g] = s]
    /\ gstate' = [gstate EXCEPT ![g] = "running"]
    /\ UNCHANGED <<swAlive, crashes, swVars, sentCnt, delivered, dup, dupOK,
                   decided, foreignWrites>>

\* ControlPlane#retire(g): the operator retires g, or the CP noticed that g
\* died.  Set RETIRING, stop the guest process.  The guest's descriptors are
\* NOT revoked (descriptors cannot be): a hostile guest keeps them (caps).
Retire(g) ==
    /\ gstate[g] = "running"
    /\ LET s == access[g]
           e == [cpb[s] EXCEPT !.state = "RETIRING"]
       IN /\ cpb' = [cpb EXCEPT ![s] = e]
          /\ binding' = [binding EXCEPT ![s] = e]
    /\ gstate' = [gstate EXCEPT ![g] = "stopped"]
    /\ access' = [access EXCEPT ![g] = None]
    /\ UNCHANGED <<swAlive, crashes, swVars, memVars, guestVars, ghostVars>>

\* Second half of ControlPlane#retire (name kept from the design that
\* scrubbed in place): once the switch has acknowledged releasing this
\* generation, or no switch process exists, the CP closes its own descriptor
\* of the generation's memory object and sets FREE.  The object is then
\* unreachable for the switch and the CP; nothing zeroes it (only old holders
\* can still reach it) -- the next Assign creates a new one.  Under the flaw
\* "reuseMemory" the single memory object is zeroed in place here (the old
\* design); under "noScrub" it is not even zeroed.  The CP does this in one
\* critical section with respect to restartSwitch: a switch started later
\* sees FREE.
Scrub(s) ==
    /\ cpb[s].state = "RETIRING"
    /\ \/ ack[s] >= cpb[s].gen
       \/ ~swAlive
       \/ Flaw = "scrubNoAck"                     \* FLAW: does not wait
    /\ IF Flaw = "reuseMemory"                    \* FLAW: scrub in place
         THEN LET m == CurMem(s) IN
              /\ tx' = [tx EXCEPT ![m] = <<>>]
              /\ txHead' = [txHead EXCEPT ![m] = 0]
              /\ rx' = [rx EXCEPT ![m] = <<>>]
              /\ garbled' = [garbled EXCEPT ![m] = FALSE]
         ELSE UNCHANGED memVars
    /\ cpb' = [cpb EXCEPT ![s] = FreeEntry(cpb[s].gen)]
    /\ binding' = [binding EXCEPT ![s] = FreeEntry(cpb[s].gen)]
    /\ UNCHANGED <<gstate, access, swAlive, crashes, swVars, guestVars, ghostVars>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* SWITCH  (package doms.sw)                                               *)
(* Switch actions read only: binding (the table), the memory objects whose *)
(* descriptors the CP pushed to it, their own private port table and       *)
(* status, the pool's ready mark.  None reads a CP-private variable (cpb,  *)
(* gstate, access, caps) or waits for a CP action: after boot the switch   *)
(* depends on the CP for nothing but the table and the pushed descriptors. *)
(***************************************************************************)

\* The switch at first boot (doms.sw.Switch#boot): create the status file,
\* then write the pool's ready mark.  Slot memory is no longer allocated
\* here: each generation's memory object is created by the CP at Assign.
\* A restarted switch finds the mark and maps the pool as is.
AllocatePool ==
    /\ swAlive
    /\ ~poolReady
    /\ poolReady' = TRUE
    /\ UNCHANGED <<cpVars, port, ack, stTx, stRx, memVars, guestVars, ghostVars>>

\* SwitchPort#attach: the port takes MAC, tenant and generation from the
\* binding entry into private memory, maps the descriptor of exactly that
\* generation (SlotDiscovery; the newest one SlotGrants#poll drained for the
\* slot), and takes its own ring positions -- TX consumer and RX producer --
\* from its status (SwitchStatus#opaqueResumePosition; RingConsumer#attachAt,
\* RingProducer#attachAt): where it last released / published them for this
\* generation, 0 for a generation it never served (SlotDiscovery#attach
\* zeroes them before it records the generation as served: in the model
\* stTx/stRx are kept per generation, initially 0).  It never reads its own
\* positions back from the ring.  The guest's positions are read once and
\* validated (Ring.tla); invalid: quarantined.  A resumed TX position not 0
\* is published once (pend): a crash between the status store and the
\* ring's release store left the ring behind the status.
\* Flaw "resumeFromRing": the TX consumer position is taken from the ring's
\* word (RingConsumer#attach, the previous design): v, the value that load
\* returns (TxHeadLoads).
\* Flaw "noRepublish": resumed from the status but not published once.
Attach(s, b, v) ==
    LET m == MemOf(s, b.gen)
        k == <<s, b.gen>>
        h == IF Flaw = "resumeFromRing" THEN v    \* FLAW: guest-writable word
             ELSE stTx[k]
    IN
    IF garbled[m]
    THEN [st |-> "quarantined", gen |-> b.gen, mac |-> b.mac, tenant |-> b.tenant,
          txh |-> 0, rxt |-> 0, pend |-> FALSE, mem |-> m, held |-> <<>>]
    ELSE [st |-> "up", gen |-> b.gen, mac |-> b.mac, tenant |-> b.tenant,
          txh |-> h, rxt |-> stRx[k],
          pend |-> Flaw \notin {"resumeFromRing", "noRepublish"} /\ h # 0,
          mem |-> m, held |-> <<>>]

\* What the switch's load of the consumer position word of memory object
\* m's TX ring can return (only Flaw "resumeFromRing" loads it; the design
\* never reads its own positions back).  A hostile guest holding m may have
\* written any value into that word at any earlier step, also while the
\* switch was down: as in Ring.tla, the hostile writer is havoc on the
\* honest side's read (every value the validation accepts: 0 up to the
\* producer's position; the values it rejects are GuestGarble).  This is
\* the same power as a guest action rewriting the word at any step, without
\* multiplying the states by the word's values where nobody reads it.
HostileHeld(m) == m \in UNION {caps[h] : h \in Hostile}   \* = Held(h), h hostile
TxHeadLoads(m) == IF HostileHeld(m) THEN 0..Len(tx[m]) ELSE {txHead[m]}

\* SlotDiscovery#poll, one binding entry per step (bounded work per poll).
Discover(s) ==
    /\ swAlive
    /\ poolReady
    /\ LET b == binding[s]
           p == port[s]
       IN \/ \* a generation this switch does not serve yet: attach
             /\ b.state = "ASSIGNED"
             /\ p.st = "none"
             /\ \E v \in TxHeadLoads(MemOf(s, b.gen)) :
                   port' = [port EXCEPT ![s] = Attach(s, b, v)]
             /\ UNCHANGED ack
          \/ \* the served generation is retiring: SwitchPort#detach (unmap,
             \* close the descriptor), then ack
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
    /\ UNCHANGED <<cpVars, poolReady, stTx, stRx, memVars, guestVars, ghostVars>>

\* Only under Flaw "ackBeforeDetach": the deferred detach.
FinishDetach(s) ==
    /\ port[s].st = "draining"
    /\ port' = [port EXCEPT ![s] = NoPort]
    /\ UNCHANGED <<cpVars, poolReady, ack, stTx, stRx, memVars, guestVars, ghostVars>>

\* The ports a frame f taken from s's TX ring goes to (Forwarder#fromPort,
\* Forwarder): none if its source MAC is not the MAC bound to s (dropped,
\* counted); for a unicast destination that the lookup by (s's tenant, MAC)
\* finds, that port unless it is s (a quarantined one takes nothing:
\* SwitchPort#deliver); for a group destination or a unicast MAC the lookup
\* does not find (bound to no port of s's tenant): flooded to every other
\* port of s's tenant (Forwarder#flood).  Every lookup is keyed by s's tenant.
Targets(s, f) ==
    LET Peers == {d \in Slots \ {s} : /\ port[d].st \in Serving
                                     /\ \/ port[d].tenant = port[s].tenant
                                        \/ Flaw = "floodAllTenants"}   \* FLAW
        Hit   == {d \in Slots : /\ f.dst # Bcast
                                /\ port[d].st # "none"
                                /\ port[d].mac = f.dst
                                /\ port[d].tenant = port[s].tenant}
    IN IF f.smac # port[s].mac THEN {}
       ELSE IF Hit # {} THEN {d \in Hit \ {s} : port[d].st \in Serving}
       ELSE Peers

\* What the switch's copy of TX record f can hold (RingConsumer#pollCopyDeferred
\* copies each record once, into private memory, and decides on the copy).
\* An honest guest's record holds what it wrote.  A record a hostile guest
\* wrote holds AnyAddr: the hostile writer (or any holder of the memory) may
\* rewrite it at any step until the copy, also across a switch crash, so
\* the copy holds any source and any destination.  Drawing them at the copy
\* instead of at the write is the same power, with fewer states.
Copies(f) == IF f.smac = AnyAddr
             THEN {[f EXCEPT !.smac = sm, !.dst = d] : sm \in Guests, d \in Addrs}
             ELSE {f}

\* The switch forwards frame f from s: a copy c of it is written into the RX
\* ring of the memory object each target maps, with the targets' publishRx
\* (status store of the RX producer position, then the ring's release
\* store) in the same step; p1 is the port table after s's own change.  The
\* record f is then decided (delivered, dup and decided name the record, so
\* a record copied twice is a duplicate whatever its bytes held).  The RX
\* ring gets the copy's source; its destination is not kept (no property
\* reads it; keeping it would only multiply the states).
Deliver(s, f, p1) ==
  \E c \in Copies(f) :
    LET D == Targets(s, c)
        go == D # {}
    IN /\ rx' = [m \in Mems |->
                   IF m[1] \in D /\ m = port[m[1]].mem
                   THEN Append(rx[m], [f EXCEPT !.smac = c.smac, !.wgen = port[m[1]].gen])
                   ELSE rx[m]]
       /\ stRx' = [k \in Slots \X Gens |->
                   IF k[1] \in D /\ k[2] = port[k[1]].gen
                   THEN stRx[k] + 1 ELSE stRx[k]]
       /\ port' = [x \in Slots |->
                   IF x \in D THEN [p1[x] EXCEPT !.rxt = @ + 1] ELSE p1[x]]
       /\ delivered' = IF go THEN delivered \cup {f} ELSE delivered
       /\ dup' = IF go /\ f \in delivered THEN dup \cup {f} ELSE dup
       /\ decided' = decided \cup {f}

\* SwitchPort#pollTx (RingConsumer#pollCopyDeferred on the TX ring of the
\* memory object the port maps, one record) and the forwarding decision
\* (Targets, Deliver).  Invalid positions or records: the port is
\* quarantined.  The delivery and the destinations' publishRx are one step
\* here: a crash after the status store and before the ring's leaves
\* records written and not yet published, which the next switch publishes
\* with its next RX publish; the TX records they came from are not released
\* yet (Switch#round: publishRx before releaseTx), so they are forwarded
\* again (duplicates in dupOK), never lost.  Not while a TX release is half
\* done (pend): SwitchPort#releaseTx stores the status and then the ring.
\* Flaw "releaseBeforeForward" (RingConsumer#pollCopy: the read publishes
\* the consumer position before the round publishes the RX rings): the
\* record is copied into private memory (held) and released in the ring
\* and in the status at once; ForwardHeld forwards it later.
Forward(s) ==
    /\ swAlive
    /\ port[s].st \in Serving
    /\ ~port[s].pend
    /\ port[s].held = <<>>
    /\ LET ms == port[s].mem IN
       IF garbled[ms]
       THEN /\ port' = [port EXCEPT ![s].st = "quarantined"]
            /\ UNCHANGED <<rx, stTx, stRx, txHead, delivered, dup, decided>>
       ELSE /\ port[s].txh < Len(tx[ms])
            /\ LET f  == tx[ms][port[s].txh + 1]
                   p1 == [port EXCEPT ![s].txh = @ + 1]
               IN IF Flaw = "releaseBeforeForward"
                  THEN /\ port' = [p1 EXCEPT ![s].held = <<f>>]     \* FLAW
                       /\ stTx' = [stTx EXCEPT ![<<s, port[s].gen>>] = p1[s].txh]
                       /\ txHead' = [txHead EXCEPT ![ms] = p1[s].txh]
                       /\ UNCHANGED <<rx, stRx, delivered, dup, decided>>
                  ELSE /\ Deliver(s, f, p1)
                       /\ UNCHANGED <<stTx, txHead>>
    /\ UNCHANGED <<cpVars, poolReady, ack, tx, garbled, guestVars,
                   dupOK, genGuest, foreignWrites>>

\* Only under Flaw "releaseBeforeForward": the frame copied and released by
\* Forward is forwarded (a crash before this step loses it).
ForwardHeld(s) ==
    /\ swAlive
    /\ port[s].st \in Serving
    /\ port[s].held # <<>>
    /\ Deliver(s, port[s].held[1], [port EXCEPT ![s].held = <<>>])
    /\ UNCHANGED <<cpVars, poolReady, ack, stTx, tx, txHead, garbled, guestVars,
                   dupOK, genGuest, foreignWrites>>

\* SwitchPort#releaseTx, first store: the consumer position the port has
\* consumed to goes into the switch's status (SwitchStatus#opaqueResumePosition,
\* TX_CONSUMED), BEFORE the ring's release store (PublishTx).  Only when it
\* moved since the last release (head != savedTx).
SaveTx(s) ==
    /\ swAlive
    /\ port[s].st \in Serving
    /\ ~port[s].pend
    /\ port[s].txh # stTx[<<s, port[s].gen>>]
    /\ stTx' = [stTx EXCEPT ![<<s, port[s].gen>>] = port[s].txh]
    /\ port' = [port EXCEPT ![s].pend = TRUE]
    /\ UNCHANGED <<cpVars, poolReady, ack, stRx, memVars, guestVars, ghostVars>>

\* SwitchPort#releaseTx, second store (RingConsumer#publish): RELEASE store
\* of the private consumer position into the ring.  Also the one publish of
\* a resumed position after a restart (pend set by Attach).
PublishTx(s) ==
    /\ swAlive
    /\ port[s].st \in Serving
    /\ port[s].pend
    /\ txHead' = [txHead EXCEPT ![port[s].mem] = port[s].txh]
    /\ port' = [port EXCEPT ![s].pend = FALSE]
    /\ UNCHANGED <<cpVars, poolReady, ack, stTx, stRx, tx, rx, garbled, guestVars,
                   ghostVars>>

\* The switch process dies at any point.  Its private state (and its
\* descriptors) is lost; the memory objects (held by the CP), the table and
\* its status survive.  Frames it forwarded but whose consumer position it
\* had not yet published (its own last store into the ring: what a guest
\* writes into that word does not count) may be forwarded again by the next
\* switch: exactly those may be duplicated.
SwitchCrash ==
    /\ swAlive
    /\ crashes < MaxCrashes
    /\ swAlive' = FALSE
    /\ crashes' = crashes + 1
    /\ port' = [s \in Slots |-> NoPort]
    /\ dupOK' = dupOK \cup
          UNION {{tx[port[x].mem][i] : i \in (txHead[port[x].mem] + 1)..port[x].txh} :
                   x \in {y \in Slots : port[y].st \in Serving}}
    /\ UNCHANGED <<binding, cpb, gstate, access, poolReady, ack, stTx, stRx, memVars,
                   guestVars, delivered, dup, decided, genGuest, foreignWrites>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* GUESTS  (doms.guest.GuestPort)                                          *)
(***************************************************************************)

\* A guest is started by the CP (Assign), receives the descriptor of its
\* generation (CapabilityServer) and maps it (GuestPort#attach, checking the
\* ring headers); mapping changes nothing shared, so it is part of the
\* start.  A guest may stop doing anything at any time (guests have no
\* fairness): a crashed guest is an idle one, and the CP's reaction to the
\* crash is Retire.  What a guest "sees" is every memory object it holds a
\* descriptor of (it can read every byte, published or not), so the
\* properties below are stated on the contents of memory objects, not on
\* the frames a guest happens to read.

\* Who a write into memory object m reaches: the guest of the generation m
\* holds now (its port in the switch).
WriteInto(g, m, f) ==
    LET n == MemGen(m)
        o == genGuest[<<m[1], n>>]
    IN /\ tx' = [tx EXCEPT ![m] = Append(@, [f EXCEPT !.origin = o, !.wgen = n])]
       /\ foreignWrites' = IF o = g THEN foreignWrites
                           ELSE foreignWrites \cup {<<g, m[1], n>>}

\* Descriptors passed between hostile guests (SCM_RIGHTS to another
\* process).  Hostile guests collude: the model gives every hostile guest at
\* once every descriptor any hostile guest holds, the strongest case of
\* passing (holding a descriptor earlier never takes any power away, and
\* this saves the interleavings of separate "pass" steps).  Passing to an
\* honest guest changes nothing: an honest guest uses only the descriptor
\* the CP gave it for its current generation.
Held(g) == IF g \in Hostile THEN UNION {caps[h] : h \in Hostile} ELSE caps[g]

\* GuestPort#send: commit a frame to the TX ring (write + publish).  An
\* honest guest writes only into its current generation's memory, uses its
\* own MAC as source and sends to Dst[g] in order.  A hostile one writes
\* through any descriptor it holds (also after its retirement, also one
\* passed to it) a record whose source and destination are any address at
\* all (AnyAddr: a guest's MAC, its own, one of its tenant or of another, a
\* group address, a MAC bound to nobody), and may change them at any step
\* until the switch copies the record (Copies).  MaxSend bounds the writes
\* of each guest (frames, garbage and repairs).
Sends(g) == IF g \in Hostile THEN MaxSend ELSE Len(Dst[g])
GuestSend(g, m) ==
    /\ sentCnt[g] < Sends(g)
    /\ IF g \in Hostile
         THEN m \in Held(g)
         ELSE /\ gstate[g] = "running"
              /\ m = CurMem(access[g])
    /\ WriteInto(g, m, [origin |-> g, writer |-> g,
                        smac |-> IF g \in Hostile THEN AnyAddr ELSE g,
                        dst |-> IF g \in Hostile THEN AnyAddr ELSE Dst[g][sentCnt[g] + 1],
                        wgen |-> 0, id |-> sentCnt[g] + 1])
    /\ sentCnt' = [sentCnt EXCEPT ![g] = @ + 1]
    /\ UNCHANGED <<cpVars, swVars, txHead, rx, garbled, caps, delivered, dup,
                   dupOK, decided, genGuest>>

\* The words of a slot a hostile guest can write, and where the model lets
\* it write any value at any step:
\*  - a TX record (length, type, bytes): GuestSend, any source and
\*    destination until the switch copies it (Copies); a record the ring
\*    validation rejects: GuestGarble;
\*  - the TX ring's producer position: forward over written records is
\*    GuestSend; backwards, unaligned, beyond the ring: GuestGarble (the
\*    switch's RingConsumer rejects each);
\*  - the TX ring's consumer position (the switch's word; only a flawed
\*    switch reads it back): havoc on that read, TxHeadLoads;
\*  - the RX ring's consumer position and RX records: read by the switch as
\*    the RX ring's producer only to find free space; Ring.tla's hostile
\*    consumer (MCRingHostileConsumer) checks that; here the RX ring does
\*    not fill, so nothing the switch decides depends on them.
\* GuestGarble writes garbage into the ring words of a memory object the
\* guest holds a descriptor of (its own, an old one, a passed one), at any
\* time, also after its retirement, or repairs what it garbled (valid values
\* again, before or after the switch looked); each counts against MaxSend.
GuestGarble(g, m) ==
    /\ g \in Hostile
    /\ m \in Held(g)
    /\ sentCnt[g] < MaxSend
    /\ sentCnt' = [sentCnt EXCEPT ![g] = @ + 1]
    /\ garbled' = [garbled EXCEPT ![m] = ~@]
    /\ LET n == MemGen(m)
           o == genGuest[<<m[1], n>>]
       IN foreignWrites' = IF o = g THEN foreignWrites
                           ELSE foreignWrites \cup {<<g, m[1], n>>}
    /\ UNCHANGED <<cpVars, swVars, tx, txHead, rx, caps, delivered, dup,
                   dupOK, decided, genGuest>>


\* Only under Flaw "guestWritableBinding": the binding entry is in memory the
\* guest can write (e.g. in its own slot memory), and a hostile guest changes
\* its tenant.
GuestRewriteBinding(g) ==
    /\ Flaw = "guestWritableBinding"
    /\ g \in Hostile
    /\ gstate[g] = "running"
    /\ \E t \in Tenants \ {binding[access[g]].tenant} :
          binding' = [binding EXCEPT ![access[g]].tenant = t]
    /\ UNCHANGED <<cpb, gstate, access, swAlive, crashes, swVars, memVars,
                   guestVars, ghostVars>>

-----------------------------------------------------------------------------
Next ==
    \/ StartSwitch
    \/ \E g \in Guests, s \in Slots : Assign(g, s)
    \/ \E g \in Guests : Retire(g)
    \/ \E s \in Slots : Scrub(s)
    \/ AllocatePool
    \/ \E s \in Slots : Discover(s) \/ FinishDetach(s) \/ Forward(s) \/ SaveTx(s)
                        \/ PublishTx(s) \/ ForwardHeld(s)
    \/ SwitchCrash
    \/ \E g \in Guests : \/ \E m \in Mems : GuestSend(g, m) \/ GuestGarble(g, m)
                         \/ GuestRewriteBinding(g)

\* Fairness: the switch keeps polling; the CP restarts a dead switch and
\* finishes releasing what it retired.  Nothing is assumed of guests, of
\* the operator (Assign, Retire) or of crashes.
Fairness ==
    /\ WF_vars(StartSwitch)
    /\ WF_vars(AllocatePool)
    /\ \A s \in Slots : /\ WF_vars(Discover(s))
                        /\ WF_vars(FinishDetach(s))
                        /\ WF_vars(Forward(s))
                        /\ WF_vars(ForwardHeld(s))
                        /\ WF_vars(SaveTx(s))
                        /\ WF_vars(PublishTx(s))
                        /\ WF_vars(Scrub(s))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(***************************************************************************)
(* PROPERTIES                                                              *)
(***************************************************************************)

Entry == [state : {"FREE", "ASSIGNED", "RETIRING"}, gen : 0..Cardinality(Guests),
          mac : Guests \cup {None}, tenant : Tenants \cup {None}]
\* A frame's identity is <<writer, id>>: the writer's count of its writes.
Frame == [origin : Guests, writer : Guests, smac : Guests \cup {AnyAddr},
          dst : Addrs \cup {AnyAddr}, wgen : Nat, id : 1..MaxSend]

TypeOK ==
    /\ binding \in [Slots -> Entry]
    /\ cpb \in [Slots -> Entry]
    /\ gstate \in [Guests -> {"new", "running", "stopped"}]
    /\ access \in [Guests -> Slots \cup {None}]
    /\ swAlive \in BOOLEAN /\ crashes \in 0..MaxCrashes /\ poolReady \in BOOLEAN
    /\ \A s \in Slots : /\ port[s].st \in {"none", "up", "quarantined", "draining"}
                        /\ port[s].st # "none" => port[s].mem \in Mems
    /\ ack \in [Slots -> Nat]
    /\ stTx \in [Slots \X Gens -> Nat] /\ stRx \in [Slots \X Gens -> Nat]
    /\ \A s \in Slots : /\ port[s].txh \in Nat /\ port[s].rxt \in Nat
                        /\ port[s].pend \in BOOLEAN
                        /\ Len(port[s].held) <= 1
    /\ \A m \in Mems : /\ tx[m] \in Seq(Frame) /\ rx[m] \in Seq(Frame)
                       /\ txHead[m] \in Nat
    /\ garbled \in [Mems -> BOOLEAN]
    /\ sentCnt \in [Guests -> 0..MaxSend]
    /\ \A g \in Guests : caps[g] \subseteq Mems
    /\ genGuest \in [Slots \X Gens -> Guests \cup {None}]

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
\* only for a slot that is ASSIGNED or RETIRING with the port's generation,
\* and it maps that generation's memory object.
ServesCurrentGeneration ==
    \A s \in Slots : port[s].st # "none" =>
        /\ cpb[s].state \in {"ASSIGNED", "RETIRING"}
        /\ cpb[s].gen = port[s].gen
        /\ port[s].mem = CurMem(s)

\* A generation starts on clean memory: the memory object the next Assign of
\* a FREE slot will grant is zeroed, and the memory object of an ASSIGNED
\* slot holds nothing written for an earlier generation (a new guest never
\* sees the previous tenant's data).  With the design this holds because
\* the next object is new; under "reuseMemory" because Scrub zeroed it (as
\* long as nobody with an old descriptor writes into it afterwards).
MemEmpty(m) == tx[m] = <<>> /\ rx[m] = <<>> /\ txHead[m] = 0 /\ ~garbled[m]
ScrubBeforeReuse ==
    \A s \in Slots :
        /\ cpb[s].state = "FREE" /\ cpb[s].gen + 1 \in Gens =>
              MemEmpty(MemOf(s, cpb[s].gen + 1))
        /\ cpb[s].state = "ASSIGNED" =>
              \A i \in 1..Len(tx[CurMem(s)]) : tx[CurMem(s)][i].wgen = cpb[s].gen
        /\ cpb[s].state = "ASSIGNED" =>
              \A i \in 1..Len(rx[CurMem(s)]) : rx[CurMem(s)][i].wgen = cpb[s].gen

\* No frame crosses tenants: while a slot is held (ASSIGNED or RETIRING),
\* every frame in the RX ring of its current memory object comes from a
\* guest of the holder's tenant.
TenantIsolation ==
    \A s \in Slots : cpb[s].state # "FREE" =>
        \A i \in 1..Len(rx[CurMem(s)]) : Tenant[rx[CurMem(s)][i].origin] = cpb[s].tenant

\* The switch forwards only from the bound MAC: no RX ring ever holds a frame
\* whose claimed source is not the guest of the port it entered by.
SourceBinding ==
    \A m \in Mems : \A i \in 1..Len(rx[m]) : rx[m][i].smac = rx[m][i].origin

\* The switch never forwards a TX record twice, except in the one known
\* case: it forwarded the record and crashed before its own release of the
\* consumer position past it (its own store into the ring, txHead).  Whatever a hostile guest writes into
\* the consumer position word of its TX ring (TxHeadLoads), also while the
\* switch is down, no record is forwarded again: the restarted switch
\* resumes from its status (Flaw "resumeFromRing" fails this).
DuplicatesOnlyAfterCrash == dup \subseteq dupOK

\* No frame is lost across crashes (safety part): a TX record is released --
\* in the ring (txHead) or in the switch's status (stTx, where a restarted
\* switch resumes) -- only after the switch decided on its frame: forwarded
\* it (written and published into the RX ring of every target, in the same
\* step: Deliver) or dropped it.  A record not yet released is taken again
\* by the switch serving the slot, or by the next one after a crash.  So
\* every frame of a slot's current generation is, at every state, decided
\* or still ahead of where any switch resumes.  Flaw
\* "releaseBeforeForward" fails this.
ReleasedPos(s) == Max2(txHead[CurMem(s)], stTx[<<s, cpb[s].gen>>])
NoLossAcrossCrash ==
    \A s \in Slots : cpb[s].state # "FREE" =>
        \A i \in 1..Min2(ReleasedPos(s), Len(tx[CurMem(s)])) :
            tx[CurMem(s)][i] \in decided

\* The switch's own positions, for each port it serves: its status is never
\* behind its release into the ring and never ahead of what it consumed
\* (the status store comes first; a restarted switch resumes from it), and
\* its RX producer position is exactly past the records it has published
\* (a restarted switch neither overwrites a published RX record nor leaves
\* a gap).
ResumePositions ==
    \A s \in Slots : port[s].st \in Serving =>
        LET k == <<s, port[s].gen>>  m == port[s].mem IN
        /\ txHead[m] <= stTx[k]
        /\ stTx[k] <= port[s].txh
        /\ port[s].rxt = stRx[k]
        /\ stRx[k] = Len(rx[m])

\* Access is a capability per generation.  A guest keeps every descriptor it
\* ever held (caps) and a hostile one passes them on; still:
\*  (read)  through no descriptor it holds does a guest reach a frame that
\*          belongs to another tenant: every frame in a memory object it
\*          holds was sent by a guest of its tenant into the memory of a
\*          generation of its tenant -- unless that generation's guest is
\*          hostile (a hostile guest may share its own memory, and what it
\*          was sent, with anyone: it could copy it out anyway);
\*  (write) no guest writes into the memory of a generation of another
\*          tenant, unless that generation's guest is hostile (and gave it
\*          the descriptor);
\*  (old)   what an old descriptor's holder writes reaches nobody: the
\*          switch forwards from, and delivers into, only memory objects
\*          that belong to no generation that is over (released by the
\*          switch or ended by the CP).
\* The flaw "reuseMemory" (one object per slot) breaks all three: the old
\* descriptor of the slot's previous guest reaches the next generation.
GenOwner(s, n) == genGuest[<<s, n>>]
CapRead ==
    \A h \in Guests : \A m \in Held(h) :
        \A f \in {tx[m][i] : i \in 1..Len(tx[m])} \cup {rx[m][i] : i \in 1..Len(rx[m])} :
            LET r == GenOwner(m[1], f.wgen) IN
            \/ r \in Hostile
            \/ Tenant[r] = Tenant[h] /\ Tenant[f.origin] = Tenant[h]
CapWrite ==
    \A w \in foreignWrites :
        LET r == GenOwner(w[2], w[3]) IN
        r \in Hostile \/ Tenant[r] = Tenant[w[1]]
\* Generation n of slot s is over once the switch has released it (ack) or
\* the CP has ended it (FREE, or a later generation exists).
Over(s, n) == \/ n <= ack[s]
              \/ n < cpb[s].gen
              \/ n = cpb[s].gen /\ cpb[s].state = "FREE"
Released(m) == \E n \in Gens : Over(m[1], n) /\ MemOf(m[1], n) = m
CapReleased ==
    \A s \in Slots : port[s].st \in Serving => ~Released(port[s].mem)
CapabilityIsolation == CapRead /\ CapWrite /\ CapReleased

\* Liveness.  Every assigned slot is eventually served for its current
\* generation (attached, possibly quarantined) unless it stops being
\* assigned -- in particular after a switch crash and restart -- with no
\* CP action other than the restart.
Served(s) == port[s].st # "none" /\ port[s].gen = cpb[s].gen
ServedAgain ==
    \A s \in Slots : (cpb[s].state = "ASSIGNED")
                      ~> (Served(s) \/ cpb[s].state # "ASSIGNED")

\* No committed frame is lost: the frames committed to the TX ring of an
\* assigned, non-quarantined slot's current memory object are eventually
\* all consumed by the switch (its published consumer position reaches the
\* producer's, so the guest also gets its ring space back), across crashes.
NoLoss ==
    \A s \in Slots : (cpb[s].state = "ASSIGNED" /\ txHead[CurMem(s)] < Len(tx[CurMem(s)]))
                      ~> \/ txHead[CurMem(s)] = Len(tx[CurMem(s)])
                         \/ cpb[s].state # "ASSIGNED"
                         \/ port[s].st = "quarantined"

\* A retirement completes: the switch acknowledges (or is dead) and the CP
\* releases the generation; the CP never waits forever.
RetireCompletes == \A s \in Slots : cpb[s].state = "RETIRING" ~> cpb[s].state = "FREE"

\* No frame is lost across crashes (liveness part): every frame committed
\* to the TX ring of an assigned, non-quarantined slot's current memory
\* object is eventually decided (forwarded or dropped), also when the
\* switch crashes after taking it.  NoLoss above asks only that the records
\* are consumed, which a switch that releases before forwarding also does.
Undecided(m) == \E i \in 1..Len(tx[m]) : tx[m][i] \notin decided
EveryFrameDecided ==
    \A s \in Slots : (cpb[s].state = "ASSIGNED" /\ Undecided(CurMem(s)))
                      ~> \/ ~Undecided(CurMem(s))
                         \/ cpb[s].state # "ASSIGNED"
                         \/ port[s].st = "quarantined"
=============================================================================
