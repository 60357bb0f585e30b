package doms.stress;

import doms.ring.RecordDescriptor;
import doms.ring.RingConsumer;
import doms.ring.RingProducer;
import doms.ring.RingResult;
import java.lang.foreign.MemorySegment;

/**
 * Base of every jcstress state: a fresh pooled ring on mapped shared memory with the project's
 * own {@link RingProducer} and {@link RingConsumer} attached to it, and helpers to offer and
 * check numbered records. The constructor runs before the actors (jcstress publishes the state
 * to both actor threads safely), so it may prepare the ring single-threaded: pre-fill it,
 * consume some of it, leave caches stale. Subclasses must call {@link #release()} at the end of
 * their {@code @Arbiter}.
 */
public abstract class RingFixture {
    public static final long CAPACITY = RingPool.CAPACITY;
    /** A position base a few laps in, so positions are not small numbers and index = position - base. */
    public static final long LAP = 5 * CAPACITY;

    protected final MemorySegment ring;
    protected final RingProducer producer;
    protected final RingConsumer consumer;
    protected final Checker checker;
    private final int[] lengths;

    /**
     * @param start         both positions; {@code start - LAP} is the data index the first record goes to
     * @param lengths       payload length of each record by seed (index 0 unused)
     * @param inPlacePasses 0: the consumer checks each payload once, fast; n: n slow passes in place
     */
    protected RingFixture(final long start, final int[] lengths, final int inPlacePasses) {
        int max = 0;
        for (final int length : lengths) {
            max = Math.max(max, length);
        }
        this.lengths = lengths;
        this.ring = RingPool.acquire(max, start);
        this.producer = RingProducer.attach(ring);
        this.consumer = RingConsumer.attach(ring);
        this.checker = new Checker(lengths, inPlacePasses);
    }

    /** Writes and publishes record {@code seed}. */
    protected final int offer(final int seed) {
        return producer.offer(RecordDescriptor.TYPE_FIRST_USER + seed, Payloads.source(seed), 0, lengths[seed]);
    }

    /** Writes record {@code seed} without publishing it. */
    protected final int offerDeferred(final int seed) {
        return producer.offerDeferred(RecordDescriptor.TYPE_FIRST_USER + seed, Payloads.source(seed), 0, lengths[seed]);
    }

    /** Offers record {@code seed} up to {@code tries} times while the ring is full; returns the last result. */
    protected final int offerRetrying(final int seed, final int tries) {
        int result = RingResult.FULL;
        for (int i = 0; i < tries && result == RingResult.FULL; i++) {
            result = offer(seed);
        }
        return result;
    }

    /** Constructor use only: offers records that must fit. */
    protected final void prefill(final int... seeds) {
        for (final int seed : seeds) {
            final int result = offer(seed);
            if (result != RingResult.OK) {
                throw new IllegalStateException("prefill of record " + seed + ": " + RingResult.describe(result));
            }
        }
    }

    /** One poll through the checker. */
    protected final int poll(final int limit) {
        return consumer.poll(checker, limit);
    }

    /**
     * Arbiter use: polls until the ring is empty. Returns 0, or the corruption result that
     * stopped it. Empty is a poll that delivered nothing and did not move the position: a poll
     * that consumed only the padding before the wrap also returns 0, with records behind it.
     */
    protected final int drain() {
        for (int i = 0; i < 1024; i++) {
            final long before = consumer.position();
            final int n = consumer.poll(checker, Integer.MAX_VALUE);
            if (n < 0 || n == 0 && consumer.position() == before) {
                return n;
            }
        }
        return RingResult.CORRUPT_RECORD; // a one-page ring cannot hold 1024 polls' worth
    }

    /**
     * Arbiter use, after {@link #drain()}: true when the consumer got exactly the records
     * {@code 1 .. last} in order and intact, and both sides agree on where the stream ends.
     */
    protected final boolean streamIntact(final int last) {
        return faults(last, 0) == 0;
    }

    /** Fault bits of {@link #faults}: what a forbidden outcome saw, so a report says which rule broke. */
    public static final int FAULT_BYTES = 1;        // a record with the wrong type, length or payload
    public static final int FAULT_ORDER = 2;        // records missing, duplicated or out of order
    public static final int FAULT_CONSUMER = 4;     // the consumer stopped on a corruption result
    public static final int FAULT_PRODUCER = 8;     // the producer stopped on a corruption result
    public static final int FAULT_POSITIONS = 16;   // the two ends disagree on where the stream ends
    public static final int FAULT_DRAIN = 32;       // the arbiter's drain did not end on an empty ring

    /**
     * Arbiter use, after {@link #drain()} returned {@code drained}: 0 when the consumer got
     * exactly the records {@code 1 .. last} in order and intact and both sides agree on where
     * the stream ends, else the FAULT_* bits of every rule that broke.
     */
    protected final int faults(final int last, final int drained) {
        int faults = 0;
        if (checker.bad()) {
            faults |= FAULT_BYTES;
        }
        if (!checker.inOrder(1, last)) {
            faults |= FAULT_ORDER;
        }
        if (consumer.failure() != 0) {
            faults |= FAULT_CONSUMER;
        }
        if (producer.failure() != 0) {
            faults |= FAULT_PRODUCER;
        }
        if (consumer.position() != producer.position()) {
            faults |= FAULT_POSITIONS;
        }
        if (drained != 0) {
            faults |= FAULT_DRAIN;
        }
        return faults;
    }

    /** Gives the ring back to the pool: the last thing an arbiter does. */
    protected final void release() {
        RingPool.release(ring);
    }

    /** Payload lengths table helper: {@code lengths(a, b, c)} gives seeds 1, 2, 3 those lengths. */
    protected static int[] lengths(final int... bySeed) {
        final int[] table = new int[bySeed.length + 1];
        System.arraycopy(bySeed, 0, table, 1, bySeed.length);
        return table;
    }
}
