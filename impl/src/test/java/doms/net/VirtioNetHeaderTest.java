package doms.net;

import static doms.net.VirtioNetHeader.BAD_CSUM_OFFSET;
import static doms.net.VirtioNetHeader.BAD_CSUM_START;
import static doms.net.VirtioNetHeader.BAD_FLAGS;
import static doms.net.VirtioNetHeader.BAD_FRAME_LENGTH;
import static doms.net.VirtioNetHeader.BAD_GSO_SIZE;
import static doms.net.VirtioNetHeader.BAD_GSO_TYPE;
import static doms.net.VirtioNetHeader.BAD_HDR_LEN;
import static doms.net.VirtioNetHeader.BAD_NETWORK_HEADER;
import static doms.net.VirtioNetHeader.BAD_TRANSPORT_HEADER;
import static doms.net.VirtioNetHeader.VALID;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One rule per test: a value just inside its limit is accepted, one just outside is refused with that rule's verdict. */
class VirtioNetHeaderTest {
    private static final int ACK = 0x10;
    private static final int CSUM = VirtioNetHeader.F_NEEDS_CSUM;
    private static final int TCPV4 = VirtioNetHeader.GSO_TCPV4;
    private static final int TCPV6 = VirtioNetHeader.GSO_TCPV6;
    private static final int UDP_L4 = VirtioNetHeader.GSO_UDP_L4;
    private static final int ECN = VirtioNetHeader.GSO_ECN;

    /** TCPv4, 3000 bytes of payload: L4 at 34, payload at 54. */
    private final byte[] tcp4 = TestFrames.tcp(4, false, 0, 0, 3000, ACK);
    private final byte[] tcp6 = TestFrames.tcp(6, false, 0, 0, 3000, ACK);
    private final byte[] udp4 = TestFrames.udp(4, false, 1280);

    /** Validates with the header and the frame each in a native segment of exactly their length: a stray read throws. */
    private static int verdict(final byte[] header, final byte[] frame) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment h = arena.allocate(header.length);
            final MemorySegment f = arena.allocate(Math.max(1, frame.length));
            MemorySegment.copy(MemorySegment.ofArray(header), 0, h, 0, header.length);
            MemorySegment.copy(MemorySegment.ofArray(frame), 0, f, 0, frame.length);
            return VirtioNetHeader.validate(h, 0, f.asReadOnly(), 0, frame.length, new FrameLayout());
        }
    }

    private static byte[] hdr(final int flags, final int gso, final int hdrLen, final int gsoSize, final int csumStart, final int csumOffset) {
        return TestFrames.header(flags, gso, hdrLen, gsoSize, csumStart, csumOffset);
    }

    private static byte[] tcp4Gso(final int gsoSize) {
        return hdr(CSUM, TCPV4, 54, gsoSize, 34, 16);
    }

    private static byte[] set16(final byte[] frame, final int at, final int value) {
        final byte[] f = frame.clone();
        f[at] = (byte) (value >> 8);
        f[at + 1] = (byte) value;
        return f;
    }

    private static byte[] set8(final byte[] frame, final int at, final int value) {
        final byte[] f = frame.clone();
        f[at] = (byte) value;
        return f;
    }

    @Test
    void headerFieldsAreLittleEndianAtTheirOffsets() {
        final MemorySegment h = MemorySegment.ofArray(new byte[10]);
        VirtioNetHeader.write(h, 0, 1, 4, 0x0102, 0x0304, 0x0506, 0x0708);
        assertThat(h.toArray(ValueLayout.JAVA_BYTE)).containsExactly(1, 4, 2, 1, 4, 3, 6, 5, 8, 7);
        assertThat(h.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(hdr(1, 4, 0x0102, 0x0304, 0x0506, 0x0708));
    }

    @Test
    void wellFormedOffloadsAreValidAndLaidOut() {
        final FrameLayout layout = new FrameLayout();
        final byte[] frame = TestFrames.tcp(6, true, 0, 12, 100, ACK);
        assertThat(VirtioNetHeader.validate(MemorySegment.ofArray(hdr(CSUM, TCPV6 | ECN, 90, 1440, 58, 16)), 0,
                MemorySegment.ofArray(frame), 0, frame.length, layout)).isEqualTo(VALID);
        assertThat(layout.l3Offset()).isEqualTo(18);
        assertThat(layout.l4Offset()).isEqualTo(58);
        assertThat(layout.payloadOffset()).isEqualTo(90);
        assertThat(layout.ipVersion()).isEqualTo(6);
        assertThat(layout.protocol()).isEqualTo(6);
        assertThat(layout.gsoType()).isEqualTo(TCPV6);
        assertThat(layout.gsoSize()).isEqualTo(1440);
        assertThat(layout.needsChecksum()).isTrue();
        assertThat(verdict(tcp4Gso(1448), tcp4)).isEqualTo(VALID);
        assertThat(verdict(hdr(CSUM, UDP_L4, 42, 1200, 34, 6), udp4)).isEqualTo(VALID);
        assertThat(verdict(new byte[10], new byte[60])).isEqualTo(VALID); // no offload, any frame
    }

    @Test
    void frameLengthFromAnEthernetHeaderToA64KiBDatagram() {
        assertThat(verdict(new byte[10], new byte[14])).isEqualTo(VALID);
        assertThat(verdict(new byte[10], new byte[13])).isEqualTo(BAD_FRAME_LENGTH);
        assertThat(verdict(new byte[10], new byte[0])).isEqualTo(BAD_FRAME_LENGTH);
        assertThat(verdict(new byte[10], new byte[14 + 65_535])).isEqualTo(VALID);
        assertThat(verdict(new byte[10], new byte[14 + 65_536])).isEqualTo(BAD_FRAME_LENGTH);
        final byte[] tagged = set16(new byte[18], 12, 0x8100);
        assertThat(verdict(new byte[10], tagged)).isEqualTo(VALID);
        assertThat(verdict(new byte[10], Arrays.copyOf(tagged, 17))).isEqualTo(BAD_FRAME_LENGTH);
        final byte[] bigTagged = set16(new byte[18 + 65_535], 12, 0x8100);
        assertThat(verdict(new byte[10], bigTagged)).isEqualTo(VALID);
        assertThat(verdict(new byte[10], set16(new byte[18 + 65_536], 12, 0x8100))).isEqualTo(BAD_FRAME_LENGTH);
    }

    @Test
    void flagsNeedsCsumOrDataValidButNotBothAndNothingElse() {
        assertThat(verdict(hdr(CSUM, 0, 0, 0, 34, 16), tcp4)).isEqualTo(VALID);
        assertThat(verdict(hdr(VirtioNetHeader.F_DATA_VALID, 0, 0, 0, 0, 0), tcp4)).isEqualTo(VALID);
        assertThat(verdict(hdr(CSUM | VirtioNetHeader.F_DATA_VALID, 0, 0, 0, 34, 16), tcp4)).isEqualTo(BAD_FLAGS);
        assertThat(verdict(hdr(VirtioNetHeader.F_RSC_INFO, 0, 0, 0, 0, 0), tcp4)).isEqualTo(BAD_FLAGS);
        for (int bit = 3; bit < 8; bit++) {
            assertThat(verdict(hdr(1 << bit, 0, 0, 0, 0, 0), tcp4)).as("flag bit " + bit).isEqualTo(BAD_FLAGS);
        }
        assertThat(verdict(hdr(0, TCPV4, 54, 1448, 34, 16), tcp4)).as("GSO without NEEDS_CSUM").isEqualTo(BAD_FLAGS);
    }

    @Test
    void gsoTypeNoneTcpv4Tcpv6OrUdpL4AndEcnOnlyWithTcp() {
        assertThat(verdict(hdr(CSUM, TCPV4 | ECN, 54, 1448, 34, 16), tcp4)).isEqualTo(VALID);
        assertThat(verdict(hdr(CSUM, TCPV6, 74, 1448, 54, 16), tcp6)).isEqualTo(VALID);
        assertThat(verdict(hdr(CSUM, UDP_L4, 42, 10, 34, 6), udp4)).isEqualTo(VALID);
        for (final int bad : new int[] {2, VirtioNetHeader.GSO_UDP, 6, 7, 0x7F, ECN, UDP_L4 | ECN, 0xFF}) {
            assertThat(verdict(hdr(CSUM, bad, 54, 1448, 34, 16), tcp4)).as("gso_type " + bad).isEqualTo(BAD_GSO_TYPE);
        }
        // The type must match the frame.
        assertThat(verdict(hdr(CSUM, TCPV6, 54, 1448, 34, 16), tcp4)).isEqualTo(BAD_GSO_TYPE);
        assertThat(verdict(hdr(CSUM, TCPV4, 74, 1448, 54, 16), tcp6)).isEqualTo(BAD_GSO_TYPE);
        assertThat(verdict(hdr(CSUM, UDP_L4, 54, 1448, 34, 16), tcp4)).isEqualTo(BAD_GSO_TYPE);
        assertThat(verdict(hdr(CSUM, TCPV4, 42, 1448, 34, 6), udp4)).isEqualTo(BAD_GSO_TYPE);
    }

    @Test
    void ipv4HeaderMustDescribeExactlyThisFrameUnfragmented() {
        assertThat(verdict(tcp4Gso(1448), set8(tcp4, 14, 0x45))).isEqualTo(VALID);
        assertThat(verdict(tcp4Gso(1448), set8(tcp4, 14, 0x44))).as("IHL 4").isEqualTo(BAD_NETWORK_HEADER);
        assertThat(verdict(tcp4Gso(1448), set8(tcp4, 14, 0x55))).as("version 5").isEqualTo(BAD_NETWORK_HEADER);
        assertThat(verdict(tcp4Gso(1448), set16(tcp4, 16, tcp4.length - 14 - 1))).as("total length short").isEqualTo(BAD_NETWORK_HEADER);
        assertThat(verdict(tcp4Gso(1448), set16(tcp4, 16, tcp4.length - 14 + 1))).as("total length long").isEqualTo(BAD_NETWORK_HEADER);
        assertThat(verdict(tcp4Gso(1448), set16(tcp4, 20, 0x4000))).as("DF").isEqualTo(VALID);
        assertThat(verdict(tcp4Gso(1448), set16(tcp4, 20, 0x2000))).as("MF").isEqualTo(BAD_NETWORK_HEADER);
        assertThat(verdict(tcp4Gso(1448), set16(tcp4, 20, 0x0001))).as("fragment offset 1").isEqualTo(BAD_NETWORK_HEADER);
        assertThat(verdict(tcp4Gso(1448), set16(tcp4, 12, 0x0806))).as("ARP").isEqualTo(BAD_NETWORK_HEADER);
        // An IHL beyond the frame: 15 words in a 33-byte datagram.
        final byte[] tiny = set16(set8(Arrays.copyOf(tcp4, 14 + 33), 14, 0x4F), 16, 33);
        assertThat(verdict(hdr(CSUM, 0, 0, 0, 34, 16), tiny)).isEqualTo(BAD_NETWORK_HEADER);
        assertThat(verdict(hdr(CSUM, 0, 0, 0, 34, 16), set16(Arrays.copyOf(tcp4, 14 + 19), 16, 19))).as("19 bytes").isEqualTo(BAD_NETWORK_HEADER);
    }

    @Test
    void ipv6HeaderMustDescribeExactlyThisFrameWithTcpOrUdpNext() {
        final byte[] h = hdr(CSUM, TCPV6, 74, 1448, 54, 16);
        assertThat(verdict(h, set16(tcp6, 18, tcp6.length - 54 - 1))).as("payload length short").isEqualTo(BAD_NETWORK_HEADER);
        assertThat(verdict(h, set16(tcp6, 18, tcp6.length - 54 + 1))).as("payload length long").isEqualTo(BAD_NETWORK_HEADER);
        assertThat(verdict(h, set8(tcp6, 14, 0x70))).as("version 7").isEqualTo(BAD_NETWORK_HEADER);
        assertThat(verdict(h, set8(tcp6, 20, 0))).as("hop-by-hop options").isEqualTo(BAD_TRANSPORT_HEADER);
        assertThat(verdict(h, Arrays.copyOf(tcp6, 14 + 39))).isEqualTo(BAD_NETWORK_HEADER);
    }

    @Test
    void transportHeaderTcpDataOffsetAndUdpLength() {
        assertThat(verdict(tcp4Gso(1448), set8(tcp4, 23, 1))).as("ICMP").isEqualTo(BAD_TRANSPORT_HEADER);
        assertThat(verdict(tcp4Gso(1448), set8(tcp4, 34 + 12, 0x40))).as("data offset 4").isEqualTo(BAD_TRANSPORT_HEADER);
        assertThat(verdict(tcp4Gso(1448), set8(tcp4, 34 + 12, 0x50))).as("data offset 5").isEqualTo(VALID);
        // A bare TCP header: a data offset of 6 words reaches past the frame.
        final byte[] bare = TestFrames.tcp(4, false, 0, 0, 0, ACK);
        assertThat(verdict(hdr(CSUM, 0, 0, 0, 34, 16), bare)).isEqualTo(VALID);
        assertThat(verdict(hdr(CSUM, 0, 0, 0, 34, 16), set8(bare, 34 + 12, 0x60))).isEqualTo(BAD_TRANSPORT_HEADER);
        final byte[] h = hdr(CSUM, UDP_L4, 42, 1200, 34, 6);
        assertThat(verdict(h, set16(udp4, 38, udp4.length - 34 - 1))).as("UDP length short").isEqualTo(BAD_TRANSPORT_HEADER);
        assertThat(verdict(h, set16(udp4, 38, udp4.length - 34 + 1))).as("UDP length long").isEqualTo(BAD_TRANSPORT_HEADER);
    }

    @Test
    void hdrLenCoversTheHeadersAndStaysInTheFrame() {
        assertThat(verdict(hdr(CSUM, TCPV4, 53, 1448, 34, 16), tcp4)).isEqualTo(BAD_HDR_LEN);
        assertThat(verdict(hdr(CSUM, TCPV4, 54, 1448, 34, 16), tcp4)).isEqualTo(VALID);
        assertThat(verdict(hdr(CSUM, TCPV4, tcp4.length, 1448, 34, 16), tcp4)).isEqualTo(VALID);
        assertThat(verdict(hdr(CSUM, TCPV4, tcp4.length + 1, 1448, 34, 16), tcp4)).isEqualTo(BAD_HDR_LEN);
        assertThat(verdict(hdr(CSUM, 0, 0, 0, 34, 16), tcp4)).isEqualTo(VALID);
        assertThat(verdict(hdr(CSUM, 0, 1, 0, 34, 16), tcp4)).as("without GSO").isEqualTo(BAD_HDR_LEN);
        assertThat(verdict(hdr(0, 0, 1, 0, 0, 0), tcp4)).as("without offloads").isEqualTo(BAD_HDR_LEN);
    }

    @Test
    void gsoSizeAtLeastTheMinimumMssForTcp() {
        assertThat(verdict(tcp4Gso(47), tcp4)).isEqualTo(BAD_GSO_SIZE);
        assertThat(verdict(tcp4Gso(48), tcp4)).isEqualTo(VALID);
        assertThat(verdict(tcp4Gso(0), tcp4)).isEqualTo(BAD_GSO_SIZE);
        assertThat(verdict(tcp4Gso(65_535), tcp4)).isEqualTo(VALID);
        // GSO with no payload has nothing to segment.
        final byte[] bare = TestFrames.tcp(4, false, 0, 0, 0, ACK);
        assertThat(verdict(tcp4Gso(1448), bare)).isEqualTo(BAD_GSO_SIZE);
        assertThat(verdict(tcp4Gso(1448), TestFrames.tcp(4, false, 0, 0, 1, ACK))).isEqualTo(VALID);
    }

    @Test
    void gsoSizeForUdpMakesAtMost128DatagramsAndIsZeroWithoutGso() {
        assertThat(verdict(hdr(CSUM, UDP_L4, 42, 10, 34, 6), udp4)).as("1280 / 10 = 128").isEqualTo(VALID);
        assertThat(verdict(hdr(CSUM, UDP_L4, 42, 10, 34, 6), TestFrames.udp(4, false, 1281))).as("129 datagrams").isEqualTo(BAD_GSO_SIZE);
        assertThat(verdict(hdr(CSUM, UDP_L4, 42, 0, 34, 6), udp4)).isEqualTo(BAD_GSO_SIZE);
        assertThat(verdict(hdr(CSUM, UDP_L4, 42, 1, 34, 6), TestFrames.udp(4, false, 128))).isEqualTo(VALID);
        assertThat(verdict(hdr(CSUM, 0, 0, 1, 34, 16), tcp4)).as("without GSO").isEqualTo(BAD_GSO_SIZE);
        assertThat(verdict(hdr(0, 0, 0, 1, 0, 0), tcp4)).as("without offloads").isEqualTo(BAD_GSO_SIZE);
    }

    @Test
    void csumStartIsTheTransportHeader() {
        assertThat(verdict(hdr(CSUM, TCPV4, 54, 1448, 33, 16), tcp4)).isEqualTo(BAD_CSUM_START);
        assertThat(verdict(hdr(CSUM, TCPV4, 54, 1448, 35, 16), tcp4)).isEqualTo(BAD_CSUM_START);
        assertThat(verdict(hdr(CSUM, 0, 0, 0, 54, 16), tcp6)).isEqualTo(VALID);
        assertThat(verdict(hdr(CSUM, 0, 0, 0, 53, 16), tcp6)).isEqualTo(BAD_CSUM_START);
        assertThat(verdict(hdr(0, 0, 0, 0, 1, 0), tcp4)).as("without offloads").isEqualTo(BAD_CSUM_START);
    }

    @Test
    void csumOffsetIsTheTcpOrUdpChecksumField() {
        assertThat(verdict(hdr(CSUM, TCPV4, 54, 1448, 34, 15), tcp4)).isEqualTo(BAD_CSUM_OFFSET);
        assertThat(verdict(hdr(CSUM, TCPV4, 54, 1448, 34, 17), tcp4)).isEqualTo(BAD_CSUM_OFFSET);
        assertThat(verdict(hdr(CSUM, UDP_L4, 42, 1200, 34, 5), udp4)).isEqualTo(BAD_CSUM_OFFSET);
        assertThat(verdict(hdr(CSUM, UDP_L4, 42, 1200, 34, 7), udp4)).isEqualTo(BAD_CSUM_OFFSET);
        assertThat(verdict(hdr(CSUM, 0, 0, 0, 34, 6), udp4)).isEqualTo(VALID);
        assertThat(verdict(hdr(0, 0, 0, 0, 0, 1), tcp4)).as("without offloads").isEqualTo(BAD_CSUM_OFFSET);
    }

    @Test
    void randomHeadersOnMutatedFramesNeverThrowNorReadOutsideTheFrame() {
        final Random random = new Random(19);
        final byte[][] bases = {tcp4, tcp6, udp4, TestFrames.tcp(6, true, 0, 8, 40, ACK), TestFrames.udp(6, true, 3)};
        final byte[][] headers = {tcp4Gso(1448), hdr(CSUM, TCPV6, 74, 1448, 54, 16), hdr(CSUM, UDP_L4, 42, 1200, 34, 6),
                hdr(CSUM, TCPV6 | ECN, 86, 48, 58, 16), hdr(CSUM, 0, 0, 0, 58, 6)};
        int valid = 0;
        for (int i = 0; i < 20_000; i++) {
            final int which = random.nextInt(bases.length);
            final byte[] base = bases[which];
            final byte[] frame = Arrays.copyOf(base, random.nextBoolean() ? base.length : random.nextInt(base.length + 2));
            for (int m = random.nextInt(3); m > 0 && frame.length > 0; m--) {
                frame[random.nextInt(Math.min(frame.length, 80))] ^= (byte) (1 << random.nextInt(8));
            }
            final byte[] h = headers[which].clone();
            if (random.nextInt(4) == 0) {
                random.nextBytes(h);
            } else if (random.nextBoolean()) {
                h[random.nextInt(10)] ^= (byte) (1 << random.nextInt(8));
            }
            if (verdict(h, frame) == VALID) {
                valid++;
            }
        }
        assertThat(valid).isPositive();
    }
}
