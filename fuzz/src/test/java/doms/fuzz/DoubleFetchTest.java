package doms.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import doms.pool.SlotDescriptor;
import doms.ring.RingDescriptor;
import doms.ring.RingProducer;
import doms.ring.RingResult;
import doms.net.EthernetFrame;
import doms.sw.SwitchPort;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Double fetch: while a guest thread sends honest frames, an attacker thread keeps rewriting the
 * source and destination addresses of the records in the shared ring, racing the switch between
 * any two reads it makes. Because the switch copies a frame into private memory before deciding,
 * nothing it delivers may carry a source other than the binding, and nothing may reach the
 * other tenant, over at least 1,000,000 frames.
 */
class DoubleFetchTest {
    private static final int FRAME = 56; // records of exactly 64 bytes: boundaries never move
    private static final long FRAMES = 1_000_000;

    @Test
    void rewritingHeadersDuringForwardingNeverLeaksASpoofOrCrossesTenants() throws Exception {
        final FuzzRig rig = FuzzRig.get();
        final MemorySegment empty = Arena.ofAuto().allocate(SlotDescriptor.fileLength(FuzzRig.PAGES), 4096);
        SlotDescriptor.initialise(empty, FuzzRig.SLOT_F, FuzzRig.PAGES, FuzzRig.MAX_FRAME);
        rig.run(new HostileSlot(empty.toArray(ValueLayout.JAVA_BYTE), "empty")); // a fresh generation of F
        final MemorySegment tx = SlotDescriptor.txRing(rig.slotF(), FuzzRig.PAGES);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> trouble = new AtomicReference<>();
        final Thread guest = Thread.ofPlatform().name("guest").start(() -> {
            try {
                final RingProducer producer = RingProducer.attach(tx);
                final MemorySegment frame = Arena.ofAuto().allocate(FRAME, 8);
                EthernetFrame.writeHeader(frame, 0, FuzzRig.P, FuzzRig.F, 0x0800);
                while (!stop.get()) {
                    if (producer.offer(2, frame, 0, FRAME) == RingResult.FULL) {
                        Thread.onSpinWait();
                    }
                }
            } catch (Throwable t) {
                trouble.set(t);
            }
        });
        final Thread attacker = Thread.ofPlatform().name("attacker").start(() -> {
            final SplittableRandom random = new SplittableRandom(1);
            final long[] addresses = {FuzzRig.O, FuzzRig.P, FuzzRig.F ^ 1, 0xFFFF_FFFF_FFFFL, 0};
            while (!stop.get()) {
                final long record = RingDescriptor.DATA_OFFSET + 64L * random.nextInt(64);
                final long address = addresses[random.nextInt(addresses.length)];
                final long field = record + 8 + (random.nextBoolean() ? 0 : 6); // dst or src of the frame
                for (int i = 0; i < 6; i++) {
                    tx.set(ValueLayout.JAVA_BYTE, field + i, (byte) (address >>> (40 - 8 * i)));
                }
            }
        });
        long delivered = 0;
        long spoofedDelivered = 0;
        final long[] sources = new long[1];
        SwitchPort f = null;
        try {
            while (trouble.get() == null) {
                rig.sw().round();
                final long before = delivered;
                final int got = rig.peer().receive((type, buffer, offset, length) -> sources[0] = EthernetFrame.source(buffer, offset) == FuzzRig.F ? 0 : 1, 1000);
                delivered += got;
                spoofedDelivered += sources[0];
                sources[0] = 0;
                assertThat(rig.otherTenant().receive((type, buffer, offset, length) -> { }, 1000)).isZero();
                assertThat(delivered).isGreaterThanOrEqualTo(before);
                f = rig.sw().ports().stream().filter(p -> p.slot() == FuzzRig.SLOT_F).findFirst().orElseThrow();
                if (f.framesIn() >= FRAMES) {
                    break;
                }
            }
        } finally {
            stop.set(true);
            guest.join();
            attacker.join();
        }
        assertThat(trouble.get()).isNull();
        assertThat(f.quarantined()).as("an honest ring layout is never quarantined").isFalse();
        assertThat(f.framesIn()).isGreaterThanOrEqualTo(FRAMES);
        assertThat(spoofedDelivered).isZero();
        assertThat(f.dropsSpoofed()).as("the attacker did win races before the copy").isPositive();
        assertThat(delivered).isPositive();
    }
}
