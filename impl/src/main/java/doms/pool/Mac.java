package doms.pool;

/** Ethernet MAC addresses as the low 48 bits of a long, in wire order (first octet most significant). */
public final class Mac {
    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private Mac() {
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff}; throws IllegalArgumentException with a one-line message. */
    public static long parse(final String text) {
        final String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("bad MAC address '" + text + "': expected six hex octets like 02:00:00:00:00:0a");
        }
        long mac = 0;
        for (final String part : parts) {
            if (part.length() != 2 || Character.digit(part.charAt(0), 16) < 0 || Character.digit(part.charAt(1), 16) < 0) {
                throw new IllegalArgumentException("bad MAC address '" + text + "': expected six hex octets like 02:00:00:00:00:0a");
            }
            mac = (mac << 8) | Integer.parseInt(part, 16);
        }
        return mac;
    }

    public static String format(final long mac) {
        final StringBuilder s = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            s.append(Character.forDigit((int) (mac >>> (shift + 4)) & 0xF, 16)).append(Character.forDigit((int) (mac >>> shift) & 0xF, 16));
            if (shift > 0) {
                s.append(':');
            }
        }
        return s.toString();
    }

    /** Group (broadcast or multicast) addresses have the least significant bit of the first octet set. */
    public static boolean isGroup(final long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }
}
