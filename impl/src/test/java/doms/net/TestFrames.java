package doms.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds real TCP and UDP frames (and super-frames) byte by byte for the offload tests, and
 * checks them with a plain 16-bit ones' complement sum: written apart from the code under test.
 */
public final class TestFrames {
    public static final long SEQ = 0xFFFF_F000L; // wraps past 2^32 within a super-frame
    public static final int IP_ID = 0xFFFE;      // wraps past 2^16 too

    private TestFrames() {
    }

    /** Ethernet (optionally 802.1Q), IPv4 (with {@code ipOptions} bytes of options) or IPv6, TCP with {@code tcpOptions} bytes of options. */
    public static byte[] tcp(final int ipVersion, final boolean tagged, final int ipOptions, final int tcpOptions, final int payload, final int flags) {
        final int l4Length = 20 + tcpOptions + payload;
        final ByteBuffer b = ipStart(ipVersion, tagged, ipOptions, 6, l4Length);
        b.putShort((short) 40000).putShort((short) 5201).putInt((int) SEQ).putInt(0x01020304);
        b.put((byte) (((20 + tcpOptions) / 4) << 4)).put((byte) flags).putShort((short) 512);
        b.putShort((short) 0xBEEF).putShort((short) 0); // a checksum field that must not be trusted
        for (int i = 0; i < tcpOptions; i++) {
            b.put((byte) 1); // NOP
        }
        return finish(b, payload);
    }

    public static byte[] udp(final int ipVersion, final boolean tagged, final int payload) {
        final int l4Length = 8 + payload;
        final ByteBuffer b = ipStart(ipVersion, tagged, 0, 17, l4Length);
        b.putShort((short) 40001).putShort((short) 4433).putShort((short) l4Length).putShort((short) 0xBEEF);
        return finish(b, payload);
    }

    public static int l3(final boolean tagged) {
        return tagged ? 18 : 14;
    }

    private static ByteBuffer ipStart(final int ipVersion, final boolean tagged, final int ipOptions, final int proto, final int l4Length) {
        final int ipHeader = ipVersion == 4 ? 20 + ipOptions : 40;
        final ByteBuffer b = ByteBuffer.allocate(l3(tagged) + ipHeader + l4Length).order(ByteOrder.BIG_ENDIAN);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1});
        if (tagged) {
            b.putShort((short) 0x8100).putShort((short) 7);
        }
        if (ipVersion == 4) {
            b.putShort((short) 0x0800);
            b.put((byte) (0x40 | ipHeader / 4)).put((byte) 0).putShort((short) (ipHeader + l4Length));
            b.putShort((short) IP_ID).putShort((short) 0x4000).put((byte) 64).put((byte) proto).putShort((short) 0);
            b.put(new byte[] {10, 0, 0, 1, 10, 0, 0, 2});
            for (int i = 0; i < ipOptions; i++) {
                b.put((byte) 1); // NOP
            }
            final int l3 = l3(tagged);
            b.putShort(l3 + 10, (short) (~fold(sum(b.array(), l3, l3 + ipHeader)) & 0xFFFF));
        } else {
            b.putShort((short) 0x86DD);
            b.putInt(0x6000_0ABC).putShort((short) l4Length).put((byte) proto).put((byte) 64);
            b.put(new byte[] {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
            b.put(new byte[] {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
        }
        return b;
    }

    private static byte[] finish(final ByteBuffer b, final int payload) {
        for (int i = 0; i < payload; i++) {
            b.put(payloadByte(i));
        }
        return b.array();
    }

    public static byte payloadByte(final int i) {
        return (byte) (i * 7 + i / 251);
    }

    /** The ten header bytes, little-endian u16s, written here without VirtioNetHeader. */
    public static byte[] header(final int flags, final int gsoType, final int hdrLen, final int gsoSize, final int csumStart, final int csumOffset) {
        return ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) flags).put((byte) gsoType)
                .putShort((short) hdrLen).putShort((short) gsoSize).putShort((short) csumStart).putShort((short) csumOffset).array();
    }

    /** Sum of big-endian 16-bit words of {@code b[from, to)}, odd byte padded. */
    public static long sum(final byte[] b, final int from, final int to) {
        long s = 0;
        for (int i = from; i < to; i += 2) {
            s += (b[i] & 0xFF) << 8 | (i + 1 < to ? b[i + 1] & 0xFF : 0);
        }
        return s;
    }

    public static int fold(final long sum) {
        long s = sum;
        while (s > 0xFFFF) {
            s = (s & 0xFFFF) + (s >> 16);
        }
        return (int) s;
    }

    /** The folded sum over an IPv4 header: 0xFFFF when its checksum is right. */
    public static int ipv4HeaderSum(final byte[] f, final int l3) {
        return fold(sum(f, l3, l3 + (f[l3] & 0x0F) * 4));
    }

    /** The folded sum over the pseudo-header and the L4 segment: 0xFFFF when the checksum is right. */
    public static int l4Sum(final byte[] f, final int l3, final int l4, final int proto) {
        final int l4Length = f.length - l4;
        final long addresses = (f[l3] >> 4 & 0xF) == 4 ? sum(f, l3 + 12, l3 + 20) : sum(f, l3 + 8, l3 + 40);
        return fold(addresses + proto + l4Length + sum(f, l4, f.length));
    }

    public static int u16(final byte[] f, final int at) {
        return (f[at] & 0xFF) << 8 | f[at + 1] & 0xFF;
    }

    public static long u32(final byte[] f, final int at) {
        return (long) u16(f, at) << 16 | u16(f, at + 2);
    }
}
