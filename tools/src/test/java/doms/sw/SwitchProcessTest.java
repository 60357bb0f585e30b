package doms.sw;

import doms.net.EthernetFrame;
import static org.assertj.core.api.Assertions.assertThat;

import doms.control.ControlPlane;
import doms.control.Isolation;
import doms.control.PoolAdmin;
import doms.guest.DemoFrame;
import doms.guest.GuestPort;
import doms.guest.SlotGrant;
import doms.pool.Mac;
import doms.pool.SlotDescriptor;
import doms.pool.SwitchStatus;
import doms.ring.RingDescriptor;
import doms.ring.RingResult;
import doms.shm.SharedFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The switch as its own OS process over a real pool in /dev/shm; this test JVM plays the
 * control plane and the guests (each guest maps only its own slot file, as a guest process
 * would). Waits are bounded polls of an observable condition, never sleeps.
 */
class SwitchProcessTest {
    static final long A = Mac.parse("02:00:00:00:01:0a");
    static final long B = Mac.parse("02:00:00:00:01:0b");
    static final long C = Mac.parse("02:00:00:00:01:0c");
    static final long X = Mac.parse("02:00:00:00:02:0a");

    private ControlPlane cp;
    private Path capture;
    private final List<GuestPort> guests = new ArrayList<>();
    private final List<SlotGrant> grants = new ArrayList<>();
    private final MemorySegment frame = Arena.ofAuto().allocate(2048, 8);

    @BeforeEach
    void boot() throws Exception {
        final Path dir = SharedFile.DEFAULT_DIRECTORY.resolve("doms-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        capture = java.nio.file.Files.createTempFile("doms-switch-test", ".pcap");
        cp = ControlPlane.boot(doms.cli.JavaProcess.DOMS, dir, 6, 4, EthernetFrame.DEFAULT_MAX_FRAME, Isolation.off(), List.of("--poll", "adaptive:50",
                "--pcap", "0=" + capture));
    }

    @AfterEach
    void shutdown() throws Exception {
        guests.forEach(GuestPort::close);
        grants.forEach(SlotGrant::close);
        cp.close();
        java.nio.file.Files.deleteIfExists(capture);
    }

    /** This test process as the assignment's guest: its slot's memory over the control socket, as a guest process gets it. */
    private GuestPort guest(final PoolAdmin.Assignment a) throws Exception {
        final SlotGrant grant = SlotGrant.request(cp.pool().dir(), a.slot());
        grants.add(grant);
        final GuestPort port = GuestPort.attach(grant.memory());
        guests.add(port);
        // Served before it is used: the switch discovers slots every 64 rounds, and a frame for a
        // port it does not serve yet floods to nobody.
        await("the switch to serve slot " + a.slot(), () -> cp.status().opaqueServedGeneration(a.slot()) == a.generation(), () -> { });
        return port;
    }

    private int send(final GuestPort from, final long dst, final long src, final byte kind, final long seq, final int length) {
        DemoFrame.write(frame, dst, src, kind, seq, length);
        return from.send(frame, 0, length);
    }

    /**
     * Sends {@code count} frames, keeping at most 60 in flight (fewer than a 4-page ring holds)
     * so that the receiver's ring never overflows: a full ring drops by design.
     */
    private void sendAll(final GuestPort from, final long dst, final long src, final int count, final int length,
                         final GuestPort receiver, final Inbox inbox) {
        final int already = inbox.seqs.size();
        for (int i = 0; i < count; i++) {
            final int seq = i;
            await("room in flight", () -> seq - (inbox.seqs.size() - already) < 60, () -> inbox.drain(receiver));
            await("room in the sender's ring", () -> send(from, dst, src, DemoFrame.DATA, seq, length) == RingResult.OK,
                    () -> inbox.drain(receiver));
        }
    }

    /** Frames a guest receives until {@code done} holds or 20 s pass. */
    private static final class Inbox {
        final List<Long> sources = new ArrayList<>();
        final List<Long> seqs = new ArrayList<>();
        final List<Byte> kinds = new ArrayList<>();

        void drain(final GuestPort port) {
            port.receive((type, buffer, offset, length) -> {
                sources.add(EthernetFrame.source(buffer, offset));
                kinds.add(DemoFrame.kind(buffer, offset, length));
                seqs.add(DemoFrame.seq(buffer, offset));
            }, 1000);
        }
    }

    private static void await(final String what, final BooleanSupplier condition, final Runnable step) {
        Waits.await(what, condition, step);
    }

    @Test
    void unicastReachesOnlyItsDestinationInOrder() throws Exception {
        final GuestPort a = guest(cp.assign(A, 1));
        final GuestPort b = guest(cp.assign(B, 1));
        final GuestPort c = guest(cp.assign(C, 1));
        final Inbox atB = new Inbox();
        sendAll(a, B, A, 500, 100, b, atB);
        await("500 frames at B", () -> atB.seqs.size() >= 500, () -> atB.drain(b));
        // A flood afterwards marks the end: C must have received nothing before it.
        send(a, Mac.BROADCAST, A, DemoFrame.FLOOD, 0, 64);
        final Inbox atC = new Inbox();
        await("the flood at C", () -> !atC.kinds.isEmpty(), () -> atC.drain(c));
        assertThat(atC.kinds).containsExactly(DemoFrame.FLOOD);
        assertThat(atB.seqs.subList(0, 500)).isEqualTo(java.util.stream.LongStream.range(0, 500).boxed().toList());
        // Slot 0 (A) is captured: its 500 frames and the flood, nothing delivered to it.
        await("the capture of A's port", () -> pcapFrames() >= 501, () -> { });
        assertThat(pcapFrames()).isEqualTo(501);
    }

    private long pcapFrames() {
        try {
            return doms.net.PcapWriter.count(capture);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Test
    void broadcastAndUnknownUnicastFloodToTheOtherPortsOfTheTenantOnly() throws Exception {
        final GuestPort a = guest(cp.assign(A, 1));
        final GuestPort b = guest(cp.assign(B, 1));
        final GuestPort x = guest(cp.assign(X, 65537)); // differs from tenant 1 only above bit 16
        send(a, Mac.BROADCAST, A, DemoFrame.FLOOD, 1, 64);
        send(a, Mac.parse("02:99:99:99:99:99"), A, DemoFrame.DATA, 2, 64); // unknown unicast
        send(a, X, A, DemoFrame.DATA, 3, 64); // X's address, but X is in another tenant
        send(x, Mac.BROADCAST, X, DemoFrame.FLOOD, 4, 64);
        send(a, B, A, DemoFrame.END, 5, 64);
        final Inbox atB = new Inbox();
        await("the end marker at B", () -> atB.kinds.contains(DemoFrame.END), () -> atB.drain(b));
        // Tenant 2's X sends an end marker to itself via broadcast: when it arrives at nobody, A must still have nothing.
        final Inbox atA = new Inbox();
        final Inbox atX = new Inbox();
        send(b, A, B, DemoFrame.END, 6, 64);
        await("the end marker at A", () -> atA.kinds.contains(DemoFrame.END), () -> atA.drain(a));
        atX.drain(x);
        assertThat(atB.seqs).containsExactly(1L, 2L, 3L, 5L); // unknown and other-tenant unicast flood within tenant 1
        assertThat(atB.sources).containsOnly(A);
        assertThat(atA.sources).containsOnly(B); // never X's broadcast
        assertThat(atX.sources).isEmpty(); // never A's frames, even the one addressed to X
    }

    @Test
    void forgedSourcesAreDroppedAndCounted() throws Exception {
        final GuestPort a = guest(cp.assign(A, 1));
        final PoolAdmin.Assignment slotB = cp.assign(B, 1);
        final GuestPort b = guest(slotB);
        final PoolAdmin.Assignment slotA = cp.assign(C, 1); // a third port of the tenant whose address A will forge
        guest(slotA);
        for (int i = 0; i < 100; i++) {
            send(a, B, i % 2 == 0 ? C : A ^ 1, DemoFrame.FORGED, i, 64);
        }
        send(a, B, A, DemoFrame.END, 100, 64);
        final Inbox atB = new Inbox();
        await("the end marker at B", () -> atB.kinds.contains(DemoFrame.END), () -> atB.drain(b));
        assertThat(atB.kinds).containsExactly(DemoFrame.END);
        final SwitchStatus st = cp.status();
        final int slot = guests.indexOf(a);
        await("the spoof counter", () -> st.opaqueCounter(slot, SwitchStatus.SlotCounter.DROPS_SPOOFED) == 100, () -> { });
    }

    @Test
    void aHostilePortIsQuarantinedWhileTheOthersKeepForwarding() throws Exception {
        final GuestPort a = guest(cp.assign(A, 1));
        final GuestPort b = guest(cp.assign(B, 1));
        final PoolAdmin.Assignment bad = cp.assign(C, 1);
        final GuestPort c = guest(bad);
        // C claims a producer position far beyond one capacity.
        final MemorySegment tx = SlotDescriptor.txRing(c.sharedMemory(), 4);
        tx.set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, 1L << 40);
        final SwitchStatus st = cp.status();
        await("C quarantined", () -> st.opaqueCounter(bad.slot(), SwitchStatus.SlotCounter.QUARANTINED) == bad.generation(), () -> { });
        final Inbox atB = new Inbox();
        sendAll(a, B, A, 200, 200, b, atB);
        await("200 frames at B", () -> atB.seqs.size() >= 200, () -> atB.drain(b));
        assertThat(cp.switchProcess().isAlive()).isTrue();
        assertThat(cp.restarts()).isEmpty();
    }

    @Test
    void anOldGenerationsDescriptorReachesNothingOfTheNextGuest() throws Exception {
        final PoolAdmin.Assignment first = cp.assign(A, 1);
        final GuestPort a = guest(first); // the old guest keeps its descriptor and mapping after the retire
        final MemorySegment old = grants.get(0).memory().segment();
        final GuestPort b = guest(cp.assign(B, 1));
        for (int i = 0; i < 50; i++) {
            send(a, B, A, DemoFrame.DATA, i, 300);
            send(b, A, B, DemoFrame.DATA, i, 300); // frames waiting in A's RX ring
        }
        final Inbox atB = new Inbox();
        await("50 frames at B", () -> atB.seqs.size() >= 50, () -> atB.drain(b));
        await("A's RX ring filled", () -> cp.status().opaqueCounter(first.slot(), SwitchStatus.SlotCounter.FRAMES_OUT) >= 50, () -> { });
        cp.retire(first.slot());
        final PoolAdmin.Assignment second = cp.assign(X, 1);
        assertThat(second.slot()).isEqualTo(first.slot());
        assertThat(second.generation()).isEqualTo(first.generation() + 1);

        final GuestPort x = guest(second);
        final MemorySegment fresh = grants.get(grants.size() - 1).memory().segment();
        final long rxOffset = SlotDescriptor.rxRingOffset(4);
        final long ring = RingDescriptor.regionLength(4);
        for (final long base : new long[] {SlotDescriptor.TX_RING_OFFSET, rxOffset}) {
            assertThat(fresh.get(ValueLayout.JAVA_LONG, base + RingDescriptor.PRODUCER_POSITION_OFFSET)).isZero();
            final MemorySegment data = fresh.asSlice(base + RingDescriptor.DATA_OFFSET, ring - RingDescriptor.DATA_OFFSET);
            assertThat(data.mismatch(MemorySegment.ofArray(new byte[(int) data.byteSize()]))).as("a new generation's data area is zero").isEqualTo(-1);
        }
        final long oldRxTail = old.get(ValueLayout.JAVA_LONG, rxOffset + RingDescriptor.PRODUCER_POSITION_OFFSET);
        assertThat(oldRxTail).as("the old generation's RX ring held A's frames").isPositive();

        await("the switch serves X", () -> cp.status().opaqueServedGeneration(second.slot()) == second.generation(), () -> { });
        // The old holder writes through its descriptor; B writes to X, the slot's new guest.
        for (int i = 1000; i < 1020; i++) {
            send(a, B, A, DemoFrame.DATA, i, 300);
            send(b, X, B, DemoFrame.DATA, i, 300);
        }
        final Inbox atX = new Inbox();
        await("20 frames at X", () -> atX.seqs.size() >= 20, () -> atX.drain(x));
        final long beat = cp.status().opaqueHeartbeat();
        await("three more discovery passes", () -> cp.status().opaqueHeartbeat() > beat + 3 * 64, () -> atB.drain(b));
        atB.drain(b);
        assertThat(atX.sources).as("X sees only B").containsOnly(B);
        assertThat(atB.seqs).as("nothing the old holder wrote reached anyone").noneMatch(seq -> seq >= 1000);
        assertThat(old.get(ValueLayout.JAVA_LONG, rxOffset + RingDescriptor.PRODUCER_POSITION_OFFSET))
                .as("nothing for X went into the old generation's memory").isEqualTo(oldRxTail);
    }

    @Test
    void killingTheSwitchMidTransferLosesNoCommittedFrame() throws Exception {
        final GuestPort a = guest(cp.assign(A, 1));
        final GuestPort b = guest(cp.assign(B, 1));
        final Inbox atB = new Inbox();
        final int total = 20_000;
        final java.util.BitSet seen = new java.util.BitSet();
        int sent = 0;
        boolean killed = false;
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (sent < total) {
            if (System.nanoTime() - deadline > 0) {
                org.assertj.core.api.Assertions.fail("not all " + total + " frames at B within 120 s: " + sent + " sent, "
                        + seen.cardinality() + " seen");
            }
            // At most 60 frames in flight, so that even the frames a crash makes the switch
            // deliver twice (at most one budget of 64) fit B's ring: no drop for a full ring.
            if (sent - seen.cardinality() < 60 && send(a, B, A, DemoFrame.DATA, sent, 100) == RingResult.OK) {
                sent++;
            }
            final int before = atB.seqs.size();
            atB.drain(b);
            for (int i = before; i < atB.seqs.size(); i++) {
                seen.set(atB.seqs.get(i).intValue());
            }
            if (!killed && seen.cardinality() >= total / 4) {
                cp.killSwitch();
                killed = true;
            }
        }
        send(a, B, A, DemoFrame.END, total, 64);
        await("the end marker at B after the restart", () -> atB.kinds.contains(DemoFrame.END), () -> atB.drain(b));
        // The monitor records the restart just after the new switch forwards: wait for it, bounded.
        await("the restart recorded", () -> cp.restarts().size() == 1, () -> { });
        assertThat(cp.restarts()).hasSize(1);
        final java.util.Set<Long> distinct = new java.util.TreeSet<>(atB.seqs);
        distinct.remove((long) total);
        assertThat(cp.status().opaqueCounter(1, SwitchStatus.SlotCounter.DROPS_FULL)).as("drops for a full RX ring").isZero();
        assertThat(distinct).hasSize(total);
        // Frames arrive in order; a duplicate can only repeat frames just before the crash.
        long expected = 0;
        for (final long seq : atB.seqs) {
            if (seq == total) {
                continue;
            }
            assertThat(seq).isLessThanOrEqualTo(expected);
            expected = Math.max(expected, seq + 1);
        }
    }
}
