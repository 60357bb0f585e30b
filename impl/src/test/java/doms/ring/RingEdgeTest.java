package doms.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The exact edges of the ring's arithmetic: where a record just fits, where the producer may
 * and may not read the consumer's position, batches, deferred releases, and the header checks
 * at their limits. In-process and deterministic (one thread plays both sides, or the hostile peer).
 */
class RingEdgeTest {
    private static final byte[] KIB = new byte[1016]; // a record of exactly 1024 bytes

    /** A one-page ring whose producer has read a consumer position of 2048 once and has published 5120. */
    private static RingProducer producerWithCachedConsumerAt2048(final MemorySegment ring) {
        final RingProducer producer = RingProducer.attach(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        for (int i = 0; i < 3; i++) {
            assertThat(producer.offer(2, KIB, KIB.length)).isEqualTo(RingResult.OK);
        }
        assertThat(consumer.poll((t, b, o, l) -> { }, 2)).isEqualTo(2);
        assertThat(producer.offer(2, KIB, KIB.length)).isEqualTo(RingResult.OK); // full by its cache: reads 2048
        assertThat(producer.offer(2, KIB, KIB.length)).isEqualTo(RingResult.OK); // fits by the cache
        assertThat(producer.position()).isEqualTo(5120);
        return producer;
    }

    @Test
    void theProducerReadsTheConsumerPositionOnlyWhenItsCacheSaysFull() {
        final MemorySegment ring = TestRings.ring(1);
        final RingProducer fresh = RingProducer.attach(ring);
        // Garbage in the consumer's word: a producer whose cache says a record fits exactly never looks at it.
        TestRings.setConsumerPosition(ring, 4);
        assertThat(fresh.offer(2, new byte[4080], 4080)).isEqualTo(RingResult.OK);
        assertThat(fresh.position()).isEqualTo(4088);
        assertThat(fresh.failure()).isZero();

        final MemorySegment other = TestRings.ring(1);
        final RingProducer producer = producerWithCachedConsumerAt2048(other);
        TestRings.setConsumerPosition(other, 4);
        // 5120 + 1016 + 8 (the zeroed word) - 2048 = 4096: fits exactly by the cached position, so no read.
        assertThat(producer.offer(2, new byte[1008], 1008)).isEqualTo(RingResult.OK);
        assertThat(producer.position()).isEqualTo(6136);
        // One byte more does not fit by the cache: now it reads, and rejects the garbage.
        assertThat(producer.offer(2, new byte[1], 1)).isEqualTo(RingResult.CORRUPT_POSITION);
        assertThat(producer.fullEvents()).isZero(); // a corrupt position is not a full ring
    }

    @Test
    void aConsumerPositionBehindTheCachedOneIsRejectedEvenWithinOneCapacity() {
        final MemorySegment ring = TestRings.ring(1);
        final RingProducer producer = producerWithCachedConsumerAt2048(ring);
        // 1024 is aligned and 5120 - 1024 is exactly one capacity: only going backwards is wrong with it.
        TestRings.setConsumerPosition(ring, 1024);
        assertThat(producer.offer(2, new byte[1024], 1024)).isEqualTo(RingResult.CORRUPT_POSITION);
        assertThat(producer.failure()).isEqualTo(RingResult.CORRUPT_POSITION);
    }

    /** A one-page ring whose consumer has taken one empty (8-byte) record, with a 4064-byte record after it: 24 bytes to the end. */
    private static RingConsumer paddingAhead(final MemorySegment ring, final RingProducer producer, final boolean signal,
            final TestRings.Collector got) {
        final RingConsumer consumer = RingConsumer.attach(ring);
        assertThat(offer(producer, signal, 2, new byte[0])).isEqualTo(RingResult.OK);
        assertThat(consumer.poll(got, 1)).isEqualTo(1);
        assertThat(offer(producer, signal, 2, new byte[4056])).isEqualTo(RingResult.OK);
        assertThat(producer.position()).isEqualTo(4072);
        // 32 bytes do not fit in 24; the 24 bytes of padding and the zeroed word at index 0 fit
        // exactly (4072 + 24 + 8 - 8 = capacity): the producer writes the padding alone.
        assertThat(offer(producer, signal, 3, new byte[24])).isEqualTo(RingResult.FULL);
        assertThat(producer.position()).isEqualTo(4096);
        assertThat(ring.get(ValueLayout.JAVA_INT, RingDescriptor.DATA_OFFSET + 4072 + RecordDescriptor.LENGTH_OFFSET)).isEqualTo(16);
        assertThat(RecordDescriptor.type(ring.get(ValueLayout.JAVA_LONG, RingDescriptor.DATA_OFFSET + 4072)))
                .isEqualTo(RecordDescriptor.TYPE_PAD);
        assertThat(ring.get(ValueLayout.JAVA_LONG, RingDescriptor.DATA_OFFSET)).isZero();
        return consumer;
    }

    private static int offer(final RingProducer producer, final boolean signal, final int type, final byte[] payload) {
        if (signal) {
            return producer.offer(type, payload, payload.length);
        }
        final int result = producer.offerDeferred(type, MemorySegment.ofArray(payload), 0, payload.length);
        producer.publish();
        return result;
    }

    @Test
    void whenOnlyThePaddingFitsTheProducerWritesItAndReportsFull() {
        final MemorySegment ring = TestRings.ring(1);
        final RingProducer producer = RingProducer.attach(ring);
        final TestRings.Collector got = new TestRings.Collector();
        final RingConsumer consumer = paddingAhead(ring, producer, true, got);
        // The signalled record; the PAD is not signalled, so the poll stops in front of it.
        assertThat(consumer.poll(got, 10)).isEqualTo(1);
        assertThat(consumer.position()).isEqualTo(4072);
        assertThat(producer.offer(3, TestRings.payload(24, 1), 24)).isEqualTo(RingResult.OK);
        assertThat(producer.position()).isEqualTo(4096 + 32);
        assertThat(consumer.poll(got, 10)).isEqualTo(1);
        assertThat(got.types).containsExactly(2, 2, 3);
        assertThat(got.payloads.get(2)).isEqualTo(TestRings.payload(24, 1));
        assertThat(producer.recordsOffered()).isEqualTo(3); // the one written at index 0 counts too
    }

    @Test
    void aPollThatConsumesOnlyThePaddingReturnsZeroAndTheNextOneDeliversWhatFollows() {
        final MemorySegment ring = TestRings.ring(1);
        final RingProducer producer = RingProducer.attach(ring);
        final TestRings.Collector got = new TestRings.Collector();
        final RingConsumer consumer = paddingAhead(ring, producer, false, got); // records published by the position alone
        assertThat(consumer.poll(got, 1)).isEqualTo(1);       // reads the position once: 4096, takes the 4048-byte record
        assertThat(offer(producer, false, 3, TestRings.payload(24, 1))).isEqualTo(RingResult.OK); // now at index 0
        // This poll does not read the position again (its cache says 4096 is not reached): it
        // consumes the padding, reaches 4096, finds no signalled header there and has delivered
        // nothing, though a record waits.
        assertThat(consumer.poll(got, 10)).isZero();
        assertThat(consumer.position()).isEqualTo(4096);
        assertThat(consumer.poll(got, 10)).isEqualTo(1);
        assertThat(consumer.position()).isEqualTo(4096 + 32);
        // Empty: 0, and the position stays.
        assertThat(consumer.poll(got, 10)).isZero();
        assertThat(consumer.position()).isEqualTo(4096 + 32);
        assertThat(got.types).containsExactly(2, 2, 3);
    }

    /** At a PAD the consumer loads the producer position: the PAD and what follows it in one poll. */
    @Test
    void aSignalledRecordAfterThePaddingComesInTheSamePoll() {
        final MemorySegment ring = TestRings.ring(1);
        final RingProducer producer = RingProducer.attach(ring);
        final TestRings.Collector got = new TestRings.Collector();
        final RingConsumer consumer = paddingAhead(ring, producer, true, got);
        assertThat(consumer.poll(got, 1)).isEqualTo(1);
        assertThat(producer.offer(3, TestRings.payload(24, 1), 24)).isEqualTo(RingResult.OK);
        assertThat(consumer.poll(got, 10)).isEqualTo(1);
        assertThat(consumer.position()).isEqualTo(4096 + 32);
    }

    @Test
    void countersAndGeometryOfTheProducer() {
        final MemorySegment ring = TestRings.ring(2, 300);
        final RingProducer producer = RingProducer.attach(ring, 2, 300);
        assertThat(producer.capacity()).isEqualTo(8192);
        assertThat(producer.maxPayload()).isEqualTo(300);
        producer.offer(2, new byte[10], 10);
        producer.offer(2, new byte[300], 300);
        producer.offer(2, new byte[301], 301); // refused: not counted
        assertThat(producer.recordsOffered()).isEqualTo(2);
        assertThat(producer.fullEvents()).isZero();
        // The argument checks at their limits: an empty payload, the last user type, and above it.
        assertThat(producer.offer(RecordDescriptor.TYPE_LAST_USER, new byte[0], 0)).isEqualTo(RingResult.OK);
        assertThat(producer.offer(RecordDescriptor.TYPE_LAST_USER + 1, new byte[0], 0)).isEqualTo(RingResult.INVALID_ARGUMENT);
        assertThat(producer.offer(RecordDescriptor.TYPE_PAD, new byte[0], 0)).isEqualTo(RingResult.INVALID_ARGUMENT);
        assertThat(producer.offer(2, MemorySegment.ofArray(new byte[1]), 0, -1)).isEqualTo(RingResult.INVALID_ARGUMENT);
        assertThat(producer.recordsOffered()).isEqualTo(3);
    }

    /** Offers one record of {@code length} payload bytes and has a new consumer take it; returns that consumer. */
    private static RingConsumer oneRecordTaken(final MemorySegment ring, final RingProducer producer, final int length) {
        final RingConsumer consumer = RingConsumer.attach(ring);
        assertThat(producer.offer(2, new byte[length], length)).isEqualTo(RingResult.OK);
        assertThat(consumer.poll((t, b, o, l) -> { }, 1)).isEqualTo(1);
        return consumer;
    }

    @Test
    void aRecordWrittenAtIndexZeroBehindItsPaddingIsCountedOnce() {
        final MemorySegment ring = TestRings.ring(1);
        final RingProducer producer = RingProducer.attach(ring);
        oneRecordTaken(ring, producer, 4000);
        // 88 bytes to the end, 112 needed: the record at index 0 and the padding, in one call.
        assertThat(producer.offer(2, new byte[100], 100)).isEqualTo(RingResult.OK);
        assertThat(producer.position()).isEqualTo(4096 + 112);
        assertThat(producer.recordsOffered()).isEqualTo(2);
    }

    /**
     * The attach validates what Ring.tla's ValidSpan says, up to one whole capacity between the
     * positions (no honest pair gets there: the zeroed word keeps 8 bytes free). A producer
     * attached at that span finds the ring full and writes nothing; one word more is refused.
     */
    @Test
    void aProducerAttachedOneCapacityAheadFindsTheRingFullAndOneWordMoreIsRefused() {
        final MemorySegment ring = TestRings.ring(1);
        TestRings.setProducerPosition(ring, 4096);
        final RingProducer producer = RingProducer.attach(ring);
        assertThat(producer.offer(2, new byte[0], 0)).isEqualTo(RingResult.FULL);
        assertThat(producer.failure()).isZero();
        assertThat(producer.position()).isEqualTo(4096);
        assertThat(ring.asSlice(RingDescriptor.DATA_OFFSET, 4096).mismatch(MemorySegment.ofArray(new byte[4096]))).isEqualTo(-1);
        TestRings.setProducerPosition(ring, 4104);
        assertThatThrownBy(() -> RingProducer.attach(ring)).isInstanceOf(RingFormatException.class);
    }

    @Test
    void aBatchStopsAtCountAndReportsWhyItWroteNothing() {
        final MemorySegment ring = TestRings.ring(1, 100);
        final RingProducer producer = RingProducer.attach(ring);
        final MemorySegment[] batch = {MemorySegment.ofArray(new byte[10]), MemorySegment.ofArray(new byte[20]),
            MemorySegment.ofArray(new byte[30]), MemorySegment.ofArray(new byte[40])};
        assertThat(producer.offerBatch(2, batch, 0)).isZero();
        assertThat(producer.offerBatch(2, batch, 3)).isEqualTo(3);
        assertThat(producer.recordsOffered()).isEqualTo(3);
        assertThat(TestRings.producerPosition(ring)).isEqualTo(24 + 32 + 40);
        final MemorySegment[] exact = {MemorySegment.ofArray(new byte[8]), MemorySegment.ofArray(new byte[8])};
        assertThat(producer.offerBatch(2, exact, 2)).isEqualTo(2); // the whole array: nothing read past its end
        // An impossible first record: the reason, and nothing written.
        final MemorySegment[] tooLong = {MemorySegment.ofArray(new byte[101]), MemorySegment.ofArray(new byte[1])};
        assertThat(producer.offerBatch(2, tooLong, 2)).isEqualTo(RingResult.INVALID_ARGUMENT);
        // An impossible second record: the count of those before it.
        final MemorySegment[] secondTooLong = {MemorySegment.ofArray(new byte[1]), MemorySegment.ofArray(new byte[101])};
        assertThat(producer.offerBatch(2, secondTooLong, 2)).isEqualTo(1);
        assertThat(producer.recordsOffered()).isEqualTo(6);
    }

    @Test
    void aBatchIntoAFullRingWritesNothingAndSaysZero() {
        final MemorySegment ring = TestRings.ring(1);
        final RingProducer producer = RingProducer.attach(ring);
        assertThat(producer.offer(2, new byte[4080], 4080)).isEqualTo(RingResult.OK);
        assertThat(producer.offerBatch(2, new MemorySegment[] {MemorySegment.ofArray(new byte[1])}, 1)).isZero();
        TestRings.setConsumerPosition(ring, 12); // unaligned: the batch reports the corruption itself
        assertThat(producer.offerBatch(2, new MemorySegment[] {MemorySegment.ofArray(new byte[1])}, 1))
                .isEqualTo(RingResult.CORRUPT_POSITION);
    }

    @Test
    void pollCopyChecksTheScratchAndCountsWhatItDelivered() {
        final MemorySegment ring = TestRings.ring(1, 64);
        final RingProducer producer = RingProducer.attach(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        producer.offer(2, TestRings.payload(64, 1), 64);
        producer.offer(2, TestRings.payload(3, 2), 3);
        final TestRings.Collector got = new TestRings.Collector();
        assertThatThrownBy(() -> consumer.pollCopy(got, 10, MemorySegment.ofArray(new byte[63])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max payload 64");
        assertThat(got.payloads).isEmpty();
        assertThat(consumer.pollCopy(got, 10, MemorySegment.ofArray(new byte[64]))).isEqualTo(2);
        assertThat(got.payloads).containsExactly(TestRings.payload(64, 1), TestRings.payload(3, 2));
        assertThat(TestRings.consumerPosition(ring)).isEqualTo(72 + 16);
    }

    @Test
    void pollCopyDeferredReleasesNothingUntilPublish() {
        final MemorySegment ring = TestRings.ring(1, 64);
        final RingProducer producer = RingProducer.attach(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        producer.offer(2, TestRings.payload(10, 1), 10);
        producer.offer(2, TestRings.payload(20, 2), 20);
        final TestRings.Collector got = new TestRings.Collector();
        assertThatThrownBy(() -> consumer.pollCopyDeferred(got, 10, MemorySegment.ofArray(new byte[10])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(consumer.pollCopyDeferred(got, 10, MemorySegment.ofArray(new byte[64]))).isEqualTo(2);
        assertThat(got.payloads).containsExactly(TestRings.payload(10, 1), TestRings.payload(20, 2));
        assertThat(consumer.position()).isEqualTo(24 + 32);
        assertThat(TestRings.consumerPosition(ring)).isZero();
        consumer.publish();
        assertThat(TestRings.consumerPosition(ring)).isEqualTo(24 + 32);
    }

    @Test
    void aRecordRunningPastThePublishedPositionIsRejectedAlsoFarFromTheStart() {
        final MemorySegment ring = TestRings.ring(1);
        final RingConsumer consumer = oneRecordTaken(ring, RingProducer.attach(ring), 2040); // 2048 bytes
        // The producer publishes 16 bytes at 2048 whose header claims 100 bytes of payload.
        TestRings.forgeHeader(ring, 2048, 100, 2);
        TestRings.setProducerPosition(ring, 2048 + 16);
        final TestRings.Collector got = new TestRings.Collector();
        assertThat(consumer.poll(got, 10)).isEqualTo(RingResult.CORRUPT_RECORD);
        assertThat(got.payloads).isEmpty();
        assertThat(consumer.position()).isEqualTo(2048);
    }

    @Test
    void paddingRunningPastThePublishedPositionIsRejectedAlsoFarFromTheStart() {
        final MemorySegment ring = TestRings.ring(1);
        final RingConsumer consumer = oneRecordTaken(ring, RingProducer.attach(ring), 2040);
        TestRings.forgeHeader(ring, 2048, 2040, RecordDescriptor.TYPE_PAD); // padding to the end, but only 16 bytes published
        TestRings.setProducerPosition(ring, 2048 + 16);
        assertThat(consumer.poll((t, b, o, l) -> { }, 10)).isEqualTo(RingResult.CORRUPT_RECORD);
        assertThat(consumer.position()).isEqualTo(2048);
    }

    @Test
    void headerChecksAtTheirLimits() {
        // The largest page count passes the page check: with a small region the complaint is the size.
        final MemorySegment ring = TestRings.ring(1);
        ring.set(ValueLayout.JAVA_INT, RingDescriptor.PAGES_OFFSET, RingDescriptor.MAX_PAGES);
        ring.set(ValueLayout.JAVA_LONG, RingDescriptor.CAPACITY_OFFSET, (long) RingDescriptor.MAX_PAGES * RingDescriptor.PAGE_SIZE);
        assertThat(RingDescriptor.check(ring)).contains("too small for 65536 pages");
        ring.set(ValueLayout.JAVA_INT, RingDescriptor.PAGES_OFFSET, RingDescriptor.MAX_PAGES * 2);
        assertThat(RingDescriptor.check(ring)).startsWith("bad page count");
        // A header for two pages in a one-page region.
        final MemorySegment small = TestRings.ring(1);
        small.set(ValueLayout.JAVA_INT, RingDescriptor.PAGES_OFFSET, 2);
        small.set(ValueLayout.JAVA_LONG, RingDescriptor.CAPACITY_OFFSET, 8192);
        assertThat(RingDescriptor.check(small)).contains("too small for 2 pages");
        assertThat(RingDescriptor.check(Arena.ofAuto().allocate(RingDescriptor.DATA_OFFSET + 4095))).contains("smaller than one ring");
        // A maximum payload of zero is legal (records without payload); one below is not.
        final MemorySegment empty = TestRings.ring(1, 0);
        assertThat(RingDescriptor.check(empty)).isNull();
        assertThat(RingDescriptor.check(empty, 1, 0)).isNull();
        assertThat(RingDescriptor.check(empty, 1, 1)).contains("expected 1 / 1");
        empty.set(ValueLayout.JAVA_INT, RingDescriptor.MAX_PAYLOAD_OFFSET, -1);
        assertThat(RingDescriptor.check(empty)).isEqualTo("bad max payload -1");
        assertThat(RingDescriptor.check(empty, 1, 0)).isEqualTo("bad max payload -1");
    }

    @Test
    void initialiseRefusesARegionTooSmallOrAPayloadOutOfRange() {
        final MemorySegment region = Arena.ofAuto().allocate(RingDescriptor.regionLength(1));
        assertThatThrownBy(() -> RingDescriptor.initialise(region, 2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too small for 2 pages");
        assertThatThrownBy(() -> RingDescriptor.initialise(region, 1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max payload");
        assertThatThrownBy(() -> RingDescriptor.initialise(region, 1, RingDescriptor.largestPayload(1) + 1))
                .isInstanceOf(IllegalArgumentException.class);
        RingDescriptor.initialise(region, 1, 0);
        assertThat(RingDescriptor.geometry(region)).isEqualTo(new RingDescriptor.Geometry(1, 4096, 0));
        RingDescriptor.initialise(region, 1, RingDescriptor.largestPayload(1));
        assertThat(RingDescriptor.geometry(region).maxPayload()).isEqualTo(4080);
    }

    @Test
    void resultsDescribeThemselves() {
        assertThat(RingResult.describe(RingResult.OK)).isEqualTo("ok");
        assertThat(RingResult.describe(RingResult.FULL)).isEqualTo("full");
        assertThat(RingResult.describe(RingResult.CORRUPT_POSITION)).isEqualTo("corrupt position");
        assertThat(RingResult.describe(RingResult.CORRUPT_RECORD)).isEqualTo("corrupt record");
        assertThat(RingResult.describe(RingResult.INVALID_ARGUMENT)).isEqualTo("invalid argument");
        assertThat(RingResult.describe(1)).isEqualTo("1 records");
        assertThat(RingResult.describe(-5)).isEqualTo("unknown result -5");
    }
}
