package doms.sw;

import doms.pool.BindingTable;
import doms.pool.PoolTrace;
import doms.pool.SwitchStatus;
import doms.pool.SwitchStatus.ResumePosition;
import doms.pool.SlotDescriptor;
import doms.shm.SharedMemory;
import java.io.IOException;

/**
 * How the switch learns of new and retired guests without being told: it polls the binding
 * table, one entry per slot, a fixed number of slots per pass (bounded work).
 *
 * <p>spec/pool: {@code Discover(s)}, whose disjuncts are an ASSIGNED generation not yet served
 * (attach a port: {@code Attach}), the served generation RETIRING (detach, then publish the
 * released generation with a release store so the control plane may drop it), a RETIRING one
 * never served (ack it), and the defensive case of a table that no longer shows the served
 * generation (detach and ack: proofs-notes/spec-mapping.md says how that differs).
 */
final class SlotDiscovery {
    private final Switch sw;
    private final BindingTable bindings;
    private final SwitchStatus status;
    private final SlotSource source;
    private final SwitchPort[] ports;
    /** The generation whose mapping failed, per slot: said once, not at every pass. */
    private final long[] complained;
    /** Private copy of the generation released per slot; the status file only publishes it. */
    private final long[] released;

    SlotDiscovery(final Switch sw, final BindingTable bindings, final SwitchStatus status, final SlotSource source) {
        this.sw = sw;
        this.source = source;
        this.complained = new long[bindings.slots()];
        this.bindings = bindings;
        this.status = status;
        this.ports = new SwitchPort[bindings.slots()];
        this.released = new long[bindings.slots()];
        for (int slot = 0; slot < released.length; slot++) {
            released[slot] = status.lvReleasedGeneration(slot); // what a previous switch released: its file, not a guest's
        }
    }

    private void release(final int slot, final long generation) {
        released[slot] = generation;
        status.soReleasedGeneration(slot, generation);
    }

    void pollAll() {
        source.poll();
        for (int slot = 0; slot < ports.length; slot++) {
            poll(slot);
        }
    }

    void poll(final int slot) {
        final long word = bindings.lvState(slot);
        final int state = BindingTable.state(word);
        final long generation = BindingTable.generation(word);
        final SwitchPort port = ports[slot];
        if (port != null && (state != BindingTable.ASSIGNED || port.generation() != generation)) {
            sw.detached(port);
            ports[slot] = null;
            release(slot, port.generation());
            if (PoolTrace.ON) {
                PoolTrace.detach(slot, state, generation, port.generation());
            }
        }
        if (state == BindingTable.RETIRING && released[slot] != generation) {
            release(slot, generation); // retired before we ever served it
            if (PoolTrace.ON) {
                PoolTrace.ackUnserved(slot, generation);
            }
        }
        if (state == BindingTable.ASSIGNED && ports[slot] == null) {
            attach(slot, generation, false);
        }
    }

    /** Detaches the slot's port, if any, and attaches its current generation again as a new one. */
    void renew(final int slot) {
        final SwitchPort port = ports[slot];
        if (port != null) {
            sw.detached(port);
            ports[slot] = null;
        }
        final long word = bindings.lvState(slot);
        if (BindingTable.state(word) == BindingTable.ASSIGNED) {
            attach(slot, BindingTable.generation(word), true);
        }
    }

    /** Discover's attach, and the republish of a resumed TX position (SwitchPort#attach stored it). */
    private static void traceAttach(final SwitchPort port, final long txConsumed) {
        PoolTrace.attach(port.slot(), port.generation(), port.mac(), port.tenant(), txConsumed, port.quarantined());
        if (txConsumed != 0 && !port.quarantined()) {
            PoolTrace.publishTx(port.slot(), txConsumed);
        }
    }

    private void attach(final int slot, final long generation, final boolean fresh) {
        final SharedMemory memory;
        try {
            final long length = SlotDescriptor.fileLength(bindings.pages());
            SharedMemory granted = source.map(slot, generation, length);
            if (granted == null) {
                // The control plane sends a generation's memory before it publishes the binding, so
                // once the table says ASSIGNED (acquire) the grant is in our channel: take it now.
                source.poll();
                granted = source.map(slot, generation, length);
            }
            memory = granted;
        } catch (IOException e) {
            if (complained[slot] != generation) {
                complained[slot] = generation;
                System.err.println("doms switch: cannot map slot " + slot + " generation " + generation + ": " + e.getMessage());
            }
            return; // the control plane's grant is unusable: the slot stays unserved (and is said once)
        }
        if (memory == null) {
            return; // its memory has not come over the control channel yet: the next pass
        }
        final boolean restarted = !fresh && status.opaqueServedGeneration(slot) == generation;
        if (!restarted) {
            // A new generation's memfd is fresh: both rings start at 0. Said in our status before
            // we say we serve it, so a crash in between makes the next switch start afresh too.
            status.opaqueResumePosition(slot, ResumePosition.TX_CONSUMED, 0);
            status.opaqueResumePosition(slot, ResumePosition.RX_PRODUCED, 0);
        }
        final long txConsumed = status.opaqueResumePosition(slot, ResumePosition.TX_CONSUMED);
        final SwitchPort port = SwitchPort.attach(slot, generation, bindings.lpMac(slot), bindings.lpTenant(slot),
                memory, bindings.pages(), bindings.maxFrame(), status,
                txConsumed, status.opaqueResumePosition(slot, ResumePosition.RX_PRODUCED));
        if (restarted) {
            port.resumeCounters(status); // a restarted switch, same guest
            if (status.opaqueCounter(slot, SwitchStatus.SlotCounter.QUARANTINED) == generation) {
                port.quarantine("quarantined by the switch before the restart"); // never trusted again
            }
        }
        status.opaqueServedGeneration(slot, generation);
        ports[slot] = port;
        sw.attached(port);
        if (PoolTrace.ON) {
            traceAttach(port, txConsumed);
        }
    }
}
