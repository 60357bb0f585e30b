package doms.guest;

import static org.assertj.core.api.Assertions.assertThat;

import doms.poll.IdleStrategies;
import doms.pool.Mac;
import doms.pool.SlotDescriptor;
import doms.ring.RingConsumer;
import doms.ring.RingDescriptor;
import doms.ring.RingResult;
import doms.shm.SharedMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** The demo guest's plan, on one slot in this process: the switch's side is read back by hand. */
class GuestTrafficTest {
    private static final int PAGES = 4;
    private static final long D = 0x0200_0000_020DL;

    /** A clock that moves 1 ms each time it is read: the plan's phases come in a fixed number of turns. */
    private static LongSupplier millisecondTicks() {
        final long[] now = {0};
        return () -> now[0] += 1_000_000L;
    }

    /**
     * A slot whose RX ring reads as corrupt: what a punch leaves behind a switch that had
     * produced (a published position over zeros).
     */
    private static MemorySegment slotWithCorruptRx(final Arena arena) {
        final MemorySegment slot = arena.allocate(SlotDescriptor.fileLength(PAGES), 4096);
        SlotDescriptor.initialise(slot, 0, PAGES, 1514);
        SlotDescriptor.rxRing(slot, PAGES).set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, 256);
        return slot;
    }

    /** Runs a broadcasting guest's plan on the slot, on the test's clock, and returns its figures. */
    private static Map<String, Object> run(final MemorySegment slot, final double seconds, final GuestTraffic.Hostility hostility) {
        final GuestPort port = GuestPort.attach(SharedMemory.of(slot, () -> { }));
        final GuestTraffic.Plan plan = new GuestTraffic.Plan(D, Mac.BROADCAST, seconds, 1000, 128, 0, Set.of(D), 0, 10, hostility);
        return new GuestTraffic(port, plan, IdleStrategies.busySpin(), millisecondTicks()).run();
    }

    /**
     * The demo's hostile guest punches its memfd to zeros first, so the records the switch had
     * already written to its RX ring read back as corrupt. It must still carry out its forgery:
     * it once stopped at the RX failure, and the demo found its port not quarantined.
     */
    @Test
    void aHostileGuestWhoseRxRingIsCorruptStillForgesItsTxRecord() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment slot = slotWithCorruptRx(arena);

            assertThat(run(slot, 0.01, GuestTraffic.Hostility.LENGTH)).containsEntry("rx_failed", true);
            final RingConsumer switchSide = RingConsumer.attach(SlotDescriptor.txRing(slot, PAGES), PAGES, 1514);
            int result;
            do {
                result = switchSide.poll((type, buffer, offset, length) -> { }, 64);
            } while (result > 0);
            assertThat(result).as(RingResult.describe(result)).isEqualTo(RingResult.CORRUPT_RECORD);
        }
    }

    @Test
    void anHonestGuestStopsAtACorruptRxRing() {
        try (Arena arena = Arena.ofConfined()) {
            final Map<String, Object> figures = run(slotWithCorruptRx(arena), 5, GuestTraffic.Hostility.NONE);

            assertThat(figures).containsEntry("rx_failed", false);
            // On the test's clock: it broke off at its first poll, not after its 5 s and its end.
            assertThat((double) figures.get("seconds")).isLessThan(1);
        }
    }
}
