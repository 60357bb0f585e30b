package doms.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The reach of a signalled header (RingConsumer#reachable, Ring.tla's Reachable): past what the
 * cached producer position covers, a signalled record is taken only if it ends within one
 * capacity of that position, a padding counting to the end of the data area; and the cache
 * moves only to a position ahead of the consumer. Deterministic, on a one-page ring (4096
 * bytes) whose headers the test forges as a hostile or half-finished producer would.
 */
class RingReachTest {
    private static final int SIGNALLED = 2 | RecordDescriptor.SIGNAL;
    private static final int SIGNALLED_PAD = RecordDescriptor.TYPE_PAD | RecordDescriptor.SIGNAL;

    private final MemorySegment ring = TestRings.ring(1, 1000);
    private final TestRings.Collector got = new TestRings.Collector();

    /** Signalled empty records (8 bytes each) from {@code from} to the end of the data area. */
    private void signalledToTheEnd(final int from) {
        for (int at = from; at < 4096; at += 8) {
            TestRings.forgeHeader(ring, at, 0, SIGNALLED);
        }
    }

    @Test
    void aSignalledPaddingWithinReachIsTakenWithoutThePosition() {
        TestRings.setProducerPosition(ring, 4000);
        TestRings.setConsumerPosition(ring, 4000);
        final RingConsumer consumer = RingConsumer.attach(ring);
        TestRings.forgeHeader(ring, 4000, 4096 - 4000 - 8, SIGNALLED_PAD);
        TestRings.forgeHeader(ring, 0, 8, SIGNALLED);
        // The padding reaches 4096, the record 4112: both within 4000 + 4096 of the position.
        assertThat(consumer.poll(got, 10)).isEqualTo(1);
        assertThat(consumer.position()).isEqualTo(4112);
        assertThat(TestRings.producerPosition(ring)).isEqualTo(4000);
    }

    @Test
    void aSignalledPaddingPastTheReachIsLeftForThePositionToCover() {
        final RingConsumer consumer = RingConsumer.attach(ring);
        TestRings.forgeHeader(ring, 0, 4088, SIGNALLED_PAD);
        // At 0 the padding ends at 4096, one capacity past position 0: taken. At 4096 the same
        // header would end at 8192: out of reach, so the consumer loads the position (0): nothing new.
        assertThat(consumer.poll(got, 10)).isZero();
        assertThat(consumer.position()).isEqualTo(4096);
        assertThat(consumer.poll(got, 10)).isZero();
        assertThat(consumer.position()).isEqualTo(4096);
        assertThat(consumer.failure()).isZero();
    }

    @Test
    void aSignalledPaddingIsReachedByTheEndOfTheDataAreaNotByItsLength() {
        final RingConsumer consumer = RingConsumer.attach(ring);
        TestRings.forgeHeader(ring, 0, 0, 2); // unsignalled: the position publishes it
        TestRings.setProducerPosition(ring, 8);
        assertThat(consumer.poll(got, 10)).isEqualTo(1); // the cache is now 8
        signalledToTheEnd(8);
        assertThat(consumer.poll(got, Integer.MAX_VALUE)).isEqualTo(511);
        // At 4096 the reach is 8 + 4096: a padding claiming 0 bytes would end within it, but a
        // padding runs to the end of the data area (8192), out of reach: not taken, not judged.
        TestRings.forgeHeader(ring, 0, 0, SIGNALLED_PAD);
        assertThat(consumer.poll(got, 10)).isZero();
        assertThat(consumer.failure()).isZero();
        assertThat(consumer.position()).isEqualTo(4096);
    }

    @Test
    void aPositionThatOnlyCatchesUpWithTheConsumerLeavesTheReachWhereItWas() {
        final RingConsumer consumer = RingConsumer.attach(ring);
        TestRings.forgeHeader(ring, 0, 0, 2);
        TestRings.setProducerPosition(ring, 8);
        assertThat(consumer.poll(got, 10)).isEqualTo(1); // the cache is 8
        signalledToTheEnd(8);
        assertThat(consumer.poll(got, Integer.MAX_VALUE)).isEqualTo(511); // head 4096, by the signals alone
        TestRings.forgeHeader(ring, 0, 0, 0);
        TestRings.setProducerPosition(ring, 4096);
        assertThat(consumer.poll(got, 10)).isZero(); // loads 4096: equal to head, no news; the cache stays 8
        TestRings.forgeHeader(ring, 0, 8, SIGNALLED);
        TestRings.forgeHeader(ring, 16, 0, 0); // the zeroed word after it, as a producer leaves it
        // 16 bytes from 4096 end past 8 + 4096: out of reach until a position covers them.
        assertThat(consumer.poll(got, 10)).isZero();
        TestRings.setProducerPosition(ring, 4112);
        assertThat(consumer.poll(got, 10)).isEqualTo(1);
        assertThat(consumer.position()).isEqualTo(4112);
        assertThat(consumer.failure()).isZero();
    }

    @Test
    void aPollWithALimitOfZeroTakesNothingEvenWithASignalledRecordWaiting() {
        final RingConsumer consumer = RingConsumer.attach(ring);
        RingProducer.attach(ring).offer(2, new byte[8], 8);
        assertThat(consumer.poll(got, 0)).isZero();
        assertThat(consumer.position()).isZero();
        assertThat(consumer.poll(got, 1)).isEqualTo(1);
    }
}
