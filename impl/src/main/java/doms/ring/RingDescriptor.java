package doms.ring;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Byte layout of one single-producer/single-consumer ring in shared memory.
 *
 * <pre>
 *   0                   8         12        16                  24        28        32
 *   +-------------------+---------+---------+-------------------+---------+---------+-- ... --+
 *   | magic "DOMSRNG1"  | version | pages   | capacity (bytes)  | maxPay. | reserved|  zero   |  line 0: header
 *   +-------------------+---------+---------+-------------------+---------+---------+-- ... --+  (written once at init)
 * 128 | producer position (u64, written only by the producer)                     |  zero   |  line 1
 *     +-------------------------------------------------------------------------------------- +
 * 256 | consumer position (u64, written only by the consumer)                     |  zero   |  line 2
 *     +-------------------------------------------------------------------------------------- +
 * 384 | reserved, zero, up to the end of the first 4 KiB page                                   |
 *4096 +-------------------------------------------------------------------------------------- +
 *     | data area: pages x 4096 bytes, records (see RecordDescriptor), index = position &amp; (capacity-1) |
 *     +-------------------------------------------------------------------------------------- +
 * </pre>
 *
 * <p>All integers are in the machine's native byte order (both ends run on one machine;
 * little-endian on x86-64, where the magic reads as "DOMSRNG1"). Each
 * position is a free-running 64-bit byte count that only grows; it sits alone on a 128-byte
 * line so that the two writers never share a cache line (nor an adjacent-line prefetch pair).
 * The header is written once by whoever creates the ring and is never trusted afterwards:
 * each side copies capacity and maximum payload into private fields when it attaches.
 */
public final class RingDescriptor {
    public static final long MAGIC = 0x31474E52534D4F44L; // the bytes "DOMSRNG1" as a native u64 on a little-endian machine
    public static final int VERSION = 2; // 2: signalled headers and the reserved header word (ring-layout.md)
    public static final int PAGE_SIZE = 4096;
    public static final int MIN_PAGES = 1;
    public static final int MAX_PAGES = 65536;
    public static final int LINE = 128;

    public static final long MAGIC_OFFSET = 0;
    public static final long VERSION_OFFSET = 8;
    public static final long PAGES_OFFSET = 12;
    public static final long CAPACITY_OFFSET = 16;
    public static final long MAX_PAYLOAD_OFFSET = 24;
    public static final long PRODUCER_POSITION_OFFSET = LINE;
    public static final long CONSUMER_POSITION_OFFSET = 2L * LINE;
    public static final long DATA_OFFSET = PAGE_SIZE;

    /** The two position words. Only the accessors below use it; their prefixes say the mode (access-modes.md). */
    private static final VarHandle POSITION = ValueLayout.JAVA_LONG.varHandle();
    /** A record header in the data area, where it is a release or an acquire (signalled records). */
    private static final VarHandle HEADER = ValueLayout.JAVA_LONG.varHandle();

    private RingDescriptor() {
    }

    /** Capacity in bytes of the data area for a number of pages, after checking the page count. */
    public static long capacity(final int pages) {
        if (pages < MIN_PAGES || pages > MAX_PAGES || Integer.bitCount(pages) != 1) {
            throw new IllegalArgumentException("pages must be a power of two from 1 to 65536, got " + pages);
        }
        return (long) pages * PAGE_SIZE;
    }

    /** Bytes one ring occupies: the header page plus the data area. */
    public static long regionLength(final int pages) {
        return DATA_OFFSET + capacity(pages);
    }

    /**
     * The largest payload a ring of this many pages accepts: a record may fill the whole data
     * area but the one header word the producer keeps zeroed after the last record.
     */
    public static int largestPayload(final int pages) {
        return (int) Math.min(Integer.MAX_VALUE - 8, capacity(pages) - 2 * RecordDescriptor.HEADER_LENGTH);
    }

    /**
     * Writes a fresh header and zero positions into a zeroed region: the data area must read as
     * zeros (a signalled header left at the start would be taken as a record). Done by the creator of the
     * ring before any producer or consumer attaches, so plain stores suffice (the mapping is
     * handed to the other processes afterwards by starting them).
     */
    public static void initialise(final MemorySegment region, final int pages, final int maxPayload) {
        final long capacity = capacity(pages);
        if (region.byteSize() < DATA_OFFSET + capacity) {
            throw new IllegalArgumentException("region of " + region.byteSize() + " bytes is too small for " + pages + " pages");
        }
        if (maxPayload < 0 || maxPayload > largestPayload(pages)) {
            throw new IllegalArgumentException("max payload must be 0.." + largestPayload(pages) + ", got " + maxPayload);
        }
        region.asSlice(0, DATA_OFFSET).fill((byte) 0);
        region.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
        region.set(ValueLayout.JAVA_INT, VERSION_OFFSET, VERSION);
        region.set(ValueLayout.JAVA_INT, PAGES_OFFSET, pages);
        region.set(ValueLayout.JAVA_LONG, CAPACITY_OFFSET, capacity);
        region.set(ValueLayout.JAVA_INT, MAX_PAYLOAD_OFFSET, maxPayload);
    }

    /** A ring's geometry as read once from its header: what each side keeps privately after attaching. */
    public record Geometry(int pages, long capacity, int maxPayload) {
    }

    /**
     * Reads each header field exactly once and checks it; returns the geometry or throws
     * {@link RingFormatException} with a one-line reason. The caller uses only the returned copy:
     * a peer rewriting the header afterwards changes nothing.
     */
    public static Geometry geometry(final MemorySegment region) {
        if (region.byteSize() < DATA_OFFSET + PAGE_SIZE) {
            throw new RingFormatException("region of " + region.byteSize() + " bytes is smaller than one ring");
        }
        final long magic = region.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET);
        final int version = region.get(ValueLayout.JAVA_INT, VERSION_OFFSET);
        final int pages = region.get(ValueLayout.JAVA_INT, PAGES_OFFSET);
        final long capacity = region.get(ValueLayout.JAVA_LONG, CAPACITY_OFFSET);
        final int maxPayload = region.get(ValueLayout.JAVA_INT, MAX_PAYLOAD_OFFSET);
        if (magic != MAGIC) {
            throw new RingFormatException("bad magic 0x" + Long.toHexString(magic));
        }
        if (version != VERSION) {
            throw new RingFormatException("unsupported layout version " + version);
        }
        if (pages < MIN_PAGES || pages > MAX_PAGES || Integer.bitCount(pages) != 1) {
            throw new RingFormatException("bad page count " + pages);
        }
        if (capacity != (long) pages * PAGE_SIZE) {
            throw new RingFormatException("capacity " + capacity + " does not match " + pages + " pages");
        }
        if (region.byteSize() < DATA_OFFSET + capacity) {
            throw new RingFormatException("region of " + region.byteSize() + " bytes is too small for " + pages + " pages");
        }
        if (maxPayload < 0 || maxPayload > largestPayload(pages)) {
            throw new RingFormatException("bad max payload " + maxPayload);
        }
        return new Geometry(pages, capacity, maxPayload);
    }

    /**
     * Like {@link #geometry(MemorySegment)}, and the header must describe exactly the geometry
     * the caller configured (the switch knows its pool's geometry and trusts nothing else).
     */
    public static Geometry geometry(final MemorySegment region, final int pages, final int maxPayload) {
        final Geometry g = geometry(region);
        if (g.pages() != pages || g.maxPayload() != maxPayload) {
            throw new RingFormatException("ring is " + g.pages() + " pages / max payload " + g.maxPayload()
                    + ", expected " + pages + " / " + maxPayload);
        }
        return g;
    }

    /** Null when the header is well formed and matches the region, else a one-line reason. Never throws on content. */
    public static String check(final MemorySegment region) {
        try {
            geometry(region);
            return null;
        } catch (RingFormatException e) {
            return e.getMessage();
        }
    }

    /** Null when the header describes exactly this geometry, else a one-line reason. */
    public static String check(final MemorySegment region, final int pages, final int maxPayload) {
        try {
            geometry(region, pages, maxPayload);
            return null;
        } catch (RingFormatException e) {
            return e.getMessage();
        }
    }

    /** Load-acquire of the producer position (access-modes.md rows 2 and 7). */
    static long lvProducerPosition(final MemorySegment ring) {
        return (long) POSITION.getAcquire(ring, PRODUCER_POSITION_OFFSET);
    }

    /** Store-release of the producer position (row 1). */
    static void soProducerPosition(final MemorySegment ring, final long position) {
        POSITION.setRelease(ring, PRODUCER_POSITION_OFFSET, position);
    }

    /** Load-acquire of the consumer position (rows 4 and 7). */
    static long lvConsumerPosition(final MemorySegment ring) {
        return (long) POSITION.getAcquire(ring, CONSUMER_POSITION_OFFSET);
    }

    /** Store-release of a signalled record header at a data-area index (row 17). */
    static void soHeader(final MemorySegment ring, final long index, final long header) {
        HEADER.setRelease(ring, DATA_OFFSET + index, header);
    }

    /** Load-acquire of the record header at a data-area index, beyond the producer position (row 18). */
    static long lvHeader(final MemorySegment ring, final long index) {
        return (long) HEADER.getAcquire(ring, DATA_OFFSET + index);
    }

    /** Store-release of the consumer position (row 3). */
    static void soConsumerPosition(final MemorySegment ring, final long position) {
        POSITION.setRelease(ring, CONSUMER_POSITION_OFFSET, position);
    }
}
