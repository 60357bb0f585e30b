package doms.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Honest producer and consumer: wrap-around, full and empty edges, batches, copies. */
class RingTest {
    @Test
    void emptyRingPollsZeroAndReadsNothing() {
        final MemorySegment ring = TestRings.ring(1);
        final RingConsumer consumer = RingConsumer.attach(ring);
        final TestRings.Collector got = new TestRings.Collector();
        assertThat(consumer.poll(got, 10)).isZero();
        assertThat(got.payloads).isEmpty();
        assertThat(TestRings.consumerPosition(ring)).isZero();
    }

    @Test
    void offerPublishesAndPollDeliversInOrder() {
        final MemorySegment ring = TestRings.ring(1);
        final RingProducer producer = RingProducer.attach(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        for (int i = 0; i < 5; i++) {
            assertThat(producer.offer(7, TestRings.payload(10 + i, i), 10 + i)).isEqualTo(RingResult.OK);
        }
        // Published by their signalled headers: the position waits for a new lap (or publish()).
        assertThat(TestRings.producerPosition(ring)).isZero();
        assertThat(producer.position()).isEqualTo(5 * 24L);
        final TestRings.Collector got = new TestRings.Collector();
        assertThat(consumer.poll(got, 3)).isEqualTo(3);
        assertThat(consumer.poll(got, 3)).isEqualTo(2);
        for (int i = 0; i < 5; i++) {
            assertThat(got.payloads.get(i)).isEqualTo(TestRings.payload(10 + i, i));
            assertThat(got.types.get(i)).isEqualTo(7);
        }
        assertThat(TestRings.consumerPosition(ring)).isEqualTo(5 * 24L);
        assertThat(producer.recordsOffered()).isEqualTo(5);
        assertThat(consumer.recordsPolled()).isEqualTo(5);
        assertThat(consumer.bytesPolled()).isEqualTo(10 + 11 + 12 + 13 + 14);
    }

    /** Every payload length at every 8-byte starting alignment, over several laps of a one-page ring. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 100, 1000, 2040, 2041, 4000, 4080})
    void wrapsAroundAtEveryAlignment(final int length) {
        for (long start = 0; start < 4096; start += 8) {
            final MemorySegment ring = TestRings.ring(1);
            TestRings.setProducerPosition(ring, start + 4096L * 3);
            TestRings.setConsumerPosition(ring, start + 4096L * 3);
            final RingProducer producer = RingProducer.attach(ring);
            final RingConsumer consumer = RingConsumer.attach(ring);
            final TestRings.Collector got = new TestRings.Collector();
            for (int i = 0; i < 6; i++) {
                final byte[] payload = TestRings.payload(length, i);
                int result = producer.offer(2, payload, length);
                if (result == RingResult.FULL) { // only the padding went in; drain it and retry
                    consumer.poll(got, 100);
                    result = producer.offer(2, payload, length);
                }
                assertThat(result).as("offer %d at start %d", i, start).isEqualTo(RingResult.OK);
                assertThat(consumer.poll(got, 100)).isEqualTo(1);
                assertThat(got.payloads.getLast()).isEqualTo(payload);
            }
            assertThat(consumer.position()).isEqualTo(producer.position());
        }
    }

    @Test
    void fullEdgeKeepsOneHeaderWordFreeAndFreesAsTheConsumerReads() {
        final MemorySegment ring = TestRings.ring(1);
        final RingProducer producer = RingProducer.attach(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        final byte[] payload = TestRings.payload(56, 1); // 64-byte records: 63 fit, and the zeroed word after them
        for (int i = 0; i < 63; i++) {
            assertThat(producer.offer(2, payload, 56)).isEqualTo(RingResult.OK);
        }
        assertThat(producer.offer(2, payload, 56)).isEqualTo(RingResult.FULL);
        assertThat(producer.fullEvents()).isEqualTo(1);
        assertThat(producer.position() - TestRings.consumerPosition(ring)).isEqualTo(4096 - 64);
        assertThat(ring.get(ValueLayout.JAVA_LONG, RingDescriptor.DATA_OFFSET + 4096 - 64)).isZero();
        final TestRings.Collector got = new TestRings.Collector();
        assertThat(consumer.poll(got, 1)).isEqualTo(1);
        assertThat(producer.offer(2, payload, 56)).isEqualTo(RingResult.OK);
        assertThat(producer.offer(2, payload, 56)).isEqualTo(RingResult.FULL);
        // Signalled headers: one poll takes every record written, whatever the producer position says.
        assertThat(consumer.poll(got, 1000)).isEqualTo(63);
        assertThat(consumer.poll(got, 1000)).isZero();
        assertThat(consumer.position()).isEqualTo(producer.position());
    }

    @Test
    void aRecordAsLargeAsTheRingFitsOnceTheRingIsEmpty() {
        final MemorySegment ring = TestRings.ring(1);
        final RingProducer producer = RingProducer.attach(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        final TestRings.Collector got = new TestRings.Collector();
        assertThat(producer.offer(2, new byte[16], 16)).isEqualTo(RingResult.OK);
        assertThat(consumer.poll(got, 1)).isEqualTo(1);
        final byte[] big = TestRings.payload(4080, 9); // the largest payload: its record and one header word fill the ring
        // Only padding to the end fits now; the producer writes it and reports full.
        assertThat(producer.offer(2, big, 4080)).isEqualTo(RingResult.FULL);
        assertThat(consumer.poll(got, 1)).isZero(); // consumes the padding, delivers nothing
        assertThat(producer.offer(2, big, 4080)).isEqualTo(RingResult.OK);
        assertThat(consumer.poll(got, 1)).isEqualTo(1);
        assertThat(got.payloads.getLast()).isEqualTo(big);
    }

    @Test
    void deferredRecordsStayInvisibleUntilPublish() {
        final MemorySegment ring = TestRings.ring(1);
        final RingProducer producer = RingProducer.attach(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        final MemorySegment payload = MemorySegment.ofArray(TestRings.payload(20, 3));
        for (int i = 0; i < 4; i++) {
            assertThat(producer.offerDeferred(2, payload, 0, 20)).isEqualTo(RingResult.OK);
        }
        final TestRings.Collector got = new TestRings.Collector();
        assertThat(TestRings.producerPosition(ring)).isZero();
        assertThat(consumer.poll(got, 10)).isZero();
        producer.publish();
        assertThat(TestRings.producerPosition(ring)).isEqualTo(4 * 32L);
        assertThat(consumer.poll(got, 10)).isEqualTo(4);
    }

    @Test
    void offerBatchWritesWhatFitsAndPublishesOnce() {
        final MemorySegment ring = TestRings.ring(1);
        final RingProducer producer = RingProducer.attach(ring);
        final MemorySegment[] batch = new MemorySegment[100];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = MemorySegment.ofArray(TestRings.payload(56, i));
        }
        assertThat(producer.offerBatch(2, batch, 100)).isEqualTo(63);
        assertThat(TestRings.producerPosition(ring)).isEqualTo(4096 - 64);
        final TestRings.Collector got = new TestRings.Collector();
        assertThat(RingConsumer.attach(ring).poll(got, 1000)).isEqualTo(63);
        for (int i = 0; i < 63; i++) {
            assertThat(got.payloads.get(i)).isEqualTo(TestRings.payload(56, i));
        }
    }

    @Test
    void pollCopyHandsOverPrivateCopiesTheProducerCannotChange() {
        final MemorySegment ring = TestRings.ring(1);
        final RingProducer producer = RingProducer.attach(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        producer.offer(2, TestRings.payload(32, 5), 32);
        final MemorySegment scratch = MemorySegment.ofArray(new byte[consumer.maxPayload()]);
        final byte[][] seen = new byte[1][];
        consumer.pollCopy((type, buffer, offset, length) -> {
            assertThat(buffer).isSameAs(scratch);
            // A hostile producer scribbles over the shared record while we hold the copy.
            ring.asSlice(RingDescriptor.DATA_OFFSET, 40).fill((byte) 0x55);
            seen[0] = buffer.asSlice(offset, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        }, 1, scratch);
        assertThat(seen[0]).isEqualTo(TestRings.payload(32, 5));
    }

    @Test
    void randomTrafficThroughASmallRingArrivesIntact() {
        final MemorySegment ring = TestRings.ring(2);
        final RingProducer producer = RingProducer.attach(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        final SplittableRandom random = new SplittableRandom(7);
        final TestRings.Collector got = new TestRings.Collector();
        int sent = 0;
        while (sent < 20_000) {
            final int length = random.nextInt(0, 3000);
            if (producer.offer(2, TestRings.payload(length, sent), length) == RingResult.OK) {
                sent++;
            }
            if (random.nextInt(3) == 0) {
                assertThat(consumer.poll(got, random.nextInt(1, 5))).isGreaterThanOrEqualTo(0);
            }
        }
        long before;
        do { // until a poll delivers nothing and does not move: a padding-only poll also returns 0
            before = consumer.position();
        } while (consumer.poll(got, 100) > 0 || consumer.position() != before);
        assertThat(got.payloads).hasSize(20_000);
        int i = 0;
        for (final byte[] payload : got.payloads) {
            assertThat(payload).isEqualTo(TestRings.payload(payload.length, i++));
        }
    }

    @Test
    void producerAndConsumerResumeFromPublishedPositions() {
        final MemorySegment ring = TestRings.ring(1);
        RingProducer producer = RingProducer.attach(ring);
        for (int i = 0; i < 3; i++) {
            producer.offer(2, TestRings.payload(30, i), 30);
        }
        final TestRings.Collector got = new TestRings.Collector();
        RingConsumer.attach(ring).poll(got, 1);
        producer.publish(); // as a producer that detaches does (GuestPort#close): offer stores it once per lap
        producer = RingProducer.attach(ring); // a restarted producer
        producer.offer(2, TestRings.payload(30, 3), 30);
        final RingConsumer restarted = RingConsumer.attach(ring);
        assertThat(restarted.poll(got, 10)).isEqualTo(3);
        for (int i = 0; i < 4; i++) {
            assertThat(got.payloads.get(i)).isEqualTo(TestRings.payload(30, i));
        }
    }

    @Test
    void rejectsImpossibleRecordsWithoutWriting() {
        final MemorySegment ring = TestRings.ring(1, 100);
        final RingProducer producer = RingProducer.attach(ring);
        assertThat(producer.offer(2, new byte[101], 101)).isEqualTo(RingResult.INVALID_ARGUMENT);
        assertThat(producer.offer(RecordDescriptor.TYPE_PAD, new byte[1], 1)).isEqualTo(RingResult.INVALID_ARGUMENT);
        assertThat(producer.offer(2, MemorySegment.ofArray(new byte[1]), 0, -1)).isEqualTo(RingResult.INVALID_ARGUMENT);
        assertThat(TestRings.producerPosition(ring)).isZero();
    }
}
