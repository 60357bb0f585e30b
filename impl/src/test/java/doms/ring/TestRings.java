package doms.ring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for ring unit tests: rings in private memory and record collectors. */
final class TestRings {
    private TestRings() {
    }

    static MemorySegment ring(final int pages) {
        return ring(pages, RingDescriptor.largestPayload(pages));
    }

    static MemorySegment ring(final int pages, final int maxPayload) {
        final MemorySegment region = Arena.ofAuto().allocate(RingDescriptor.regionLength(pages), RingDescriptor.PAGE_SIZE);
        RingDescriptor.initialise(region, pages, maxPayload);
        return region;
    }

    static byte[] payload(final int length, final int seed) {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i * 7);
        }
        return bytes;
    }

    /** A handler that keeps copies of what it was given. */
    static final class Collector implements RecordHandler {
        final List<byte[]> payloads = new ArrayList<>();
        final List<Integer> types = new ArrayList<>();

        @Override
        public void onRecord(final int type, final MemorySegment buffer, final long offset, final int length) {
            types.add(type);
            payloads.add(buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    static void setProducerPosition(final MemorySegment ring, final long value) {
        ring.set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, value);
    }

    static void setConsumerPosition(final MemorySegment ring, final long value) {
        ring.set(ValueLayout.JAVA_LONG, RingDescriptor.CONSUMER_POSITION_OFFSET, value);
    }

    static long producerPosition(final MemorySegment ring) {
        return ring.get(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET);
    }

    static long consumerPosition(final MemorySegment ring) {
        return ring.get(ValueLayout.JAVA_LONG, RingDescriptor.CONSUMER_POSITION_OFFSET);
    }

    /** Writes a record header straight into the data area, as a hostile producer could. */
    static void forgeHeader(final MemorySegment ring, final long index, final int length, final int type) {
        ring.set(ValueLayout.JAVA_INT, RingDescriptor.DATA_OFFSET + index + RecordDescriptor.LENGTH_OFFSET, length);
        ring.set(ValueLayout.JAVA_INT, RingDescriptor.DATA_OFFSET + index + RecordDescriptor.TYPE_OFFSET, type);
    }
}
