package doms.fuzz.campaign;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * AFL-style havoc on raw bytes: a child is its parent after a stack of 1 to 16 random edits
 * (bit flips, interesting values, small arithmetic on 8, 16, 32 and 64-bit words of either byte
 * order, block copies, insertions, deletions, appended bytes) or a splice with another corpus
 * entry. Edits prefer the first 64 bytes a quarter of the time: every target reads its
 * positions, lengths and headers first.
 */
final class Mutator {
    private static final long[] INTERESTING = {0, 1, -1, 2, 7, 8, 15, 16, 32, 64, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF,
        0x1000, 0xFFF, 0x1001, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, Long.MAX_VALUE, Long.MIN_VALUE};

    private final SplittableRandom random;
    private final int maxLength;

    Mutator(final SplittableRandom random, final int maxLength) {
        this.random = random;
        this.maxLength = maxLength;
    }

    byte[] mutate(final byte[] parent, final byte[] other) {
        byte[] b = parent.length == 0 ? new byte[1 + random.nextInt(64)] : parent.clone();
        if (other != null && other.length > 1 && b.length > 1 && random.nextInt(10) == 0) {
            b = splice(b, other);
        }
        final int edits = 1 << random.nextInt(5);
        for (int e = 0; e < edits; e++) {
            b = edit(b);
        }
        return b.length > maxLength ? Arrays.copyOf(b, maxLength) : b;
    }

    private int position(final byte[] b) {
        final int bound = b.length > 64 && random.nextInt(4) == 0 ? 64 : b.length;
        return random.nextInt(bound);
    }

    private byte[] edit(final byte[] b) {
        if (b.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        switch (random.nextInt(12)) {
            case 0 -> b[position(b)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> b[position(b)] = (byte) random.nextInt(256);
            case 2 -> b[position(b)] += (byte) (random.nextInt(1, 36) * (random.nextBoolean() ? 1 : -1));
            case 3, 4 -> word(b, INTERESTING[random.nextInt(INTERESTING.length)], false);
            case 5 -> word(b, random.nextInt(1, 36) * (random.nextBoolean() ? 1L : -1L), true);
            case 6 -> {
                final int len = 1 + random.nextInt(Math.min(b.length, 64));
                System.arraycopy(b, random.nextInt(b.length - len + 1), b, random.nextInt(b.length - len + 1), len);
            }
            case 7 -> {
                final int at = position(b);
                final int len = Math.min(1 + random.nextInt(Math.min(b.length, 64)), b.length - at);
                Arrays.fill(b, at, at + len, random.nextBoolean() ? 0 : (byte) random.nextInt(256));
            }
            case 8 -> {
                return insert(b);
            }
            case 9 -> {
                return delete(b);
            }
            case 10 -> {
                return append(b);
            }
            default -> {
                final int at = random.nextInt(b.length);
                final int len = Math.min(1 + random.nextInt(16), b.length - at);
                for (int i = at; i < at + len; i++) {
                    b[i] = (byte) random.nextInt(256);
                }
            }
        }
        return b;
    }

    /** Writes {@code value} (or adds it, when {@code add}) as a 1, 2, 4 or 8-byte word in either byte order. */
    private void word(final byte[] b, final long value, final boolean add) {
        final int width = Math.min(1 << random.nextInt(4), b.length);
        final int at = Math.min(position(b), b.length - width);
        final boolean big = random.nextBoolean();
        long old = 0;
        for (int i = 0; i < width; i++) {
            old |= (b[at + (big ? i : width - 1 - i)] & 0xFFL) << (8 * (width - 1 - i));
        }
        final long v = add ? old + value : value;
        for (int i = 0; i < width; i++) {
            b[at + (big ? i : width - 1 - i)] = (byte) (v >>> (8 * (width - 1 - i)));
        }
    }

    private byte[] insert(final byte[] b) {
        if (b.length >= maxLength) {
            return b;
        }
        final int len = Math.min(1 + random.nextInt(random.nextBoolean() ? 8 : 256), maxLength - b.length);
        final int at = random.nextInt(b.length + 1);
        final byte[] c = new byte[b.length + len];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, at, c, at + len, b.length - at);
        if (random.nextBoolean() && b.length >= len) {
            System.arraycopy(b, random.nextInt(b.length - len + 1), c, at, len);
        } else {
            final byte fill = random.nextBoolean() ? 0 : (byte) random.nextInt(256);
            Arrays.fill(c, at, at + len, fill);
        }
        return c;
    }

    private byte[] delete(final byte[] b) {
        if (b.length < 2) {
            return b;
        }
        final int len = 1 + random.nextInt(Math.min(b.length - 1, random.nextBoolean() ? 8 : 256));
        final int at = random.nextInt(b.length - len + 1);
        final byte[] c = new byte[b.length - len];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, at + len, c, at, b.length - at - len);
        return c;
    }

    /** More bytes at the end: a target stops reading at the end of its input, so growth must be explicit. */
    private byte[] append(final byte[] b) {
        final int len = Math.min(1 + random.nextInt(random.nextBoolean() ? 16 : 1024), maxLength - b.length);
        if (len <= 0) {
            return b;
        }
        final byte[] c = Arrays.copyOf(b, b.length + len);
        if (random.nextBoolean()) {
            for (int i = b.length; i < c.length; i++) {
                c[i] = (byte) random.nextInt(256);
            }
        }
        return c;
    }

    /** The head of {@code b} up to a random cut, then the rest of {@code other}. */
    private byte[] splice(final byte[] b, final byte[] other) {
        final int cut = 1 + random.nextInt(Math.min(b.length, other.length) - 1);
        final byte[] c = other.clone();
        System.arraycopy(b, 0, c, 0, cut);
        return c;
    }
}
