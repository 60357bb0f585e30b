package doms.ring;

import doms.poll.IdleStrategies;
import doms.poll.IdleStrategy;
import doms.shm.SharedFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * A separate JVM on one end of a ring file, for {@link RingCrossProcessTest}.
 *
 * <p>Record {@code seq} has a length from 1 B to 9 KiB and contents both sides derive from
 * {@code seq} alone: its first 8 bytes are {@code seq} (when it is that long), the rest a slice
 * of a fixed random pattern, and its last 4 bytes (when it is at least 12 long) a checksum of
 * the bytes before them. The consumer regenerates each expected record and compares.
 *
 * <p>Usage: {@code produce FILE COUNT} or {@code consume FILE COUNT}; the consumer prints
 * {@code received=… lost=… duplicated=… reordered=… corrupted=…} once it sees the end marker.
 */
public final class TrafficWorker {
    static final int MAX_LENGTH = 9 * 1024;
    static final int TYPE_DATA = RecordDescriptor.TYPE_FIRST_USER;
    /** Sent after the last record, so that a lost record shows up as a count, not a hang. */
    static final int TYPE_END = RecordDescriptor.TYPE_FIRST_USER + 1;
    private static final MemorySegment PATTERN = pattern();

    private TrafficWorker() {
    }

    public static void main(final String[] args) throws Exception {
        final Path file = Path.of(args[1]);
        final long count = Long.parseLong(args[2]);
        try (SharedFile shared = SharedFile.open(file)) {
            if (args[0].equals("produce")) {
                produce(shared.segment(), count);
            } else {
                consume(shared.segment(), count);
            }
        }
    }

    static int length(final long seq) {
        return 1 + (int) Long.remainderUnsigned(mix(seq), MAX_LENGTH);
    }

    /** Writes record {@code seq} into {@code dst} and returns its length. */
    static int fill(final long seq, final MemorySegment dst) {
        final int length = length(seq);
        final long from = Long.remainderUnsigned(mix(~seq), PATTERN.byteSize() - MAX_LENGTH);
        MemorySegment.copy(PATTERN, from, dst, 0, length);
        for (int i = 0; i < Math.min(8, length); i++) {
            dst.set(ValueLayout.JAVA_BYTE, i, (byte) (seq >>> (8 * i)));
        }
        if (length >= 12) {
            dst.set(ValueLayout.JAVA_INT_UNALIGNED, length - 4, checksum(dst, length - 4));
        }
        return length;
    }

    private static int checksum(final MemorySegment bytes, final int length) {
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes.asSlice(0, length).asByteBuffer());
        return (int) crc.getValue();
    }

    private static void produce(final MemorySegment ring, final long count) {
        final RingProducer producer = RingProducer.attach(ring);
        final IdleStrategy idle = IdleStrategies.adaptive(100);
        final MemorySegment record = Arena.ofAuto().allocate(MAX_LENGTH, 8);
        for (long seq = 0; seq < count; seq++) {
            final int length = fill(seq, record);
            int result;
            while ((result = producer.offer(TYPE_DATA, record, 0, length)) == RingResult.FULL) {
                idle.idle(0);
            }
            if (result != RingResult.OK) {
                throw new IllegalStateException("offer failed: " + RingResult.describe(result));
            }
            idle.reset();
        }
        while (producer.offer(TYPE_END, MemorySegment.NULL, 0, 0) == RingResult.FULL) {
            idle.idle(0);
        }
    }

    private static void consume(final MemorySegment ring, final long count) {
        final RingConsumer consumer = RingConsumer.attach(ring);
        final IdleStrategy idle = IdleStrategies.adaptive(100);
        final MemorySegment expected = Arena.ofAuto().allocate(MAX_LENGTH, 8);
        final BitSet seen = new BitSet();
        final long[] figures = new long[6]; // received, duplicated, reordered, corrupted, next, highest
        figures[5] = -1;
        final boolean[] end = new boolean[1];
        final RecordHandler check = (type, buffer, offset, length) -> {
            if (type == TYPE_END) {
                end[0] = true;
                return;
            }
            figures[0]++;
            final long next = figures[4];
            // Which record is this? Its first 8 bytes say so when it has them.
            final long seq = length >= 8 ? buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset) : next;
            final boolean plausible = seq >= 0 && seq < count;
            if (!plausible || length != length(seq)) {
                figures[3]++;
                figures[4] = next + 1;
                return;
            }
            fill(seq, expected);
            if (type != TYPE_DATA || MemorySegment.mismatch(buffer, offset, offset + length, expected, 0, length) != -1
                    || (length >= 12 && buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset + length - 4)
                            != checksum(buffer.asSlice(offset), length - 4))) {
                figures[3]++;
            } else if (seen.get((int) seq)) {
                figures[1]++;
            } else if (seq < figures[5]) {
                figures[2]++;
            }
            seen.set((int) seq);
            figures[5] = Math.max(figures[5], seq);
            figures[4] = seq + 1;
        };
        while (!end[0]) {
            final int n = consumer.poll(check, 64);
            if (n < 0) {
                throw new IllegalStateException("poll failed: " + RingResult.describe(n));
            }
            idle.idle(n);
        }
        final long lost = count - seen.cardinality();
        System.out.println("received=" + figures[0] + " lost=" + lost + " duplicated=" + figures[1]
                + " reordered=" + figures[2] + " corrupted=" + figures[3]);
    }

    private static long mix(final long z0) {
        long z = z0 + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static MemorySegment pattern() {
        final byte[] bytes = new byte[1 << 20];
        new SplittableRandom(2026).nextBytes(bytes);
        return MemorySegment.ofArray(bytes);
    }
}
