package doms.sw;

import doms.poll.IdleStrategy;
import doms.pool.BindingTable;
import doms.pool.Mac;
import doms.pool.PoolFiles;
import doms.pool.PoolTrace;
import doms.pool.SlotDescriptor;
import doms.pool.SwitchStatus;
import doms.shm.SharedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The switch domain (DomS). It maps the binding table read-only, its own status file, and the
 * pool's slots; then it only polls: the binding table to discover and release slots
 * ({@link SlotDiscovery}), and each port's TX ring for frames, which the {@link Forwarder}
 * checks and sends on. After boot it asks the control plane for nothing.
 *
 * <p>Each round takes at most {@code budget} frames from each port, so a guest sending at full
 * speed forever gets its share and no more; a full destination ring drops and counts.
 */
public final class Switch implements AutoCloseable {
    /** Rounds between two discovery passes over the binding table. */
    static final int DISCOVERY_EVERY = 64;

    private final PoolFiles pool;
    private final SharedFile bindingsFile;
    private final SharedFile statusFile;
    private final BindingTable bindings;
    private final SwitchStatus status;
    private final SlotDiscovery discovery;
    private final SlotSource source;
    private final Forwarder forwarder = new Forwarder();
    private final List<SwitchPort> active = new ArrayList<>();
    private final MemorySegment scratch;
    private final int budget;
    private final VxlanUplink.Receiver fromUplink = forwarder::fromUplink;
    private VxlanUplink uplink;
    private Capture capture;
    private volatile boolean running = true;
    private java.util.function.Consumer<String> log = System.err::println;
    private long rounds;

    private Switch(final PoolFiles pool, final SharedFile bindingsFile, final SharedFile statusFile, final SlotSource source,
                   final int budget) {
        this.pool = pool;
        this.source = source;
        this.bindingsFile = bindingsFile;
        this.statusFile = statusFile;
        this.bindings = BindingTable.attach(bindingsFile.segment());
        this.status = SwitchStatus.attach(statusFile.segment());
        this.discovery = new SlotDiscovery(this, bindings, status, source);
        this.scratch = Arena.ofAuto().allocate(bindings.maxFrame(), 8);
        this.budget = budget;
    }

    /**
     * Boots a switch over a pool that the control plane created (binding table, status file),
     * with slot memory from {@code source}. A restarted switch attaches to the pool as its
     * predecessor left it.
     */
    public static Switch boot(final PoolFiles pool, final SlotSource source, final int budget) throws IOException {
        final SharedFile bindingsFile = SharedFile.openReadOnly(pool.bindings());
        final SharedFile statusFile;
        try {
            BindingTable.attach(bindingsFile.segment());
            statusFile = SharedFile.open(pool.status());
        } catch (IOException | RuntimeException e) {
            bindingsFile.close();
            throw e;
        }
        final Switch sw;
        try {
            sw = new Switch(pool, bindingsFile, statusFile, source, budget);
        } catch (RuntimeException e) { // e.g. a status file of another version: let go of both mappings
            statusFile.close();
            bindingsFile.close();
            throw e;
        }
        final long boots = sw.status.recordBoot();
        if (PoolTrace.ON) {
            PoolTrace.startSwitch(boots);
        }
        sw.discovery.pollAll();
        return sw;
    }

    /** Boot for a switch started by the control plane: the pool's files, and the slots over its socket. */
    public static Switch boot(final PoolFiles pool, final int budget) throws IOException {
        final BindingTable table;
        final int slots;
        final long length;
        try (SharedFile bindings = SharedFile.openReadOnly(pool.bindings())) {
            table = BindingTable.attach(bindings.segment());
            slots = table.slots();
            length = SlotDescriptor.fileLength(table.pages());
        }
        final SlotGrants grants = SlotGrants.connect(pool.dir(), slots, length, 10_000);
        try {
            return boot(pool, grants, budget);
        } catch (IOException | RuntimeException e) {
            grants.close();
            throw e;
        }
    }

    /** Polls until {@link #stop()}: the switch's whole life after boot. */
    public void run(final IdleStrategy idle) {
        while (running) {
            idle.idle(round());
        }
        for (final SwitchPort port : active) {
            port.publishCounters(status);
        }
    }

    /** One round: heartbeat, maybe discovery, then each port's TX ring once. Returns frames taken. */
    public int round() {
        final long round = ++rounds;
        status.opaqueHeartbeat(round);
        if (round % DISCOVERY_EVERY == 0) {
            discovery.pollAll();
            if (uplink != null) {
                uplink.sweepIfDue();
            }
        }
        int work = 0;
        final List<SwitchPort> ports = active;
        for (int i = 0, n = ports.size(); i < n; i++) {
            work += ports.get(i).pollTx(forwarder, budget, scratch);
        }
        final VxlanUplink up = uplink;
        if (up != null) {
            work += up.poll(fromUplink, budget);
        }
        // Destinations first, then sources: a crash in between duplicates frames, never loses one.
        for (int i = 0, n = ports.size(); i < n; i++) {
            ports.get(i).publishRx();
        }
        if (PoolTrace.ON) {
            PoolTrace.forwarded();
        }
        for (int i = 0, n = ports.size(); i < n; i++) {
            ports.get(i).releaseTx();
        }
        // Counters after the release: a crash loses none that a restarted switch would not redo.
        for (int i = 0, n = ports.size(); i < n; i++) {
            ports.get(i).publishCountersIfChanged(status);
        }
        if (up != null) {
            up.publishCountersIfChanged(status);
        }
        if (capture != null) {
            capture.flushIfDirty();
        }
        return work;
    }

    /**
     * Gives the switch its uplink port (before {@link #run}): frames of a tenant with a VNI that
     * are flooded or addressed to a MAC learned on the uplink leave through it.
     */
    public void uplink(final VxlanUplink uplink) {
        this.uplink = uplink;
        forwarder.uplink(uplink);
    }

    /** Captures the frames of one port (a slot index, or {@code -1} for the uplink) into a pcap file. */
    public void capture(final int port, final doms.net.PcapWriter writer) {
        capture(port, writer, Long.MAX_VALUE);
    }

    /** As {@link #capture(int, doms.net.PcapWriter)}, up to {@code count} frames (at least 1) from this switch process. */
    public void capture(final int port, final doms.net.PcapWriter writer, final long count) {
        capture = new Capture(port, writer, count, log);
        forwarder.capture(capture);
        for (final SwitchPort p : active) {
            p.capture(p.slot() == port ? capture : null);
        }
    }

    /**
     * Serves a slot's current generation afresh: its port is detached and attached again from
     * position 0 with new counters, as if the generation were new. For harnesses that replay
     * many guest memories on one slot (the fuzz rig); the control plane's protocol never needs it.
     */
    public void renew(final int slot) {
        discovery.renew(slot);
    }

    /** Polls the whole binding table now, instead of at the next discovery round (for harnesses and tests). */
    public void discoverNow() {
        discovery.pollAll();
    }

    /** Where the switch reports events (quarantines); standard error unless a harness says otherwise. */
    public void log(final java.util.function.Consumer<String> log) {
        this.log = log;
        if (capture != null) {
            capture.log(log);
        }
        for (final SwitchPort port : active) {
            port.log(log);
        }
    }

    void attached(final SwitchPort port) {
        port.log(log);
        if (capture != null && capture.port() == port.slot()) {
            port.capture(capture);
        }
        active.add(port);
        forwarder.add(port);
    }

    void detached(final SwitchPort port) {
        port.publishRx();
        port.releaseTx();
        port.publishCounters(status);
        active.remove(port);
        forwarder.remove(port);
        port.detach();
    }

    PoolFiles pool() {
        return pool;
    }

    /** The pool's maximum frame length (fixed at boot). */
    public int maxFrame() {
        return bindings.maxFrame();
    }

    public int slots() {
        return bindings.slots();
    }

    BindingTable bindings() {
        return bindings;
    }

    public List<SwitchPort> ports() {
        return List.copyOf(active);
    }

    public void stop() {
        running = false;
    }

    @Override
    public void close() {
        for (final SwitchPort port : List.copyOf(active)) {
            detached(port);
        }
        if (capture != null) {
            capture.close();
        }
        if (uplink != null) {
            try {
                uplink.close();
            } catch (IOException e) {
                log.accept("doms switch: closing the uplink: " + e.getMessage());
            }
        }
        source.close();
        statusFile.close();
        bindingsFile.close();
    }
}
