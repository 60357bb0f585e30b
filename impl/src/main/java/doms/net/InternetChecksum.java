package doms.net;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of the
 * data as big-endian 16-bit words, an odd last byte padded with a zero. Summing 32-bit words
 * into a long and folding at the end gives the same sum (2^16 = 1 modulo 2^16 - 1) with half
 * the reads; a long cannot overflow for any frame (2^32 words would be 16 GiB).
 */
public final class InternetChecksum {
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private InternetChecksum() {
    }

    /** The unfolded sum of {@code length} bytes at {@code at}, to add to other sums and then {@link #fold}. */
    public static long sum(final MemorySegment data, final long at, final int length) {
        long sum = 0;
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            sum += Integer.toUnsignedLong(data.get(BE_INT, at + i));
        }
        if (i + 2 <= length) {
            sum += Short.toUnsignedInt(data.get(BE_SHORT, at + i));
            i += 2;
        }
        if (i < length) {
            sum += Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, at + i)) << 8;
        }
        return sum;
    }

    /** Folds a sum to 16 bits, end-around carry included. */
    public static int fold(final long sum) {
        long s = sum;
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    /** The checksum to store: the complement of the folded sum. */
    public static int checksum(final long sum) {
        return ~fold(sum) & 0xFFFF;
    }
}
