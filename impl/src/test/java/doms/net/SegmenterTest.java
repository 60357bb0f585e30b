package doms.net;

import static doms.net.TestFrames.l4Sum;
import static doms.net.TestFrames.u16;
import static doms.net.TestFrames.u32;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmenterTest {
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int ACK = 0x10;
    private static final int CWR = 0x80;

    private final MemorySegment wire = Arena.ofAuto().allocate(VirtioNetHeader.MAX_IP_DATAGRAM + 18);

    @Test
    void tcpv4SuperFrameBecomesMssSegmentsThatEachCheckOut() {
        final byte[] frame = TestFrames.tcp(4, false, 0, 12, 10_000, ACK | PSH | FIN | CWR);
        final List<byte[]> segments = segment(frame, VirtioNetHeader.GSO_TCPV4, 1448, 1514);
        assertThat(segments).hasSize(7); // ceil(10000 / 1448)
        checkTcp(frame, segments, 14, 34, 66, 1448);
    }

    @Test
    void tcpv6BehindAVlanTagWithIpv4StyleOptionsAbsent() {
        final byte[] frame = TestFrames.tcp(6, true, 0, 0, 4000, ACK | PSH);
        final List<byte[]> segments = segment(frame, VirtioNetHeader.GSO_TCPV6 | VirtioNetHeader.GSO_ECN, 1000, 1518);
        assertThat(segments).hasSize(4);
        checkTcp(frame, segments, 18, 58, 78, 1000);
    }

    @Test
    void tcpv4WithIpOptionsKeepsThemInEverySegment() {
        final byte[] frame = TestFrames.tcp(4, false, 8, 4, 3000, ACK);
        final List<byte[]> segments = segment(frame, VirtioNetHeader.GSO_TCPV4, 1400, 1514);
        assertThat(segments).hasSize(3);
        checkTcp(frame, segments, 14, 42, 66, 1400);
        for (final byte[] s : segments) {
            assertThat(Arrays.copyOfRange(s, 34, 42)).isEqualTo(Arrays.copyOfRange(frame, 34, 42));
        }
    }

    @Test
    void aGsoSizeLargerThanTheWireFrameIsCutToTheWireFrame() {
        final byte[] frame = TestFrames.tcp(4, false, 0, 0, 20_000, ACK);
        final List<byte[]> segments = segment(frame, VirtioNetHeader.GSO_TCPV4, 9000, 1514);
        checkTcp(frame, segments, 14, 34, 54, 1460);
        assertThat(segments).hasSize(14).allSatisfy(s -> assertThat(s.length).isLessThanOrEqualTo(1514));
    }

    @Test
    void theLargestSuperFrameFitsAndSegments() {
        final byte[] frame = TestFrames.tcp(4, false, 0, 0, 65_535 - 40, ACK | PSH);
        assertThat(frame.length).isEqualTo(65_535 + 14);
        final List<byte[]> segments = segment(frame, VirtioNetHeader.GSO_TCPV4, 1448, 1514);
        assertThat(segments).hasSize(46);
        checkTcp(frame, segments, 14, 34, 54, 1448);
    }

    @Test
    void aPayloadWithinOneGsoSizeMakesOneSegment() {
        final byte[] frame = TestFrames.tcp(6, false, 0, 0, 100, ACK | FIN | CWR);
        final List<byte[]> segments = segment(frame, VirtioNetHeader.GSO_TCPV6, 1440, 1514);
        assertThat(segments).hasSize(1);
        assertThat(segments.getFirst()[54 + 13] & 0xFF).isEqualTo(ACK | FIN | CWR);
        checkTcp(frame, segments, 14, 54, 74, 1440);
    }

    @Test
    void udpL4OverIpv4AndIpv6MakesDatagramsOfGsoSize() {
        for (final int version : new int[] {4, 6}) {
            final byte[] frame = TestFrames.udp(version, false, 5000);
            final List<byte[]> segments = segment(frame, VirtioNetHeader.GSO_UDP_L4, 1200, 1514);
            assertThat(segments).hasSize(5);
            final int l4 = version == 4 ? 34 : 54;
            final ByteArrayOutputStream payload = new ByteArrayOutputStream();
            for (int i = 0; i < segments.size(); i++) {
                final byte[] s = segments.get(i);
                assertThat(s.length).isEqualTo(l4 + 8 + (i < 4 ? 1200 : 200));
                assertThat(u16(s, l4 + 4)).as("UDP length").isEqualTo(s.length - l4);
                checkIp(s, 14, l4, version, i);
                assertThat(l4Sum(s, 14, l4, 17)).as("UDP checksum of segment " + i).isEqualTo(0xFFFF);
                assertThat(u16(s, 0 + l4 + 6)).isNotZero();
                payload.write(s, l4 + 8, s.length - l4 - 8);
            }
            assertThat(payload.toByteArray()).isEqualTo(Arrays.copyOfRange(frame, l4 + 8, frame.length));
        }
    }

    @Test
    void aUdpDatagramLargerThanTheWireFrameIsRefusedNotCut() {
        final byte[] frame = TestFrames.udp(4, false, 5000);
        final FrameLayout layout = validate(frame, VirtioNetHeader.GSO_UDP_L4, 1473);
        final List<byte[]> out = new ArrayList<>();
        assertThat(Segmenter.segment(MemorySegment.ofArray(frame), 0, frame.length, layout, 1514, wire,
                (w, n) -> out.add(w.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE)))).isEqualTo(Segmenter.TOO_BIG);
        assertThat(out).isEmpty();
        assertThat(segment(frame, VirtioNetHeader.GSO_UDP_L4, 1472, 1514)).hasSize(4)
                .allSatisfy(s -> assertThat(s.length).isLessThanOrEqualTo(1514));
    }

    @Test
    void aWireFrameWithNoRoomForPayloadIsRefused() {
        final byte[] frame = TestFrames.tcp(4, false, 0, 0, 2000, ACK);
        final FrameLayout layout = validate(frame, VirtioNetHeader.GSO_TCPV4, 1000);
        assertThat(Segmenter.segment(MemorySegment.ofArray(frame), 0, frame.length, layout, 54, wire, (w, n) -> { }))
                .isEqualTo(Segmenter.TOO_BIG);
        assertThat(Segmenter.segment(MemorySegment.ofArray(frame), 0, frame.length, layout, 55, wire, (w, n) -> { }))
                .isEqualTo(2000);
    }

    @Test
    void theSuperFrameIsOnlyReadAndAFrameWithoutGsoIsNotSegmented() {
        final byte[] frame = TestFrames.tcp(4, false, 0, 0, 3000, ACK);
        final FrameLayout layout = validate(frame, VirtioNetHeader.GSO_TCPV4, 1000);
        final MemorySegment readOnly = MemorySegment.ofArray(frame.clone()).asReadOnly();
        assertThat(Segmenter.segment(readOnly, 0, frame.length, layout, 1514, wire, (w, n) -> { })).isEqualTo(3);
        assertThat(readOnly.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(frame);
        final FrameLayout plain = new FrameLayout();
        final byte[] h = TestFrames.header(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, 34, 16);
        assertThat(VirtioNetHeader.validate(MemorySegment.ofArray(h), 0, readOnly, 0, frame.length, plain)).isEqualTo(VirtioNetHeader.VALID);
        assertThat(Segmenter.segment(readOnly, 0, frame.length, plain, 1514, wire, (w, n) -> { })).isEqualTo(Segmenter.NOT_OFFLOADED);
    }

    @Test
    void aFrameRewrittenAfterValidationCannotMoveTheSegmentBounds() {
        final byte[] frame = TestFrames.tcp(4, false, 0, 0, 3000, ACK);
        final FrameLayout layout = validate(frame, VirtioNetHeader.GSO_TCPV4, 1000);
        // A peer rewrites every length the validation read: IHL, total length, data offset.
        frame[14] = 0x4F;
        frame[16] = (byte) 0xFF;
        frame[17] = (byte) 0xFF;
        frame[34 + 12] = (byte) 0xF0;
        final List<byte[]> out = new ArrayList<>();
        final int n = Segmenter.segment(MemorySegment.ofArray(frame).asReadOnly(), 0, frame.length, layout, 1514, wire,
                (w, length) -> out.add(w.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE)));
        assertThat(n).isEqualTo(3);
        assertThat(out).extracting(s -> s.length).containsExactly(1054, 1054, 1054);
        for (final byte[] s : out) {
            assertThat(u16(s, 16)).as("total length from the layout, not the frame").isEqualTo(1040);
        }
    }

    @Test
    void checksumCompletionFillsTheTcpAndUdpChecksumInPlace() {
        for (final byte[] frame : List.of(TestFrames.tcp(4, false, 0, 0, 333, ACK), TestFrames.tcp(6, true, 0, 8, 1000, ACK),
                TestFrames.udp(4, true, 77), TestFrames.udp(6, false, 1))) {
            final boolean tcp = isTcp(frame);
            final int l3 = u16(frame, 12) == 0x8100 ? 18 : 14;
            final int l4 = l3 + ((frame[l3] >> 4 & 0xF) == 4 ? 20 : 40);
            final byte[] h = TestFrames.header(VirtioNetHeader.F_NEEDS_CSUM, 0, 0, 0, l4, tcp ? 16 : 6);
            final FrameLayout layout = new FrameLayout();
            final byte[] copy = Arrays.copyOf(frame, frame.length + 5); // the frame inside a larger buffer
            final MemorySegment seg = MemorySegment.ofArray(copy);
            assertThat(VirtioNetHeader.validate(MemorySegment.ofArray(h), 0, seg, 0, frame.length, layout)).isEqualTo(VirtioNetHeader.VALID);
            assertThat(Segmenter.completeChecksum(seg, 0, frame.length, layout)).isZero();
            final byte[] done = Arrays.copyOf(copy, frame.length);
            assertThat(l4Sum(done, l3, l4, tcp ? 6 : 17)).isEqualTo(0xFFFF);
            assertThat(Arrays.copyOfRange(copy, frame.length, copy.length)).containsOnly(0);
        }
    }

    @Test
    void aUdpChecksumThatComputesToZeroIsSentAsAllOnes() {
        final byte[] frame = TestFrames.udp(4, false, 2);
        frame[frame.length - 2] = 0;
        frame[frame.length - 1] = 0;
        frame[34 + 6] = 0;
        frame[34 + 7] = 0;
        // Choose the last payload word so that the sum, checksum field zero, is 0xFFFF: the checksum computes to 0.
        final int partial = TestFrames.fold(TestFrames.fold(TestFrames.sum(frame, 26, 34)) + 17 + 10 + TestFrames.sum(frame, 34, frame.length));
        final int word = 0xFFFF - partial;
        frame[frame.length - 2] = (byte) (word >> 8);
        frame[frame.length - 1] = (byte) word;
        final FrameLayout layout = new FrameLayout();
        final MemorySegment seg = MemorySegment.ofArray(frame);
        assertThat(VirtioNetHeader.validate(MemorySegment.ofArray(TestFrames.header(1, 0, 0, 0, 34, 6)), 0, seg, 0, frame.length, layout))
                .isEqualTo(VirtioNetHeader.VALID);
        assertThat(Segmenter.completeChecksum(seg, 0, frame.length, layout)).isZero();
        assertThat(u16(frame, 40)).isEqualTo(0xFFFF);
        assertThat(l4Sum(frame, 14, 34, 17)).isEqualTo(0xFFFF);
    }

    @Test
    void checksumCompletionLeavesOtherFramesAlone() {
        final byte[] frame = TestFrames.tcp(4, false, 0, 0, 3000, ACK);
        final FrameLayout gso = validate(frame, VirtioNetHeader.GSO_TCPV4, 1000);
        assertThat(Segmenter.completeChecksum(MemorySegment.ofArray(frame), 0, frame.length, gso)).isEqualTo(Segmenter.NOT_OFFLOADED);
        final FrameLayout none = new FrameLayout();
        assertThat(VirtioNetHeader.validate(MemorySegment.ofArray(new byte[10]), 0, MemorySegment.ofArray(frame), 0, frame.length, none))
                .isEqualTo(VirtioNetHeader.VALID);
        assertThat(Segmenter.completeChecksum(MemorySegment.ofArray(frame), 0, frame.length, none)).isEqualTo(Segmenter.NOT_OFFLOADED);
    }

    private static boolean isTcp(final byte[] frame) {
        final int l3 = u16(frame, 12) == 0x8100 ? 18 : 14;
        return ((frame[l3] >> 4 & 0xF) == 4 ? frame[l3 + 9] : frame[l3 + 6]) == 6;
    }

    private static FrameLayout validate(final byte[] frame, final int gsoType, final int gsoSize) {
        final int l3 = u16(frame, 12) == 0x8100 ? 18 : 14;
        final boolean v4 = (frame[l3] >> 4 & 0xF) == 4;
        final int l4 = l3 + (v4 ? (frame[l3] & 0xF) * 4 : 40);
        final boolean tcp = (v4 ? frame[l3 + 9] : frame[l3 + 6]) == 6;
        final int headers = l4 + (tcp ? (frame[l4 + 12] >> 4 & 0xF) * 4 : 8);
        final byte[] h = TestFrames.header(VirtioNetHeader.F_NEEDS_CSUM, gsoType, headers, gsoSize, l4, tcp ? 16 : 6);
        final FrameLayout layout = new FrameLayout();
        assertThat(VirtioNetHeader.validate(MemorySegment.ofArray(h), 0, MemorySegment.ofArray(frame), 0, frame.length, layout))
                .as("verdict").isEqualTo(VirtioNetHeader.VALID);
        assertThat(layout.payloadOffset()).isEqualTo(headers);
        return layout;
    }

    private List<byte[]> segment(final byte[] frame, final int gsoType, final int gsoSize, final int maxFrame) {
        final FrameLayout layout = validate(frame, gsoType, gsoSize);
        final List<byte[]> out = new ArrayList<>();
        final int n = Segmenter.segment(MemorySegment.ofArray(frame), 0, frame.length, layout, maxFrame, wire,
                (w, length) -> out.add(w.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE)));
        assertThat(n).isEqualTo(out.size());
        return out;
    }

    /** Every TCP segment against the super-frame: lengths, IP fields, sequence numbers, flags, checksums, payload. */
    private static void checkTcp(final byte[] frame, final List<byte[]> segments, final int l3, final int l4, final int headers, final int mss) {
        final int version = frame[l3] >> 4 & 0xF;
        final int flags = frame[l4 + 13] & 0xFF;
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int i = 0; i < segments.size(); i++) {
            final byte[] s = segments.get(i);
            final boolean last = i == segments.size() - 1;
            assertThat(s.length).as("segment " + i + " length").isEqualTo(last ? frame.length - (long) mss * i : headers + mss);
            assertThat(Arrays.copyOfRange(s, 0, l3)).as("Ethernet header").isEqualTo(Arrays.copyOfRange(frame, 0, l3));
            checkIp(s, l3, l4, version, i);
            assertThat(u32(s, l4 + 4)).as("sequence number").isEqualTo((TestFrames.SEQ + (long) mss * i) & 0xFFFF_FFFFL);
            assertThat(u32(s, l4 + 8)).as("acknowledgment number").isEqualTo(u32(frame, l4 + 8));
            final int expectFlags = flags & ~(i == 0 ? 0 : CWR) & ~(last ? 0 : FIN | PSH);
            assertThat(s[l4 + 13] & 0xFF).as("flags of segment " + i).isEqualTo(expectFlags);
            assertThat(Arrays.copyOfRange(s, l4 + 20, headers)).as("TCP options").isEqualTo(Arrays.copyOfRange(frame, l4 + 20, headers));
            assertThat(l4Sum(s, l3, l4, 6)).as("TCP checksum of segment " + i).isEqualTo(0xFFFF);
            payload.write(s, headers, s.length - headers);
        }
        assertThat(payload.toByteArray()).as("reassembled payload").isEqualTo(Arrays.copyOfRange(frame, headers, frame.length));
    }

    private static void checkIp(final byte[] s, final int l3, final int l4, final int version, final int i) {
        if (version == 4) {
            assertThat(u16(s, l3 + 2)).as("IPv4 total length").isEqualTo(s.length - l3);
            assertThat(u16(s, l3 + 4)).as("IP ID").isEqualTo((TestFrames.IP_ID + i) & 0xFFFF);
            assertThat(TestFrames.ipv4HeaderSum(s, l3)).as("IPv4 header checksum").isEqualTo(0xFFFF);
        } else {
            assertThat(u16(s, l3 + 4)).as("IPv6 payload length").isEqualTo(s.length - l4);
        }
    }
}
