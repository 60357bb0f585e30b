package doms.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The reach of a signalled header (RingConsumer#reachable, Ring.tla's Reachable): past what the
 * cached producer position covers, a signalled record is taken only if it ends within one
 * capacity of that position, a padding counting to the end of the data area; the cache
 * takes every newer position, also one not ahead of the consumer; and offer stores the
 * position once per lap, or after unsignalled records; a consumer resumed by attachAt takes a
 * position up to one capacity behind its head as legal. Deterministic, on a one-page ring (4096
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
    void aPositionThatOnlyCatchesUpWithTheConsumerStillWidensTheReach() {
        final RingConsumer consumer = RingConsumer.attach(ring);
        TestRings.forgeHeader(ring, 0, 0, 2);
        TestRings.setProducerPosition(ring, 8);
        assertThat(consumer.poll(got, 10)).isEqualTo(1); // the cache is 8
        signalledToTheEnd(8);
        assertThat(consumer.poll(got, Integer.MAX_VALUE)).isEqualTo(511); // head 4096, by the signals alone
        TestRings.forgeHeader(ring, 0, 8, SIGNALLED);
        TestRings.forgeHeader(ring, 16, 0, 0); // the zeroed word after it, as a producer leaves it
        // 16 bytes from 4096 end past 8 + 4096: out of reach, and position 8 is nothing new.
        assertThat(consumer.poll(got, 10)).isZero();
        assertThat(consumer.position()).isEqualTo(4096);
        // A position equal to head covers nothing, but it is newer than the cache: the reach is
        // now 4096 + 4096, as offer leaves it when it stores the position once per lap.
        TestRings.setProducerPosition(ring, 4096);
        assertThat(consumer.poll(got, 10)).isEqualTo(1);
        assertThat(consumer.position()).isEqualTo(4112);
        assertThat(consumer.failure()).isZero();
    }

    @Test
    void offerStoresThePositionOncePerLapAndAfterUnsignalledRecords() {
        final RingProducer producer = RingProducer.attach(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        final byte[] payload = new byte[1000]; // 1008 bytes a record: four fit in a lap of 4096
        assertThat(producer.offer(2, payload, 1000)).isZero();
        assertThat(TestRings.producerPosition(ring)).isZero(); // signalled: the header publishes it
        assertThat(consumer.poll(got, 10)).isEqualTo(1);
        assertThat(producer.offerDeferred(2, MemorySegment.ofArray(payload), 0, 1000)).isZero();
        assertThat(producer.offer(2, payload, 1000)).isZero(); // an unsignalled record waits: stored
        assertThat(TestRings.producerPosition(ring)).isEqualTo(3024);
        assertThat(consumer.poll(got, 10)).isEqualTo(2);
        assertThat(producer.offer(2, payload, 1000)).isZero(); // 3024 to 4032: the same lap
        assertThat(TestRings.producerPosition(ring)).isEqualTo(3024);
        // From 4032 the record does not fit before the end: a PAD, the record at 0, a new lap: stored.
        assertThat(producer.offer(2, payload, 1000)).isZero();
        assertThat(TestRings.producerPosition(ring)).isEqualTo(4096 + 1008);
        assertThat(producer.offer(2, payload, 1000)).isZero();
        assertThat(TestRings.producerPosition(ring)).isEqualTo(4096 + 1008);
        assertThat(consumer.poll(got, 10)).isEqualTo(1); // up to the PAD, which is never signalled
        assertThat(consumer.poll(got, 10)).isEqualTo(2); // the position covers the PAD; the last by its signal
        assertThat(consumer.position()).isEqualTo(4096 + 2016);
        assertThat(got.payloads).hasSize(6);
    }

    @Test
    void aConsumerResumedPastThePublishedPositionTakesItAsLegal() {
        final RingProducer producer = RingProducer.attach(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        final byte[] payload = new byte[1000];
        assertThat(producer.offer(2, payload, 1000)).isZero();
        assertThat(producer.offer(2, payload, 1000)).isZero();
        assertThat(consumer.poll(got, 10)).isEqualTo(2); // by the signals: head 2016, position 0
        assertThat(TestRings.producerPosition(ring)).isZero();
        // A restarted switch resumes at the head it kept; the position in the ring is behind it.
        final RingConsumer resumed = RingConsumer.attachAt(ring, 1, 1000, consumer.position());
        assertThat(resumed.poll(got, 10)).isZero();
        assertThat(resumed.failure()).isZero();
        assertThat(producer.offer(2, payload, 1000)).isZero();
        assertThat(resumed.poll(got, 10)).isEqualTo(1); // in reach of position 0, loaded by the last poll
        assertThat(resumed.position()).isEqualTo(3024);
        // One capacity behind head is the oldest legal position: older is corrupt.
        final RingConsumer beyond = RingConsumer.attachAt(ring, 1, 1000, 4104);
        assertThat(beyond.poll(got, 10)).isEqualTo(RingResult.CORRUPT_POSITION);
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
