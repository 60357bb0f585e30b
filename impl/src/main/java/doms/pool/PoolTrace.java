package doms.pool;

import doms.net.EthernetFrame;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Event log of one process's part in the pool protocol, for trace validation against
 * spec/pool/Pool.tla (proofs-notes/trace-validation.md): one NDJSON line per spec action the
 * control plane, the switch or a guest performs, named after the action, with the values of
 * the spec variables it reads or changes (slots, generations, MACs as numbers, positions in
 * bytes).
 *
 * <p>Off unless the JVM starts with {@code -Ddoms.trace=DIR}: {@link #ON} is a
 * {@code static final} constant, so every {@code if (PoolTrace.ON)} is removed by the JIT and
 * nothing is built. The file is {@code DIR/LABEL.pool-PID.ndjson}, LABEL from
 * {@code -Ddoms.trace.label} ({@code pool} without it). Each line is written to the file as
 * soon as it is complete, unbuffered: a SIGKILLed switch keeps every event it logged.
 *
 * <p>A frame is named by its tag: the 8 bytes at offset 15 (a demo frame's sequence number,
 * which the traced workloads set to the sender's count of its sends), or -1 for a shorter frame.
 */
public final class PoolTrace {
    /** Where traces go, or null when tracing is off. */
    public static final String DIR = System.getProperty("doms.trace");
    /** True when tracing is on (a constant: the JIT removes the tracing branches when false). */
    public static final boolean ON = DIR != null && !DIR.isEmpty();

    private static final long TAG_OFFSET = 15;
    private static FileOutputStream out;
    /** The switch's frames of this round, logged once they are published ({@link #forwarded}). */
    private static final StringBuilder pending = new StringBuilder();
    private static long targets;

    private PoolTrace() {
    }

    private static synchronized void write(final CharSequence line) {
        try {
            if (out == null) {
                final Path dir = Path.of(DIR);
                Files.createDirectories(dir);
                final String label = System.getProperty("doms.trace.label", "pool");
                out = new FileOutputStream(dir.resolve(label + ".pool-" + ProcessHandle.current().pid() + ".ndjson").toFile(), true);
            }
            out.write(line.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pool trace in " + DIR, e);
        }
    }

    private static StringBuilder begin(final String action) {
        return new StringBuilder(96).append("{\"e\":\"").append(action).append('"');
    }

    private static StringBuilder num(final StringBuilder line, final String key, final long value) {
        return line.append(",\"").append(key).append("\":").append(value);
    }

    private static void end(final StringBuilder line) {
        write(line.append("}\n"));
    }

    /** The frame's tag (see the class comment). */
    public static long tag(final MemorySegment frame, final long at, final int length) {
        return length >= TAG_OFFSET + 8 ? frame.get(ValueLayout.JAVA_LONG_UNALIGNED, at + TAG_OFFSET) : -1;
    }

    // ---- control plane ----

    /** AllocatePool: the first switch is ready over a pool of this many slots. */
    public static void allocatePool(final int slots) {
        end(num(begin("AllocatePool"), "slots", slots));
    }

    public static void assign(final int slot, final long generation, final long mac, final int tenant) {
        end(num(num(num(num(begin("Assign"), "slot", slot), "gen", generation), "mac", mac), "tenant", tenant));
    }

    public static void retire(final int slot, final long generation) {
        end(num(num(begin("Retire"), "slot", slot), "gen", generation));
    }

    /** Scrub: the generation's memory dropped and the slot freed; acked: after the switch's release, not a dead switch. */
    public static void scrub(final int slot, final long generation, final boolean acked) {
        end(num(num(begin("Scrub"), "slot", slot), "gen", generation).append(",\"acked\":").append(acked));
    }

    /** SwitchCrash: the control plane reaped the switch process pid. */
    public static void switchCrash(final long pid) {
        end(num(begin("SwitchCrash"), "pid", pid));
    }

    // ---- switch ----

    public static void startSwitch(final long boot) {
        end(num(num(begin("StartSwitch"), "boot", boot), "pid", ProcessHandle.current().pid()));
    }

    /** Discover, attach: the table showed ASSIGNED gen; the port starts at TX position txh (bytes). */
    public static void attach(final int slot, final long generation, final long mac, final int tenant, final long txh,
                              final boolean quarantined) {
        end(num(num(num(num(num(begin("Discover").append(",\"kind\":\"attach\""), "slot", slot), "gen", generation), "mac", mac),
                "tenant", tenant), "txh", txh).append(",\"quarantined\":").append(quarantined));
    }

    /**
     * Discover, the served port let go after the table showed (state, gen): the retiring
     * generation acknowledged ({@code detach}), or the defensive case ({@code defensive}).
     */
    public static void detach(final int slot, final int state, final long generation, final long portGeneration) {
        final String kind = state == BindingTable.RETIRING && generation == portGeneration ? "detach" : "defensive";
        end(num(num(num(num(begin("Discover").append(",\"kind\":\"").append(kind).append('"'), "slot", slot),
                "state", state), "gen", generation), "pgen", portGeneration));
    }

    /** Discover, a retiring generation this switch never served, acknowledged. */
    public static void ackUnserved(final int slot, final long generation) {
        end(num(num(begin("Discover").append(",\"kind\":\"ack\""), "slot", slot), "gen", generation));
    }

    /** Before the forwarding decision on one frame. */
    public static void forwardBegin() {
        targets = 0;
    }

    /** The decision wrote the frame into this slot's RX ring (or found it full). */
    public static void target(final int slot) {
        targets |= 1L << slot;
    }

    /** After the decision: the frame's source port, its addresses and tag, and the targets; logged at {@link #forwarded}. */
    public static void forwardEnd(final int slot, final long generation, final MemorySegment frame, final long at, final int length) {
        final long src = length >= EthernetFrame.HEADER_LENGTH ? EthernetFrame.source(frame, at) : -1;
        final long dst = length >= EthernetFrame.HEADER_LENGTH ? EthernetFrame.destination(frame, at) : -1;
        final StringBuilder line = num(num(num(num(num(num(begin("Forward"), "slot", slot), "gen", generation), "smac", src),
                "dst", dst), "tag", tag(frame, at, length)), "targets", targets);
        pending.append(line).append("}\n");
    }

    /** The round has published every RX ring it wrote: its frames are forwarded (spec: Forward). */
    public static void forwarded() {
        if (!pending.isEmpty()) {
            write(pending);
            pending.setLength(0);
        }
    }

    /** SaveTx: the TX consumer position (bytes) stored in the switch's status. */
    public static void saveTx(final int slot, final long head) {
        end(num(num(begin("SaveTx"), "slot", slot), "head", head));
    }

    /** PublishTx: the same position stored into the ring (release). */
    public static void publishTx(final int slot, final long head) {
        end(num(num(begin("PublishTx"), "slot", slot), "head", head));
    }

    // ---- guest ----

    /** GuestSend: the guest's n-th frame committed to its slot's TX ring, which now ends at tail (bytes). */
    public static void guestSend(final int slot, final long n, final MemorySegment frame, final long at, final int length,
                                 final long tail) {
        final long src = length >= EthernetFrame.HEADER_LENGTH ? EthernetFrame.source(frame, at) : -1;
        final long dst = length >= EthernetFrame.HEADER_LENGTH ? EthernetFrame.destination(frame, at) : -1;
        end(num(num(num(num(num(num(begin("GuestSend"), "slot", slot), "n", n), "smac", src), "dst", dst),
                "tag", tag(frame, at, length)), "tail", tail));
    }
}
