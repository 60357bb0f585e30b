package doms.net;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The VXLAN header (RFC 7348, section 5) in front of an inner Ethernet frame, carried in a UDP
 * datagram (IANA port 4789). The outer IP and UDP headers are the kernel's business: the switch
 * sends and receives the UDP payload only.
 *
 * <pre>
 *   0        1                 4                          7        8
 *   +--------+-----------------+--------------------------+--------+----------------------+
 *   | flags  | reserved (24)   | VNI (24, big endian)     | rsvd   | inner Ethernet frame |
 *   +--------+-----------------+--------------------------+--------+----------------------+
 *   flags: 0x08 (I: the VNI is valid); every other bit reserved, zero on send, ignored on receipt
 * </pre>
 */
public final class Vxlan {
    public static final int HEADER_LENGTH = 8;
    public static final int DEFAULT_PORT = 4789;
    public static final int FLAG_VNI_VALID = 0x08;
    public static final int MAX_VNI = 0xFF_FFFF;

    /** {@link #vni} results for a datagram that is not a usable VXLAN packet (all negative). */
    public static final int SHORT = -1;
    public static final int NO_VNI_FLAG = -2;

    private Vxlan() {
    }

    /** Writes the 8-byte header for {@code vni} at {@code at}. */
    public static void writeHeader(final MemorySegment packet, final long at, final int vni) {
        packet.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), at, FLAG_VNI_VALID << 24);
        packet.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), at + 4, (vni & MAX_VNI) << 8);
    }

    /**
     * The VNI of a received packet of {@code length} bytes at {@code at}, or {@link #SHORT} /
     * {@link #NO_VNI_FLAG}. Reads each header byte once, from memory only the switch writes.
     */
    public static int vni(final MemorySegment packet, final long at, final int length) {
        if (length < HEADER_LENGTH) {
            return SHORT;
        }
        if ((packet.get(ValueLayout.JAVA_BYTE, at) & FLAG_VNI_VALID) == 0) {
            return NO_VNI_FLAG;
        }
        return packet.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), at + 4) >>> 8;
    }
}
