package doms.ring;

import static doms.ring.RingDescriptor.DATA_OFFSET;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * Ring ends with a bug injected, in test code only (production code never reaches them), run
 * with {@code -Ddoms.trace=DIR} by doms.trace.RingTraceTest. Each writes traces labelled
 * {@code injected-BUG-K} that the trace check must reject at the action
 * doms.trace.TraceCheck#EXPECTED names. Each is a hand-written end that writes no signalled
 * headers (so only the position path of the ring is involved) with one bug:
 *
 * <ul>
 *   <li>{@code publishBeforeWrite}: the producer stores its new tail (release) before it writes
 *       the record (a reordered publish); the real consumer polls in the same thread, so the
 *       run itself never tears a record: only the order of the actions gives it away;</li>
 *   <li>{@code noSpanCheck}: the consumer takes the producer position without checking
 *       that it is at most one capacity ahead (alignment only), facing a producer that turns
 *       hostile and publishes a position beyond one ring.</li>
 * </ul>
 */
public final class InjectedRingBugs {
    static final int PAGES = 1;
    static final int MAX_PAYLOAD = 1024;

    private InjectedRingBugs() {
    }

    public static void main(final String[] args) {
        final int runs = Integer.parseInt(args[1]);
        for (int run = 0; run < runs; run++) {
            try (Arena arena = Arena.ofConfined()) {
                final MemorySegment ring = arena.allocate(RingDescriptor.regionLength(PAGES), 4096);
                RingDescriptor.initialise(ring, PAGES, MAX_PAYLOAD);
                RingTrace.label("injected-" + args[0] + "-" + run);
                switch (args[0]) {
                    case "publishBeforeWrite" -> publishBeforeWrite(ring, run);
                    case "noSpanCheck" -> noSpanCheck(ring, run);
                    default -> throw new IllegalArgumentException(args[0]);
                }
            }
        }
        RingTrace.flushAll();
    }

    private static void publishBeforeWrite(final MemorySegment ring, final int run) {
        final PublishBeforeWriteProducer producer = new PublishBeforeWriteProducer(ring);
        final RingConsumer consumer = RingConsumer.attach(ring);
        final SplittableRandom r = new SplittableRandom(run);
        for (int i = 0; i < 200; i++) {
            final int length = 1 + r.nextInt(300);
            while (producer.offer(RecordDescriptor.TYPE_FIRST_USER, length) == RingResult.FULL) {
                consumer.poll((type, buffer, offset, len) -> { }, 2);
            }
            consumer.poll((type, buffer, offset, len) -> { }, 2);
        }
    }

    /** RingProducer#offer with the release store of the tail moved before the record's stores. */
    static final class PublishBeforeWriteProducer {
        private final MemorySegment ring;
        private final long capacity;
        private final RingTrace trace;
        private long tail;
        private long headCache;

        PublishBeforeWriteProducer(final MemorySegment ring) {
            this.ring = ring;
            this.capacity = RingDescriptor.capacity(PAGES);
            this.trace = RingTrace.open("producer", capacity, MAX_PAYLOAD, 0, 0); // a new ring: both positions 0
        }

        int offer(final int type, final int length) {
            final long required = RecordDescriptor.alignedLength(length);
            final long index = tail & (capacity - 1);
            final long contiguous = capacity - index;
            final long advance = required > contiguous ? contiguous + required : required;
            final long need = advance + RecordDescriptor.HEADER_LENGTH; // and the zeroed word after it, as RingProducer
            if (tail + need - headCache > capacity) {
                final long head = RingDescriptor.lvConsumerPosition(ring);
                if (head != headCache) {
                    trace.producerRefresh(head, true);
                }
                headCache = head;
                if (tail + need - headCache > capacity) {
                    if (required > contiguous && tail + contiguous + RecordDescriptor.HEADER_LENGTH - headCache <= capacity) {
                        // the PAD alone, published first (the bug) and written after
                        RingDescriptor.soProducerPosition(ring, tail + contiguous);
                        trace.producerPublish(tail + contiguous);
                        ring.set(ValueLayout.JAVA_LONG, DATA_OFFSET, 0L);
                        header(index, (int) (contiguous - 8), RecordDescriptor.TYPE_PAD);
                        trace.producerWrite("pad", tail, required, length, type, false, tail + contiguous);
                        tail += contiguous;
                    }
                    return RingResult.FULL;
                }
            }
            final long from = tail;
            final long newTail = tail + advance;
            RingDescriptor.soProducerPosition(ring, newTail); // BUG: published before the stores below
            trace.producerPublish(newTail);
            long at = index;
            if (required > contiguous) {
                header(index, (int) (contiguous - 8), RecordDescriptor.TYPE_PAD);
                at = 0;
            }
            ring.set(ValueLayout.JAVA_LONG, DATA_OFFSET + ((at + required) & (capacity - 1)), 0L);
            header(at, length, type); // unsignalled: published by the (early) position alone
            trace.producerWrite(required > contiguous ? "padrec" : "rec", from, required, length, type, false, newTail);
            tail = newTail;
            return RingResult.OK;
        }

        private void header(final long index, final int length, final int type) {
            ring.set(ValueLayout.JAVA_INT, DATA_OFFSET + index + RecordDescriptor.LENGTH_OFFSET, length);
            ring.set(ValueLayout.JAVA_INT, DATA_OFFSET + index + RecordDescriptor.TYPE_OFFSET, type);
        }
    }

    private static void noSpanCheck(final MemorySegment ring, final int run) {
        final NoSpanCheckConsumer consumer = new NoSpanCheckConsumer(ring);
        final SplittableRandom r = new SplittableRandom(run);
        final long capacity = RingDescriptor.capacity(PAGES);
        long tail = 0;
        final int honest = 10 + r.nextInt(50);
        for (int i = 0; i < honest; i++) {
            // an honest producer by hand: one small record per round, no wrap needed before the attack
            final int length = 1 + r.nextInt(40);
            final long size = RecordDescriptor.alignedLength(length);
            final long index = tail & (capacity - 1);
            if (size > capacity - index) {
                ring.set(ValueLayout.JAVA_INT, DATA_OFFSET + index + RecordDescriptor.LENGTH_OFFSET, (int) (capacity - index - 8));
                ring.set(ValueLayout.JAVA_INT, DATA_OFFSET + index + RecordDescriptor.TYPE_OFFSET, RecordDescriptor.TYPE_PAD);
                tail += capacity - index;
            }
            final long at = tail & (capacity - 1);
            ring.set(ValueLayout.JAVA_INT, DATA_OFFSET + at + RecordDescriptor.LENGTH_OFFSET, length);
            ring.set(ValueLayout.JAVA_INT, DATA_OFFSET + at + RecordDescriptor.TYPE_OFFSET, RecordDescriptor.TYPE_FIRST_USER);
            tail += size;
            RingDescriptor.soProducerPosition(ring, tail);
            consumer.poll(4);
        }
        // hostile: a position more than one ring ahead
        RingDescriptor.soProducerPosition(ring, consumer.head + capacity + 8L * (1 + r.nextInt(100)));
        consumer.poll(4);
    }

    /** RingConsumer#poll with the span check of the producer position left out (alignment kept). */
    static final class NoSpanCheckConsumer {
        private final MemorySegment ring;
        private final long capacity;
        private final RingTrace trace;
        long head;
        private long tailCache;
        private boolean failed;

        NoSpanCheckConsumer(final MemorySegment ring) {
            this.ring = ring;
            this.capacity = RingDescriptor.capacity(PAGES);
            this.trace = RingTrace.open("consumer", capacity, MAX_PAYLOAD, 0, 0);
        }

        void poll(final int limit) {
            if (failed) {
                return;
            }
            if (head == tailCache) {
                final long tail = RingDescriptor.lvProducerPosition(ring);
                final long peek = ring.get(ValueLayout.JAVA_LONG, DATA_OFFSET + (head & (capacity - 1)));
                if ((tail & 7) != 0) { // BUG: no 0 <= tail - head <= capacity
                    trace.pollBegin(head, true, tail, false, limit, peek);
                    failed = true;
                    return;
                }
                tailCache = tail;
                if (head == tail) {
                    return;
                }
                trace.pollBegin(head, true, tail, true, limit, peek);
            } else {
                trace.pollBegin(head, false, tailCache, true, limit, 0);
            }
            int count = 0;
            final long start = head;
            while (count < limit && head != tailCache) {
                final long index = head & (capacity - 1);
                final long contiguous = capacity - index;
                final long available = tailCache - head;
                final long header = ring.get(ValueLayout.JAVA_LONG, DATA_OFFSET + index);
                final int length = RecordDescriptor.length(header);
                final int type = RecordDescriptor.type(header);
                final long size = type == RecordDescriptor.TYPE_PAD ? contiguous : RecordDescriptor.alignedLength(length);
                final boolean ok = type == RecordDescriptor.TYPE_PAD
                        ? length == contiguous - 8 && contiguous <= available
                        : type >= RecordDescriptor.TYPE_FIRST_USER && length >= 0 && length <= MAX_PAYLOAD && size <= contiguous && size <= available;
                trace.consumerRead(head, header, ok, ok ? head + size : head);
                if (!ok) {
                    failed = true;
                    break;
                }
                head += size;
                if (type != RecordDescriptor.TYPE_PAD) {
                    count++;
                }
            }
            if (head != start) {
                if (failed) {
                    trace.quarantinedRelease(head);
                } else {
                    trace.pollEnd(head);
                }
                RingDescriptor.soConsumerPosition(ring, head);
            }
        }
    }
}
