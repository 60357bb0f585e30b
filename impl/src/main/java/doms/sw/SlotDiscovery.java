package doms.sw;

import doms.pool.BindingTable;
import doms.pool.SwitchStatus;
import java.io.IOException;

/**
 * How the switch learns of new and retired guests without being told: it polls the binding
 * table, one entry per slot, a fixed number of slots per pass (bounded work).
 *
 * <p>spec/pool: {@code SwitchDiscover} (an ASSIGNED generation not yet served: attach a port),
 * {@code SwitchRelease} (a RETIRING or FREE slot, or a newer generation: detach, then publish
 * the released generation with a release store so the control plane may scrub).
 */
final class SlotDiscovery {
    private final Switch sw;
    private final BindingTable bindings;
    private final SwitchStatus status;
    private final SwitchPort[] ports;
    /** Private copy of the generation released per slot; the status file only publishes it. */
    private final long[] released;

    SlotDiscovery(final Switch sw, final BindingTable bindings, final SwitchStatus status) {
        this.sw = sw;
        this.bindings = bindings;
        this.status = status;
        this.ports = new SwitchPort[bindings.slots()];
        this.released = new long[bindings.slots()];
        for (int slot = 0; slot < released.length; slot++) {
            released[slot] = status.released(slot); // what a previous switch released: its file, not a guest's
        }
    }

    private void release(final int slot, final long generation) {
        released[slot] = generation;
        status.released(slot, generation);
    }

    void pollAll() {
        for (int slot = 0; slot < ports.length; slot++) {
            poll(slot);
        }
    }

    void poll(final int slot) {
        final long word = bindings.loadState(slot);
        final int state = BindingTable.state(word);
        final long generation = BindingTable.generation(word);
        final SwitchPort port = ports[slot];
        if (port != null && (state != BindingTable.ASSIGNED || port.generation() != generation)) {
            sw.detached(port);
            ports[slot] = null;
            release(slot, port.generation());
        }
        if (state == BindingTable.RETIRING && released[slot] != generation) {
            release(slot, generation); // retired before we ever served it
        }
        if (state == BindingTable.ASSIGNED && ports[slot] == null) {
            attach(slot, generation);
        }
    }

    private void attach(final int slot, final long generation) {
        final SwitchPort port;
        try {
            port = SwitchPort.attach(slot, generation, bindings.mac(slot), bindings.tenant(slot),
                    sw.pool().slot(slot), bindings.pages(), bindings.maxFrame());
        } catch (IOException e) {
            System.err.println("doms switch: cannot map slot " + slot + ": " + e.getMessage());
            return; // tried again at the next pass
        }
        if (status.served(slot) == generation) {
            port.resumeCounters(status); // a restarted switch, same guest
            if (status.counter(slot, SwitchStatus.QUARANTINED) == generation) {
                port.quarantine("quarantined by the switch before the restart"); // never trusted again
            }
        }
        status.served(slot, generation);
        ports[slot] = port;
        sw.attached(port);
    }
}
