package doms.ring;

/**
 * Layout of one record in a ring's data area.
 *
 * <pre>
 *   0                 4                 8
 *   +-----------------+-----------------+----------------------------------+---------+
 *   | length (i32)    | type (i32)      | payload: length bytes            | pad to 8|
 *   +-----------------+-----------------+----------------------------------+---------+
 * </pre>
 *
 * <p>A record starts at an 8-byte aligned index and occupies {@link #alignedLength(int)} bytes.
 * It never crosses the end of the data area: when the bytes left before the end are fewer than
 * the record needs, the producer fills them with one {@link #TYPE_PAD} record whose length is
 * exactly {@code contiguous - 8}, and the record starts at index 0. Type 0 is what zeroed or
 * scrubbed memory reads as and is never valid.
 * Both ends move the header as one aligned 8-byte word ({@link #header}, {@link #length},
 * {@link #type}): one store and one load instead of two each.
 *
 * <p>Bit 30 of the type word is {@link #SIGNAL}: the record was published by its own header
 * (a release store of the header), so a consumer may take it without loading the producer
 * position. Records without it are published by the producer position alone. User types are
 * {@link #TYPE_FIRST_USER}..{@link #TYPE_LAST_USER}; {@link #type} returns the type without the bit.
 */
public final class RecordDescriptor {
    public static final int HEADER_LENGTH = 8;
    public static final int ALIGNMENT = 8;
    public static final int LENGTH_OFFSET = 0;
    public static final int TYPE_OFFSET = 4;

    /** Zeroed memory: never a valid record. */
    public static final int TYPE_INVALID = 0;
    /** Filler up to the end of the data area. */
    public static final int TYPE_PAD = 1;
    /** The first type available to users of the ring; doms frames use it. */
    public static final int TYPE_FIRST_USER = 2;
    /** The last type available to users: the bits above it are flags. */
    public static final int TYPE_LAST_USER = (1 << 30) - 1;
    /** In the type word: this header's own release store published the record (ring-layout.md). */
    public static final int SIGNAL = 1 << 30;

    static {
        // The one-word header below puts length in the low half, which is offset 0 only on a
        // little-endian machine (x86-64 and aarch64 Linux: the machines doms runs on).
        if (java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("doms rings need a little-endian machine");
        }
    }

    private RecordDescriptor() {
    }

    /** The header as one native u64: one store writes both fields, one load reads both. */
    public static long header(final int length, final int type) {
        return (long) type << 32 | Integer.toUnsignedLong(length);
    }

    /** The length field of a header read as one native u64. */
    public static int length(final long header) {
        return (int) header;
    }

    /** The type field of a header read as one native u64, without the {@link #SIGNAL} bit. */
    public static int type(final long header) {
        return (int) (header >>> 32) & ~SIGNAL;
    }

    /** True when the header carries {@link #SIGNAL}: it published its record itself. */
    public static boolean signalled(final long header) {
        return (header & (long) SIGNAL << 32) != 0;
    }

    /** Bytes a record with this payload occupies in the data area. */
    public static long alignedLength(final int payloadLength) {
        return (HEADER_LENGTH + (long) payloadLength + (ALIGNMENT - 1)) & -ALIGNMENT;
    }
}
