package doms.net;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reading the Ethernet II header of a frame held in the switch's private memory.
 *
 * <pre>
 *   0          6          12         14 (or 18 with an 802.1Q tag)
 *   +----------+----------+----------+-------------------------------+
 *   | dst MAC  | src MAC  | ethertype| payload                       |
 *   +----------+----------+----------+-------------------------------+
 *   802.1Q: ethertype 0x8100, then 2 bytes TCI, then the real ethertype
 * </pre>
 */
public final class EthernetFrame {
    public static final int HEADER_LENGTH = 14;
    public static final int TAGGED_HEADER_LENGTH = 18;
    public static final int MAX_UNTAGGED = 1514;
    public static final int DEFAULT_MAX_FRAME = MAX_UNTAGGED + 4;
    public static final int JUMBO_MAX_FRAME = 9216;
    public static final int TPID_8021Q = 0x8100;

    private static final ValueLayout.OfShort BIG_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private EthernetFrame() {
    }

    public static long destination(final MemorySegment frame, final long at) {
        return mac(frame, at);
    }

    public static long source(final MemorySegment frame, final long at) {
        return mac(frame, at + 6);
    }

    public static int etherType(final MemorySegment frame, final long at) {
        return Short.toUnsignedInt(frame.get(BIG_SHORT, at + 12));
    }

    private static long mac(final MemorySegment frame, final long at) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | Byte.toUnsignedInt(frame.get(ValueLayout.JAVA_BYTE, at + i));
        }
        return mac;
    }

    /** Writes a header: for guests and tests. */
    public static void writeHeader(final MemorySegment frame, final long at, final long dst, final long src, final int etherType) {
        for (int i = 0; i < 6; i++) {
            frame.set(ValueLayout.JAVA_BYTE, at + i, (byte) (dst >>> (40 - 8 * i)));
            frame.set(ValueLayout.JAVA_BYTE, at + 6 + i, (byte) (src >>> (40 - 8 * i)));
        }
        frame.set(BIG_SHORT, at + 12, (short) etherType);
    }
}
