package doms.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the seed inputs of the vnet target (src/test/resources/corpus/vnet/): one byte choosing
 * the wire frame, the frame's length (u24, big-endian), the ten header bytes, the frame. Run from the repository root with
 * {@code java fuzz/src/test/java/doms/fuzz/VnetSeeds.java fuzz/src/test/resources/corpus/vnet}.
 * Checksums in the frames are left as a sender would (not final): the switch computes them.
 */
public final class VnetSeeds {
    private VnetSeeds() {
    }

    public static void main(final String[] args) throws IOException {
        final Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        // wire frame selector: 0 -> 1514, 1 -> 1518, 2 -> 9018, 3 -> 590, 4 -> 100
        write(dir, "tcp4_gso_64k", 0, header(1, 1, 54, 1448, 34, 16), tcp(4, false, 65_535 - 40));
        write(dir, "tcp4_gso_small", 3, header(1, 1, 54, 536, 34, 16), tcp(4, false, 3000));
        write(dir, "tcp6_vlan_gso_ecn", 1, header(1, 0x84, 78, 1440, 58, 16), tcp(6, true, 4000));
        write(dir, "udp4_gso", 0, header(1, 5, 42, 1200, 34, 6), udp(4, false, 5000));
        write(dir, "udp6_gso_jumbo", 2, header(1, 5, 62, 8000, 54, 6), udp(6, false, 20_000));
        write(dir, "udp4_gso_too_big", 4, header(1, 5, 42, 1200, 34, 6), udp(4, false, 3000));
        write(dir, "tcp4_csum_only", 0, header(1, 0, 0, 0, 34, 16), tcp(4, false, 700));
        write(dir, "udp6_vlan_csum_only", 0, header(1, 0, 0, 0, 58, 6), udp(6, true, 33));
        write(dir, "plain_no_offload", 0, header(0, 0, 0, 0, 0, 0), tcp(4, false, 100));
        // Small inputs at the limits: the fuzzer's byte mutations land on the fields far more often.
        write(dir, "tcp4_gso_min_mss", 4, header(1, 1, 54, 48, 34, 16), tcp(4, false, 100));
        write(dir, "udp4_gso_128_datagrams", 4, header(1, 5, 42, 1, 34, 6), udp(4, false, 128));
        write(dir, "tcp6_csum_bare", 0, header(1, 0, 0, 0, 54, 16), tcp(6, false, 0));
        write(dir, "bad_csum_offset", 0, header(1, 1, 54, 1448, 34, 17), tcp(4, false, 3000));
    }

    private static void write(final Path dir, final String name, final int wire, final byte[] header, final byte[] frame) throws IOException {
        final byte[] input = new byte[4 + header.length + frame.length];
        input[0] = (byte) wire;
        input[1] = (byte) (frame.length >> 16);
        input[2] = (byte) (frame.length >> 8);
        input[3] = (byte) frame.length;
        System.arraycopy(header, 0, input, 4, header.length);
        System.arraycopy(frame, 0, input, 4 + header.length, frame.length);
        Files.write(dir.resolve(name), input);
    }

    static byte[] header(final int flags, final int gsoType, final int hdrLen, final int gsoSize, final int csumStart, final int csumOffset) {
        return ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) flags).put((byte) gsoType)
                .putShort((short) hdrLen).putShort((short) gsoSize).putShort((short) csumStart).putShort((short) csumOffset).array();
    }

    static byte[] tcp(final int version, final boolean tagged, final int payload) {
        final ByteBuffer b = ip(version, tagged, 6, 20 + payload);
        b.putShort((short) 40000).putShort((short) 5201).putInt(0x7000_0000).putInt(1).put((byte) 0x50).put((byte) 0x18)
                .putShort((short) 512).putInt(0);
        return fill(b);
    }

    static byte[] udp(final int version, final boolean tagged, final int payload) {
        final ByteBuffer b = ip(version, tagged, 17, 8 + payload);
        b.putShort((short) 40001).putShort((short) 4433).putShort((short) (8 + payload)).putShort((short) 0);
        return fill(b);
    }

    private static ByteBuffer ip(final int version, final boolean tagged, final int protocol, final int l4Length) {
        final int l3 = tagged ? 18 : 14;
        final ByteBuffer b = ByteBuffer.allocate(l3 + (version == 4 ? 20 : 40) + l4Length);
        b.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1});
        if (tagged) {
            b.putShort((short) 0x8100).putShort((short) 7);
        }
        if (version == 4) {
            b.putShort((short) 0x0800).put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4Length)).putShort((short) 1)
                    .putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0).putInt(0x0A00_0001).putInt(0x0A00_0002);
        } else {
            b.putShort((short) 0x86DD).putInt(0x6000_0000).putShort((short) l4Length).put((byte) protocol).put((byte) 64)
                    .putLong(0xFD00_0000_0000_0000L).putLong(1).putLong(0xFD00_0000_0000_0000L).putLong(2);
        }
        return b;
    }

    private static byte[] fill(final ByteBuffer b) {
        for (int i = 0; b.hasRemaining(); i++) {
            b.put((byte) (i * 13 + 5));
        }
        return b.array();
    }
}
