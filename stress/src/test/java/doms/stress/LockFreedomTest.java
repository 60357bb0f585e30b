package doms.stress;

import static org.assertj.core.api.Assertions.assertThat;

import doms.ring.RecordDescriptor;
import doms.ring.RingConsumer;
import doms.ring.RingDescriptor;
import doms.ring.RingProducer;
import doms.ring.RingResult;
import doms.shm.SharedFile;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lock-freedom evidence (proofs-notes/wait-freedom.md): one side of a ring on mapped shared
 * memory is stopped indefinitely at the worst point of its operation (the consumer inside a
 * zero-copy poll, holding a record it has not released; the producer between writing a batch
 * and publishing it) and the other side's operations keep completing: a million of them, each
 * returning FULL or 0, none waiting for the stopped side. A blocking ring would hang here (the
 * {@link Timeout} turns that into a failure). The worst per-call time is printed, not asserted:
 * scheduling noise is not a step count, and the bounded work of each call is checked by
 * RingHostilePeerTest and the TLA+ spec's BoundedWork, not by a clock.
 */
class LockFreedomTest {
    private static final int OPERATIONS = 1_000_000;
    private static final int TYPE = RecordDescriptor.TYPE_FIRST_USER + 1;

    private Path file;
    private SharedFile shared;
    private MemorySegment ring;

    @BeforeEach
    void mapRing() throws Exception {
        file = SharedFile.DEFAULT_DIRECTORY.resolve("doms-lockfree-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".ring");
        shared = SharedFile.create(file, RingDescriptor.regionLength(1));
        ring = shared.segment();
        RingDescriptor.initialise(ring, 1, RingDescriptor.largestPayload(1));
    }

    @AfterEach
    void unmapRing() throws Exception {
        shared.close();
        Files.deleteIfExists(file);
    }

    @Test
    @Timeout(120)
    void theProducerNeverWaitsForAConsumerStoppedInsideAPoll() throws Exception {
        final RingProducer producer = RingProducer.attach(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        for (int i = 0; i < 4; i++) { // a full ring: 4088 bytes and the zeroed word
            assertThat(producer.offer(TYPE, Payloads.source(1), 0, i < 3 ? 1016 : 1008)).isEqualTo(RingResult.OK);
        }
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
        final AtomicInteger intactWhenResumed = new AtomicInteger(-1);
        final Thread stopped = Thread.ofPlatform().name("stopped-consumer").start(() -> consumer.poll((type, buffer, offset, length) -> {
            inside.countDown();
            awaitQuietly(resume); // stopped here, indefinitely as far as the producer can tell
            intactWhenResumed.set(Payloads.matches(buffer, offset, length, 1) ? 1 : 0);
        }, 1));
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

        long worst = 0;
        for (int i = 0; i < OPERATIONS; i++) {
            final long start = System.nanoTime();
            final int result = producer.offer(TYPE, Payloads.source(2), 0, 1016);
            worst = Math.max(worst, System.nanoTime() - start);
            assertThat(result).isEqualTo(RingResult.FULL);
        }
        assertThat(stopped.getState()).isEqualTo(Thread.State.WAITING); // still stopped throughout
        assertThat(Payloads.matches(ring, RingDescriptor.DATA_OFFSET + RecordDescriptor.HEADER_LENGTH, 1016, 1)).isTrue();
        System.out.printf("producer: %,d offers on a full ring with the consumer stopped mid-poll, all FULL, worst %,d ns%n", OPERATIONS, worst);

        resume.countDown();
        stopped.join();
        assertThat(intactWhenResumed.get()).isEqualTo(1);
        // record 1's space, after the PAD of the 8 bytes before the end: 8 + 1016 + the zeroed word
        assertThat(producer.offer(TYPE, Payloads.source(2), 0, 1008)).isEqualTo(RingResult.OK);
    }

    @Test
    @Timeout(120)
    void theConsumerNeverWaitsForAProducerStoppedBeforeItPublishes() throws Exception {
        final RingProducer producer = RingProducer.attach(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        final CountDownLatch written = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
        final Thread stopped = Thread.ofPlatform().name("stopped-producer").start(() -> {
            for (int i = 0; i < 3; i++) {
                producer.offerDeferred(TYPE, Payloads.source(1), 0, 500);
            }
            written.countDown();
            awaitQuietly(resume); // stopped between the record bytes and the release store
            producer.publish();
        });
        assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();

        final Checker checker = new Checker(new int[] {0, 500}, 0);
        long worst = 0;
        for (int i = 0; i < OPERATIONS; i++) {
            final long start = System.nanoTime();
            final int result = consumer.poll(checker, 8);
            worst = Math.max(worst, System.nanoTime() - start);
            assertThat(result).isZero();
        }
        assertThat(stopped.getState()).isEqualTo(Thread.State.WAITING);
        System.out.printf("consumer: %,d polls of a ring whose producer stopped before publishing, all 0, worst %,d ns%n", OPERATIONS, worst);

        resume.countDown();
        stopped.join();
        assertThat(consumer.poll(checker, 8)).isEqualTo(3);
        assertThat(checker.bad()).isFalse();
    }

    @Test
    @Timeout(120)
    void aPollOfAFullRingEndsAfterCapacityOverEightRecords() {
        // The longest possible poll of a ring: full of empty records, capacity / 8 of them but
        // the zeroed word.
        final RingProducer producer = RingProducer.attach(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        int offered = 0;
        while (producer.offer(TYPE, Payloads.source(1), 0, 0) == RingResult.OK) {
            offered++;
        }
        assertThat(offered).isEqualTo((int) (consumer.capacity() / RecordDescriptor.ALIGNMENT) - 1);
        final AtomicInteger steps = new AtomicInteger();
        assertThat(consumer.poll((type, buffer, offset, length) -> steps.incrementAndGet(), Integer.MAX_VALUE)).isEqualTo(offered);
        assertThat(steps.get()).isEqualTo(offered);
        assertThat(consumer.poll((type, buffer, offset, length) -> steps.incrementAndGet(), Integer.MAX_VALUE)).isZero();
    }

    private static void awaitQuietly(final CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
