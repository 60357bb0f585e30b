package doms.stress;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Recognisable payloads. Record number {@code seed} (1, 2, ...) carries type
 * {@code TYPE_FIRST_USER + seed} and the bytes {@link #at(int, int)}: every byte is 1..127, so
 * it differs from {@link RingPool#POISON}, from zeroed memory, and (at most offsets) from the
 * bytes of any other seed. Sources are immutable arrays built once per JVM, so actors copy from
 * them without allocating.
 */
public final class Payloads {
    public static final int MAX_SEED = 63;
    public static final int MAX_LENGTH = (int) RingPool.CAPACITY - 8;

    private static final MemorySegment[] SOURCES = new MemorySegment[MAX_SEED + 1];

    static {
        for (int seed = 0; seed <= MAX_SEED; seed++) {
            final byte[] bytes = new byte[MAX_LENGTH];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = at(seed, i);
            }
            SOURCES[seed] = MemorySegment.ofArray(bytes);
        }
    }

    private Payloads() {
    }

    /** Byte {@code i} of the payload of record {@code seed}. */
    public static byte at(final int seed, final int i) {
        return (byte) (1 + Math.floorMod(seed * 37 + i * 11, 127));
    }

    /** A read-only view whose first {@code length} bytes are the payload of record {@code seed}. */
    public static MemorySegment source(final int seed) {
        return SOURCES[seed];
    }

    /** True when {@code length} bytes at {@code offset} are exactly the payload of {@code seed}. */
    public static boolean matches(final MemorySegment buffer, final long offset, final int length, final int seed) {
        if (seed < 0 || seed > MAX_SEED || length < 0 || length > MAX_LENGTH) {
            return false;
        }
        return MemorySegment.mismatch(buffer, offset, offset + length, SOURCES[seed], 0, length) == -1;
    }

    /**
     * Word-by-word comparison, deliberately not vectorised: used in place (zero copy) on the
     * ring to keep the consumer inside the record for a while, so that a producer overwriting
     * it early would be caught in the act.
     */
    public static boolean matchesSlowly(final MemorySegment buffer, final long offset, final int length, final int seed) {
        if (seed < 0 || seed > MAX_SEED || length < 0 || length > MAX_LENGTH) {
            return false;
        }
        final MemorySegment expected = SOURCES[seed];
        boolean same = true;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            same &= buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + i) == expected.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
        }
        for (; i < length; i++) {
            same &= buffer.get(ValueLayout.JAVA_BYTE, offset + i) == expected.get(ValueLayout.JAVA_BYTE, i);
        }
        return same;
    }
}
