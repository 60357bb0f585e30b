package doms.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * A hostile peer writes anything into the memory it shares: each rule the consumer (and the
 * producer, for the peer's consumer position) checks gets one test. None may throw, read out
 * of bounds or deliver anything past the bad spot, and the failure is sticky.
 */
class RingHostilePeerTest {
    private final MemorySegment ring = TestRings.ring(1, 1000);
    private final RingConsumer consumer = RingConsumer.attach(ring);
    private final TestRings.Collector got = new TestRings.Collector();

    private int pollAfterProducerSays(final long tail) {
        TestRings.setProducerPosition(ring, tail);
        return consumer.poll(got, 100);
    }

    @Test
    void producerPositionBehindWhatItSaidBeforeIsRejected() {
        final RingProducer producer = RingProducer.attach(ring);
        producer.offerDeferred(2, MemorySegment.ofArray(new byte[8]), 0, 8);
        producer.publish();
        assertThat(consumer.poll(got, 10)).isEqualTo(1); // loaded the position: 16
        assertThat(pollAfterProducerSays(8)).isEqualTo(RingResult.CORRUPT_POSITION);
    }

    @Test
    void producerPositionBehindTheConsumerButNotBehindWhatItSaidIsNoNews() {
        RingProducer.attach(ring).offer(2, new byte[8], 8);
        assertThat(consumer.poll(got, 10)).isEqualTo(1); // the signalled header: the position was not loaded
        assertThat(pollAfterProducerSays(8)).isZero();   // a position that lags the signalled records
        assertThat(consumer.failure()).isZero();
    }

    @Test
    void aRingOfSignalledHeadersYieldsOneCapacityPastThePublishedPositionThenNothing() {
        for (int at = 0; at < 4096; at += 8) {
            TestRings.forgeHeader(ring, at, 0, 2 | RecordDescriptor.SIGNAL);
        }
        // 512 records of 8 bytes, then index 0 again: one capacity past position 0, so the
        // consumer loads the position, which says 0: nothing new, however often it polls.
        assertThat(consumer.poll(got, Integer.MAX_VALUE)).isEqualTo(512);
        assertThat(consumer.poll(got, Integer.MAX_VALUE)).isZero();
        assertThat(consumer.poll(got, Integer.MAX_VALUE)).isZero();
        assertThat(consumer.position()).isEqualTo(4096);
        assertThat(consumer.failure()).isZero();
    }

    @Test
    void aSignalledRecordCrossingTheEndOfTheDataAreaIsRejected() {
        final MemorySegment big = TestRings.ring(1, 4080);
        TestRings.setProducerPosition(big, 4000);
        TestRings.setConsumerPosition(big, 4000);
        final RingConsumer c = RingConsumer.attach(big);
        TestRings.forgeHeader(big, 4000, 200, 2 | RecordDescriptor.SIGNAL);
        assertThat(c.poll(got, 10)).isEqualTo(RingResult.CORRUPT_RECORD);
        assertThat(got.payloads).isEmpty();
    }

    @Test
    void aSignalledPaddingOfTheWrongLengthIsRejected() {
        TestRings.forgeHeader(ring, 0, 100, RecordDescriptor.TYPE_PAD | RecordDescriptor.SIGNAL);
        assertThat(consumer.poll(got, 10)).isEqualTo(RingResult.CORRUPT_RECORD);
    }

    @Test
    void producerPositionMoreThanOneCapacityAheadIsRejected() {
        assertThat(pollAfterProducerSays(4096 + 8)).isEqualTo(RingResult.CORRUPT_POSITION);
    }

    @Test
    void producerPositionWrappedToNegativeIsRejected() {
        assertThat(pollAfterProducerSays(Long.MIN_VALUE)).isEqualTo(RingResult.CORRUPT_POSITION);
        assertThat(pollAfterProducerSays(-8)).isEqualTo(RingResult.CORRUPT_POSITION);
    }

    @Test
    void unalignedProducerPositionIsRejected() {
        assertThat(pollAfterProducerSays(12)).isEqualTo(RingResult.CORRUPT_POSITION);
    }

    @Test
    void typeZeroIsRejected() {
        TestRings.forgeHeader(ring, 0, 8, RecordDescriptor.TYPE_INVALID);
        assertThat(pollAfterProducerSays(16)).isEqualTo(RingResult.CORRUPT_RECORD);
    }

    @Test
    void unpublishedZeroMemoryIsNeverARecord() {
        // A producer that publishes a position without writing the records: all zero bytes.
        assertThat(pollAfterProducerSays(4096)).isEqualTo(RingResult.CORRUPT_RECORD);
        assertThat(got.payloads).isEmpty();
    }

    @Test
    void negativeLengthIsRejected() {
        TestRings.forgeHeader(ring, 0, -1, 2);
        assertThat(pollAfterProducerSays(16)).isEqualTo(RingResult.CORRUPT_RECORD);
    }

    @Test
    void lengthAboveTheMaximumPayloadIsRejected() {
        TestRings.forgeHeader(ring, 0, 1001, 2);
        assertThat(pollAfterProducerSays(4096)).isEqualTo(RingResult.CORRUPT_RECORD);
    }

    @Test
    void hugeLengthIsRejectedWithoutOverflow() {
        TestRings.forgeHeader(ring, 0, Integer.MAX_VALUE, 2);
        assertThat(pollAfterProducerSays(4096)).isEqualTo(RingResult.CORRUPT_RECORD);
    }

    @Test
    void recordRunningPastThePublishedPositionIsRejected() {
        TestRings.forgeHeader(ring, 0, 100, 2); // needs 112 bytes
        assertThat(pollAfterProducerSays(104)).isEqualTo(RingResult.CORRUPT_RECORD);
        assertThat(got.payloads).isEmpty();
    }

    @Test
    void recordCrossingTheEndOfTheDataAreaIsRejected() {
        final MemorySegment big = TestRings.ring(1, 4080);
        TestRings.setProducerPosition(big, 4000);
        TestRings.setConsumerPosition(big, 4000);
        final RingConsumer c = RingConsumer.attach(big);
        TestRings.forgeHeader(big, 4000, 200, 2); // 208 bytes from index 4000 would cross 4096
        TestRings.setProducerPosition(big, 4000 + 208);
        assertThat(c.poll(got, 10)).isEqualTo(RingResult.CORRUPT_RECORD);
    }

    @Test
    void paddingOfTheWrongLengthIsRejected() {
        TestRings.forgeHeader(ring, 0, 100, RecordDescriptor.TYPE_PAD);
        assertThat(pollAfterProducerSays(4096)).isEqualTo(RingResult.CORRUPT_RECORD);
    }

    @Test
    void paddingRunningPastThePublishedPositionIsRejected() {
        TestRings.forgeHeader(ring, 0, 4088, RecordDescriptor.TYPE_PAD);
        assertThat(pollAfterProducerSays(64)).isEqualTo(RingResult.CORRUPT_RECORD);
    }

    @Test
    void recordsBeforeTheBadOneAreDeliveredAndReleasedThenTheRingStaysFailed() {
        final RingProducer producer = RingProducer.attach(ring);
        producer.offer(2, TestRings.payload(8, 1), 8);
        producer.offer(2, TestRings.payload(8, 2), 8);
        TestRings.forgeHeader(ring, 32, -5, 2 | RecordDescriptor.SIGNAL);
        assertThat(pollAfterProducerSays(48)).isEqualTo(RingResult.CORRUPT_RECORD);
        assertThat(got.payloads).hasSize(2);
        assertThat(TestRings.consumerPosition(ring)).isEqualTo(32);
        // Even if the producer "repairs" the record, a failed consumer reads nothing more.
        TestRings.forgeHeader(ring, 32, 8, 2);
        assertThat(consumer.poll(got, 100)).isEqualTo(RingResult.CORRUPT_RECORD);
        assertThat(got.payloads).hasSize(2);
        assertThat(consumer.failure()).isEqualTo(RingResult.CORRUPT_RECORD);
    }

    @Test
    void aPollDoesBoundedWorkWhateverTheProducerPublishes() {
        // The largest legal backlog of the smallest records: capacity / 8 of them but the zeroed word.
        final RingProducer producer = RingProducer.attach(ring);
        while (producer.offer(2, new byte[0], 0) == RingResult.OK) {
            // fill
        }
        assertThat(consumer.poll(got, Integer.MAX_VALUE)).isEqualTo(4096 / 8 - 1);
    }

    @Test
    void consumerPositionAheadOfWhatWasWrittenIsRejectedByTheProducer() {
        final RingProducer producer = RingProducer.attach(ring);
        final byte[] payload = new byte[56];
        for (int i = 0; i < 64; i++) {
            producer.offer(2, payload, 56);
        }
        TestRings.setConsumerPosition(ring, 4096 + 64);
        assertThat(producer.offer(2, payload, 56)).isEqualTo(RingResult.CORRUPT_POSITION);
        assertThat(producer.offer(2, payload, 56)).isEqualTo(RingResult.CORRUPT_POSITION);
        assertThat(producer.failure()).isEqualTo(RingResult.CORRUPT_POSITION);
    }

    @Test
    void consumerPositionGoingBackwardsIsRejectedByTheProducer() {
        final RingProducer producer = RingProducer.attach(ring);
        final byte[] payload = new byte[56];
        for (int i = 0; i < 64; i++) {
            producer.offer(2, payload, 56);
        }
        consumer.poll(got, 10); // consumer at 640
        for (int i = 0; i < 10; i++) {
            producer.offer(2, payload, 56);
        }
        TestRings.setConsumerPosition(ring, 320); // backwards, though still within one capacity
        assertThat(producer.offer(2, payload, 56)).isEqualTo(RingResult.CORRUPT_POSITION);
    }

    @Test
    void unalignedConsumerPositionIsRejectedByTheProducer() {
        final RingProducer producer = RingProducer.attach(ring);
        final byte[] payload = new byte[56];
        for (int i = 0; i < 64; i++) {
            producer.offer(2, payload, 56);
        }
        TestRings.setConsumerPosition(ring, 3);
        assertThat(producer.offer(2, payload, 56)).isEqualTo(RingResult.CORRUPT_POSITION);
    }

    @Test
    void attachRefusesPositionsThatCannotBeAPair() {
        TestRings.setProducerPosition(ring, 8192);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RingProducer.attach(ring))
                .isInstanceOf(RingFormatException.class).hasMessageContaining("out of range");
    }
}
