package doms.guest;

import doms.pool.SlotDescriptor;
import doms.poll.IdleStrategy;
import doms.pool.Mac;
import doms.ring.RingDescriptor;
import doms.ring.RingResult;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What a demo guest does: send sequence-numbered frames (to one address or broadcast), forge its
 * source every so often, receive and check everything that arrives, or turn hostile.
 */
public final class GuestTraffic {
    /** What the guest does with its shared memory when {@code hostile} is set. */
    public enum Hostility { NONE, POSITION, LENGTH }

    /** The plan for one guest. */
    public record Plan(long mac, long sendTo, double seconds, long rate, int size, int forgeEvery,
                       Set<Long> tenantMacs, long expectEndFrom, double deadlineSeconds, Hostility hostility) {
    }

    /** End markers a sender announces at the least, 1 ms apart, whatever its clock says. */
    private static final int MIN_ENDS = 5;

    private final GuestPort port;
    private final Plan plan;
    private final IdleStrategy idle;
    private final MemorySegment frame;
    private final LongSupplier clock;

    private long sent;
    private long forgedSent;
    private long received;
    private long dataReceived;
    private long duplicated;
    private long reordered;
    private long corrupted;
    private long crossTenant;
    private long spoofed;
    private long highestSeq = -1;
    private boolean endSeen;
    private final BitSet seen = new BitSet();

    public GuestTraffic(final GuestPort port, final Plan plan, final IdleStrategy idle) {
        this(port, plan, idle, System::nanoTime);
    }

    /** With a clock of its own (nanoseconds): a test drives the plan's phases without waiting on them. */
    GuestTraffic(final GuestPort port, final Plan plan, final IdleStrategy idle, final LongSupplier clock) {
        this.clock = clock;
        this.port = port;
        this.plan = plan;
        this.idle = idle;
        this.frame = Arena.ofAuto().allocate(Math.max(plan.size(), DemoFrame.MIN_LENGTH), 8);
    }

    /** Runs the plan to its end and returns the figures. */
    public Map<String, Object> run() {
        final long start = clock.getAsLong();
        final long sendUntil = start + (long) (plan.seconds() * 1e9);
        final long endUntil = sendUntil + 500_000_000L; // then announce the end for half a second
        final long deadline = start + (long) (plan.deadlineSeconds() * 1e9);
        final boolean sending = plan.sendTo() != 0 && plan.seconds() > 0;
        boolean hostileDone = plan.hostility() == Hostility.NONE;
        boolean rxFailed = false;
        long nextEnd = 0;
        int endsSent = 0;
        while (true) {
            final long now = clock.getAsLong();
            if (now - deadline >= 0) {
                break;
            }
            int work = 0;
            if (sending && now - sendUntil < 0) {
                work += sendDue(now - start);
            } else if (sending && (now - endUntil < 0 || endsSent < MIN_ENDS) && plan.hostility() == Hostility.NONE) {
                // (A hostile guest announces no end: its honest producer would write its next
                // record over what it forged, and a switch that had not looked yet would never see it.)
                // At least MIN_ENDS of them, even if this process got no CPU for the whole window.
                if (now - nextEnd >= 0) {
                    DemoFrame.write(frame, plan.sendTo(), plan.mac(), DemoFrame.END, sent, DemoFrame.MIN_LENGTH);
                    if (port.send(frame, 0, DemoFrame.MIN_LENGTH) == RingResult.OK) {
                        endsSent++;
                    }
                    nextEnd = now + 1_000_000L;
                }
            } else if (plan.expectEndFrom() == 0 || endSeen) {
                if (!hostileDone) {
                    turnHostile();
                    hostileDone = true;
                }
                break;
            }
            if (!hostileDone && now - sendUntil >= 0) {
                turnHostile();
                hostileDone = true;
            }
            if (!rxFailed) {
                final int got = port.receive(this::onFrame, 256);
                if (got >= 0) {
                    work += got;
                } else {
                    System.err.println("doms guest: RX ring failed: " + RingResult.describe(got));
                    if (plan.hostility() == Hostility.NONE) {
                        break;
                    }
                    // A hostile guest that punched its memfd zeroed what the switch had written to
                    // its RX ring: it goes on to its forgery without receiving (it used to stop here,
                    // and the demo then found its port not quarantined: CI, once in ~12 runs).
                    rxFailed = true;
                }
            }
            idle.idle(work);
        }
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("mac", Mac.format(plan.mac()));
        out.put("sent", sent);
        out.put("forged_sent", forgedSent);
        out.put("received", received);
        out.put("data_received", dataReceived);
        out.put("distinct", (long) seen.cardinality());
        out.put("duplicated", duplicated);
        out.put("reordered", reordered);
        out.put("corrupted", corrupted);
        out.put("cross_tenant", crossTenant);
        out.put("spoofed", spoofed);
        out.put("end_seen", endSeen);
        out.put("rx_failed", rxFailed);
        out.put("seconds", (clock.getAsLong() - start) / 1e9);
        return out;
    }

    /** Sends what the rate allows by now (everything that fits when the rate is 0). */
    private int sendDue(final long elapsedNanos) {
        final long due = plan.rate() == 0 ? Long.MAX_VALUE : elapsedNanos * plan.rate() / 1_000_000_000L + 1;
        int work = 0;
        while (sent < due && work < 64) {
            final boolean forge = plan.forgeEvery() > 0 && (sent + forgedSent + 1) % plan.forgeEvery() == 0;
            final byte kind = forge ? DemoFrame.FORGED : Mac.isGroup(plan.sendTo()) ? DemoFrame.FLOOD : DemoFrame.DATA;
            final long src = forge ? plan.mac() ^ 0x0000_0000_0F00L : plan.mac();
            DemoFrame.write(frame, plan.sendTo(), src, kind, forge ? forgedSent : sent, plan.size());
            final int result = port.send(frame, 0, plan.size());
            if (result != RingResult.OK) {
                break; // full: the switch is behind (or restarting); try again next turn
            }
            if (forge) {
                forgedSent++;
            } else {
                sent++;
            }
            work++;
        }
        return work;
    }

    private void onFrame(final int type, final MemorySegment buffer, final long offset, final int length) {
        received++;
        final long src = doms.net.EthernetFrame.source(buffer, offset);
        if (!plan.tenantMacs().contains(src)) {
            crossTenant++;
        }
        final byte kind = DemoFrame.kind(buffer, offset, length);
        if (kind == DemoFrame.FORGED) {
            spoofed++;
        } else if (kind == DemoFrame.END && src == plan.expectEndFrom()) {
            endSeen = true;
        } else if (kind == DemoFrame.DATA && src == plan.expectEndFrom()) {
            dataReceived++;
            final long seq = DemoFrame.seq(buffer, offset);
            if (!DemoFrame.intact(buffer, offset, length) || seq < 0 || seq > Integer.MAX_VALUE) {
                corrupted++;
                return;
            }
            if (seen.get((int) seq)) {
                duplicated++;
            } else if (seq < highestSeq) {
                reordered++;
            }
            seen.set((int) seq);
            highestSeq = Math.max(highestSeq, seq);
        }
    }

    /** Breaks the ring rules in the guest's own memory, as a hostile guest may. */
    private void turnHostile() {
        final MemorySegment slot = port.sharedMemory();
        final long tx = doms.pool.SlotDescriptor.TX_RING_OFFSET;
        switch (plan.hostility()) {
            case POSITION -> slot.set(ValueLayout.JAVA_LONG, tx + RingDescriptor.PRODUCER_POSITION_OFFSET, Long.MAX_VALUE - 7);
            case LENGTH -> {
                // A record header claiming more than the maximum frame, then publish past it. The
                // flush first: send stores the position once per lap, so the one in the ring can
                // be behind what the switch has already taken.
                port.flush();
                final long published = slot.get(ValueLayout.JAVA_LONG, tx + RingDescriptor.PRODUCER_POSITION_OFFSET);
                // The capacity it attached with, not the header's: --tamper may have punched the
                // whole memfd to zeros (capacity 0 would put the index outside the slot).
                final long index = published & (port.txCapacity() - 1);
                slot.set(ValueLayout.JAVA_INT, tx + RingDescriptor.DATA_OFFSET + index, 1 << 30);
                slot.set(ValueLayout.JAVA_INT, tx + RingDescriptor.DATA_OFFSET + index + 4, SlotDescriptor.TYPE_FRAME);
                slot.set(ValueLayout.JAVA_LONG, tx + RingDescriptor.PRODUCER_POSITION_OFFSET, published + 64);
            }
            case NONE -> {
            }
        }
        System.err.println("doms guest " + Mac.format(plan.mac()) + ": turned hostile (" + plan.hostility() + ")");
    }
}
