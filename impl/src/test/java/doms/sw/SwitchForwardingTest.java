package doms.sw;

import static doms.sw.SwitchRig.drain;
import static doms.sw.SwitchRig.frame;
import static doms.sw.SwitchRig.marks;
import static doms.sw.SwitchRig.send;
import static org.assertj.core.api.Assertions.assertThat;

import doms.guest.GuestPort;
import doms.pool.Mac;
import doms.pool.SlotDescriptor;
import doms.pool.SwitchStatus;
import doms.ring.RingDescriptor;
import doms.ring.RingProducer;
import doms.ring.RingResult;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The switch's data path in one process: A, B and D are tenant 1, C is tenant 2. Each test
 * drives the switch round by round and looks at what each guest's RX ring holds, the ports'
 * counters and the status file the control plane reads.
 */
class SwitchForwardingTest {
    static final long A = Mac.parse("02:00:00:00:01:0a");
    static final long B = Mac.parse("02:00:00:00:01:0b");
    static final long C = Mac.parse("02:00:00:00:02:0c");
    static final long D = Mac.parse("02:00:00:00:01:0d");
    static final long UNKNOWN = Mac.parse("02:00:00:00:01:99");

    private SwitchRig rig;
    private GuestPort a;
    private GuestPort b;
    private GuestPort c;
    private GuestPort d;

    @BeforeEach
    void setUp() throws IOException {
        rig = new SwitchRig(4, 64);
        a = rig.assign(0, A, 1);
        b = rig.assign(1, B, 1);
        c = rig.assign(2, C, 2);
        d = rig.assign(3, D, 1);
    }

    @AfterEach
    void tearDown() throws IOException {
        rig.close();
    }

    private long counter(final int slot, final SwitchStatus.SlotCounter field) {
        return rig.status.opaqueCounter(slot, field);
    }

    @Test
    void theSwitchServesEveryAssignedSlotWithItsBinding() {
        assertThat(rig.sw.ports()).hasSize(4);
        assertThat(rig.sw.slots()).isEqualTo(4);
        assertThat(rig.sw.maxFrame()).isEqualTo(SwitchRig.MAX_FRAME);
        final SwitchPort port = rig.port(2);
        assertThat(port.mac()).isEqualTo(C);
        assertThat(port.tenant()).isEqualTo(2);
        assertThat(port.generation()).isEqualTo(1);
        assertThat(port.quarantined()).isFalse();
        assertThat(port.quarantineReason()).isNull();
        for (int slot = 0; slot < 4; slot++) {
            assertThat(rig.status.opaqueServedGeneration(slot)).isEqualTo(1);
            assertThat(rig.status.lvReleasedGeneration(slot)).isZero();
        }
        assertThat(rig.status.lvBoots()).isEqualTo(1);
    }

    @Test
    void aUnicastFrameReachesItsDestinationAloneAndIntact() {
        final MemorySegment sent = frame(B, A, 100, 7);
        send(a, sent);
        assertThat(rig.sw.round()).isEqualTo(1);
        final var atB = drain(b);
        assertThat(atB).hasSize(1);
        assertThat(atB.get(0)).isEqualTo(sent.toArray(ValueLayout.JAVA_BYTE));
        assertThat(drain(a)).isEmpty();
        assertThat(drain(c)).isEmpty();
        assertThat(drain(d)).isEmpty();

        assertThat(rig.port(0).framesIn()).isEqualTo(1);
        assertThat(rig.port(0).framesOut()).isZero();
        assertThat(rig.port(1).framesOut()).isEqualTo(1);
        assertThat(rig.port(1).framesIn()).isZero();
        assertThat(rig.port(3).framesOut()).isZero();
        assertThat(counter(0, SwitchStatus.SlotCounter.FRAMES_IN)).isEqualTo(1);
        assertThat(counter(1, SwitchStatus.SlotCounter.FRAMES_OUT)).isEqualTo(1);
        assertThat(counter(3, SwitchStatus.SlotCounter.FRAMES_OUT)).isZero();
        assertThat(rig.status.opaqueHeartbeat()).isEqualTo(1);
    }

    @Test
    void aBroadcastFloodsTheSendersTenantButNeitherTheSenderNorAnotherTenant() {
        send(a, Mac.BROADCAST, A, 1);
        rig.settle();
        assertThat(marks(b)).containsExactly(1);
        assertThat(marks(d)).containsExactly(1);
        assertThat(drain(a)).isEmpty();
        assertThat(drain(c)).isEmpty();
        assertThat(rig.port(2).framesOut()).isZero();

        send(c, Mac.BROADCAST, C, 2); // C is alone in tenant 2: nobody gets it
        rig.settle();
        assertThat(drain(a)).isEmpty();
        assertThat(drain(b)).isEmpty();
        assertThat(drain(d)).isEmpty();
        assertThat(rig.port(2).framesIn()).isEqualTo(1);
    }

    @Test
    void unknownUnicastFloodsWithinTheTenant() {
        send(a, UNKNOWN, A, 3);
        rig.settle();
        assertThat(marks(b)).containsExactly(3);
        assertThat(marks(d)).containsExactly(3);
        assertThat(drain(c)).isEmpty();
    }

    @Test
    void anotherTenantsAddressIsUnknownHereAndNeverReachesIt() {
        send(a, C, A, 4);
        rig.settle();
        assertThat(drain(c)).isEmpty();
        assertThat(marks(b)).containsExactly(4);
        assertThat(marks(d)).containsExactly(4);
        assertThat(rig.port(2).framesOut()).isZero();
    }

    @Test
    void aFrameToTheSendersOwnAddressGoesNowhere() {
        send(a, A, A, 5);
        send(a, B, A, 6); // and the next one is forwarded normally
        rig.settle();
        assertThat(drain(a)).isEmpty();
        assertThat(drain(d)).isEmpty();
        assertThat(marks(b)).containsExactly(6);
        assertThat(rig.port(0).framesIn()).isEqualTo(2);
        assertThat(rig.port(0).framesOut()).isZero();
    }

    @Test
    void framesArriveInTheOrderSent() {
        for (int i = 0; i < 20; i++) {
            send(a, B, A, i);
        }
        rig.settle();
        assertThat(marks(b)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    }

    @Test
    void aSpoofedSourceIsDroppedAndCounted() {
        send(a, B, B, 1);            // B's address
        send(a, Mac.BROADCAST, D, 2); // D's address
        send(a, B, A, 3);
        rig.settle();
        assertThat(marks(b)).containsExactly(3);
        assertThat(drain(d)).isEmpty();
        final SwitchPort port = rig.port(0);
        assertThat(port.dropsSpoofed()).isEqualTo(2);
        assertThat(port.dropsMalformed()).isZero();
        assertThat(port.framesIn()).isEqualTo(3);
        assertThat(counter(0, SwitchStatus.SlotCounter.DROPS_SPOOFED)).isEqualTo(2);
        assertThat(port.quarantined()).isFalse();
    }

    @Test
    void runtsAndRecordsThatAreNotFramesAreDroppedAsMalformed() {
        send(a, frame(B, A, 13, 1));
        send(a, frame(B, A, 0, 2));
        // A record of another type, written with a producer of the guest's own.
        final MemorySegment memory = rig.slots.memory(0);
        final MemorySegment other = frame(B, A, 64, 3);
        // (the guest's own producer publishes its position, which send stores once per lap: a
        // second producer starts at its tail)
        a.flush();
        rig.settle();
        final RingProducer raw = RingProducer.attach(SlotDescriptor.txRing(memory, SwitchRig.PAGES));
        assertThat(raw.offer(SlotDescriptor.TYPE_FRAME + 1, other, 0, 64)).isEqualTo(RingResult.OK);
        assertThat(raw.offer(SlotDescriptor.TYPE_FRAME, frame(B, A, 64, 4), 0, 64)).isEqualTo(RingResult.OK);
        rig.settle();
        assertThat(marks(b)).containsExactly(4);
        final SwitchPort port = rig.port(0);
        assertThat(port.dropsMalformed()).isEqualTo(3);
        assertThat(port.dropsSpoofed()).isZero();
        assertThat(port.quarantined()).isFalse();
        assertThat(counter(0, SwitchStatus.SlotCounter.DROPS_MALFORMED)).isEqualTo(3);
    }

    @Test
    void eachRoundTakesAtMostTheBudgetFromEachPort() throws IOException {
        try (SwitchRig small = new SwitchRig(3, 4)) {
            final GuestPort x = small.assign(0, A, 1);
            final GuestPort y = small.assign(1, B, 1);
            final GuestPort z = small.assign(2, D, 1);
            for (int i = 0; i < 10; i++) {
                send(x, B, A, i);
            }
            send(z, B, D, 100);
            assertThat(small.sw.round()).isEqualTo(5);
            assertThat(marks(y)).containsExactly(0, 1, 2, 3, 100);
            assertThat(small.sw.round()).isEqualTo(4);
            assertThat(marks(y)).containsExactly(4, 5, 6, 7);
            assertThat(small.sw.round()).isEqualTo(2);
            assertThat(small.sw.round()).isZero();
            assertThat(marks(y)).containsExactly(8, 9);
        }
    }

    @Test
    void aFullReceiveRingDropsAndCountsWhatDoesNotFit() {
        for (int i = 0; i < SwitchRig.RING_FRAMES_64; i++) {
            send(a, B, A, i);
        }
        // A's own ring is as large as B's: it is full now too.
        assertThat(a.send(frame(B, A, 64, 0), 0, 64)).isEqualTo(RingResult.FULL);
        rig.settle();
        for (int i = 0; i < 10; i++) {
            send(a, B, A, 200 + i);
        }
        send(a, D, A, 250); // another destination is not held up by B
        rig.settle();
        final SwitchPort portB = rig.port(1);
        assertThat(portB.framesOut()).isEqualTo(SwitchRig.RING_FRAMES_64);
        assertThat(portB.dropsFull()).isEqualTo(10);
        assertThat(portB.quarantined()).isFalse();
        assertThat(counter(1, SwitchStatus.SlotCounter.DROPS_FULL)).isEqualTo(10);
        assertThat(counter(1, SwitchStatus.SlotCounter.FRAMES_OUT)).isEqualTo(SwitchRig.RING_FRAMES_64);
        assertThat(marks(d)).containsExactly(250);
        assertThat(portB.deliver(frame(B, A, 64, 0), 0, 64)).isFalse(); // B has not drained: still full
        assertThat(portB.dropsFull()).isEqualTo(11);
        rig.sw.round();
        assertThat(counter(1, SwitchStatus.SlotCounter.DROPS_FULL)).isEqualTo(11);
        final var atB = marks(b);
        assertThat(atB).hasSize(SwitchRig.RING_FRAMES_64);
        assertThat(atB.get(0)).isZero();
        assertThat(atB.get(SwitchRig.RING_FRAMES_64 - 1)).isEqualTo(SwitchRig.RING_FRAMES_64 - 1);

        send(a, B, A, 77); // B drained its ring: room again
        rig.settle();
        assertThat(marks(b)).containsExactly(77);
        assertThat(portB.dropsFull()).isEqualTo(11);
    }

    /** The guest rewrites a position of one of its rings to something no ring can hold. */
    private static void corrupt(final GuestPort guest, final boolean txRing, final long offset, final long value) {
        final MemorySegment memory = guest.sharedMemory();
        final MemorySegment ring = txRing ? SlotDescriptor.txRing(memory, SwitchRig.PAGES) : SlotDescriptor.rxRing(memory, SwitchRig.PAGES);
        ring.set(ValueLayout.JAVA_LONG, offset, value);
    }

    @Test
    void aGuestCorruptingItsTxRingIsQuarantinedAndTheOthersKeepForwarding() {
        send(d, B, D, 1);
        rig.settle();
        assertThat(marks(b)).containsExactly(1);

        corrupt(d, true, RingDescriptor.PRODUCER_POSITION_OFFSET, 3); // not a record boundary
        send(a, B, A, 2);
        rig.sw.round();
        final SwitchPort hostile = rig.port(3);
        assertThat(hostile.quarantined()).isTrue();
        assertThat(hostile.quarantineReason()).startsWith("TX ring: ");
        assertThat(counter(3, SwitchStatus.SlotCounter.QUARANTINED)).isEqualTo(1);
        assertThat(rig.log).anySatisfy(line -> assertThat(line).contains("quarantined slot 3 (gen 1, 02:00:00:00:01:0d, tenant 1)"));
        assertThat(marks(b)).containsExactly(2);

        // Nothing more is delivered to it, and the others still flood to each other.
        send(a, Mac.BROADCAST, A, 3);
        send(b, D, B, 4);
        rig.settle();
        assertThat(marks(b)).containsExactly(3);
        assertThat(drain(a)).isEmpty(); // D's address is still bound to its port: no flood, and no delivery
        assertThat(drain(d)).isEmpty();
        assertThat(hostile.framesOut()).isZero();
        assertThat(hostile.framesIn()).isEqualTo(1);
        assertThat(hostile.deliver(frame(D, A, 64, 5), 0, 64)).isFalse();
        assertThat(rig.log).hasSize(1); // said once
    }

    @Test
    void aGuestCorruptingItsRxRingIsQuarantinedWhenTheSwitchNextReadsIt() {
        for (int i = 0; i < SwitchRig.RING_FRAMES_64; i++) {
            send(a, B, A, i);
        }
        rig.settle();
        assertThat(rig.port(1).quarantined()).isFalse();
        // B's RX ring is full: the switch reads B's consumer position at the next frame.
        corrupt(b, false, RingDescriptor.CONSUMER_POSITION_OFFSET, 12345);
        send(a, B, A, 99);
        rig.settle();
        final SwitchPort portB = rig.port(1);
        assertThat(portB.quarantined()).isTrue();
        assertThat(portB.quarantineReason()).startsWith("RX ring: ");
        assertThat(portB.dropsFull()).isZero();
        assertThat(counter(1, SwitchStatus.SlotCounter.QUARANTINED)).isEqualTo(1);
        send(a, Mac.BROADCAST, A, 100);
        rig.settle();
        assertThat(marks(d)).containsExactly(100);
        assertThat(portB.framesOut()).isEqualTo(SwitchRig.RING_FRAMES_64);
    }

    @Test
    void aSlotThatIsNotADomsSlotIsQuarantinedAtAttach() throws IOException {
        try (SwitchRig fresh = new SwitchRig(2, 8)) {
            fresh.bindings.assign(0, A, 1, 0); // its memory was never initialised: all zero
            fresh.sw.discoverNow();
            final SwitchPort port = fresh.port(0);
            assertThat(port).isNotNull();
            assertThat(port.quarantined()).isTrue();
            assertThat(port.quarantineReason()).contains("bad magic");
            fresh.sw.round();
            assertThat(fresh.status.opaqueCounter(0, SwitchStatus.SlotCounter.QUARANTINED)).isEqualTo(1);
            final GuestPort other = fresh.assign(1, B, 1);
            send(other, Mac.BROADCAST, B, 1);
            assertThat(fresh.settle()).isEqualTo(1);
            assertThat(port.framesOut()).isZero();
        }
    }

    @Test
    void aSlotWhoseRingsDisagreeWithThePoolIsQuarantinedAtAttach() throws IOException {
        try (SwitchRig fresh = new SwitchRig(1, 8)) {
            SlotDescriptor.initialise(fresh.slots.memory(0), 0, SwitchRig.PAGES, 1000); // another maximum frame
            fresh.bindings.assign(0, A, 1, 0);
            fresh.sw.discoverNow();
            assertThat(fresh.port(0).quarantineReason()).startsWith("at attach: ").contains("max payload 1000");
        }
    }

    @Test
    void aPortWithoutAStatusWorksOnTheRingsOwnPositions() {
        final InProcessSlots memory = new InProcessSlots(1, SlotDescriptor.fileLength(SwitchRig.PAGES));
        try {
            SlotDescriptor.initialise(memory.memory(0), 0, SwitchRig.PAGES, SwitchRig.MAX_FRAME);
            final GuestPort guest = GuestPort.attach(memory.view(0));
            send(guest, B, A, 1);
            send(guest, B, A, 2);
            final SwitchPort port = SwitchPort.attach(0, 1, A, 1, memory.view(0), SwitchRig.PAGES, SwitchRig.MAX_FRAME);
            final Forwarder forwarder = new Forwarder();
            forwarder.add(port);
            final MemorySegment scratch = MemorySegment.ofArray(new byte[SwitchRig.MAX_FRAME]);
            assertThat(port.pollTx(forwarder, 8, scratch)).isEqualTo(2);
            assertThat(port.framesIn()).isEqualTo(2);
            assertThat(port.dropsSpoofed() + port.dropsMalformed()).isZero();
            port.releaseTx();
            assertThat(SlotDescriptor.txRing(memory.memory(0), SwitchRig.PAGES).get(ValueLayout.JAVA_LONG, RingDescriptor.CONSUMER_POSITION_OFFSET))
                    .isEqualTo(144);
            assertThat(port.deliver(frame(A, B, 64, 9), 0, 64)).isTrue();
            port.publishRx();
            assertThat(marks(guest)).containsExactly(9);
        } finally {
            memory.close();
        }
    }

    /** The status the control plane reads holds exactly the port's counters. */
    private void assertPublished() {
        for (final SwitchPort port : rig.sw.ports()) {
            final int slot = port.slot();
            assertThat(new long[] {counter(slot, SwitchStatus.SlotCounter.FRAMES_IN), counter(slot, SwitchStatus.SlotCounter.FRAMES_OUT),
                    counter(slot, SwitchStatus.SlotCounter.DROPS_FULL), counter(slot, SwitchStatus.SlotCounter.DROPS_SPOOFED),
                    counter(slot, SwitchStatus.SlotCounter.DROPS_MALFORMED), counter(slot, SwitchStatus.SlotCounter.QUARANTINED)})
                    .as("slot %d", slot)
                    .containsExactly(port.framesIn(), port.framesOut(), port.dropsFull(), port.dropsSpoofed(), port.dropsMalformed(),
                            port.quarantined() ? port.generation() : 0);
        }
    }

    @Test
    void theCountersArePublishedAtTheEndOfEveryRoundThatChangedThemWhateverChanged() {
        send(a, B, A, 1);
        rig.sw.round();
        assertPublished();
        send(a, B, A, 2); // A: one more in and its first out, in one round
        send(b, A, B, 3);
        rig.sw.round();
        assertPublished();
        send(a, B, B, 4); // A: one in, one spoofed
        rig.sw.round();
        assertPublished();
        send(a, frame(B, A, 10, 5)); // A: one in, one malformed
        rig.sw.round();
        assertPublished();
        assertThat(rig.port(0).framesIn()).isEqualTo(4);

        // B: one delivered and one dropped at its full ring, in one round.
        for (int i = 0; i < SwitchRig.RING_FRAMES_64 - 3; i++) {
            send(d, B, D, i);
        }
        rig.settle();
        send(a, B, A, 6);
        send(a, B, A, 7);
        rig.sw.round();
        assertThat(rig.port(1).dropsFull()).isEqualTo(1);
        assertPublished();

        // D: quarantined in the round it was also delivered a frame.
        send(a, D, A, 8);
        corrupt(d, true, RingDescriptor.PRODUCER_POSITION_OFFSET, 1);
        rig.sw.round();
        assertThat(rig.port(3).quarantined()).isTrue();
        assertThat(rig.port(3).framesOut()).isEqualTo(1);
        assertPublished();
    }

    @Test
    void aLogGivenAfterThePortsAttachedIsWhereTheirQuarantinesAreSaid() {
        final java.util.List<String> seen = new java.util.ArrayList<>();
        rig.sw.log(seen::add);
        corrupt(c, true, RingDescriptor.PRODUCER_POSITION_OFFSET, 9);
        rig.sw.round();
        assertThat(seen).singleElement().asString().contains("quarantined slot 2");
        assertThat(rig.log).isEmpty();
    }
}
