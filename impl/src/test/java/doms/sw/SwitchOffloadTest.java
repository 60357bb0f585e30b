package doms.sw;

import static doms.sw.SwitchForwardingTest.A;
import static doms.sw.SwitchForwardingTest.B;
import static org.assertj.core.api.Assertions.assertThat;

import doms.guest.GuestPort;
import doms.net.EthernetFrame;
import doms.net.PcapWriter;
import doms.net.TestFrames;
import doms.net.VirtioNetHeader;
import doms.pool.SlotDescriptor;
import doms.ring.RingResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offloaded records (a virtio-net header and its frame) through a real switch: validated,
 * checked like any frame, then delivered as each guest takes them (unchanged to one that
 * announced it accepts offloads, as plain wire frames to one that did not). The frames and
 * their checks come from {@link TestFrames}, written apart from the segmenter.
 */
class SwitchOffloadTest {
    /** Headers of an untagged IPv4 TCP frame: Ethernet 14, IPv4 20, TCP 20. */
    private static final int HEADERS = 54;

    private SwitchRig rig;
    private GuestPort a;
    private GuestPort b;

    @BeforeEach
    void setUp() throws Exception {
        rig = new SwitchRig(2, 64);
        a = rig.assign(0, A, 1);
        b = rig.assign(1, B, 1);
    }

    @AfterEach
    void tearDown() throws Exception {
        rig.close();
    }

    /** Header and frame from A to B, as one record of type TYPE_VNET_FRAME. */
    private static byte[] record(final byte[] header, final byte[] frame) {
        final byte[] r = new byte[header.length + frame.length];
        System.arraycopy(header, 0, r, 0, header.length);
        System.arraycopy(frame, 0, r, header.length, frame.length);
        MemorySegment.ofArray(r).asSlice(header.length, 12).copyFrom(MemorySegment.ofArray(new byte[] {
            0x02, 0, 0, 0, 0x01, 0x0b, 0x02, 0, 0, 0, 0x01, 0x0a})); // destination B, source A
        return r;
    }

    private void send(final byte[] record) {
        final MemorySegment native_ = java.lang.foreign.Arena.ofAuto().allocate(record.length);
        native_.copyFrom(MemorySegment.ofArray(record));
        assertThat(a.sendOffloadedDeferred(native_, 0, record.length)).isEqualTo(RingResult.OK);
        a.flush();
        rig.settle();
    }

    private record Received(int type, byte[] bytes) {
    }

    private List<Received> receivedByB() {
        final List<Received> got = new ArrayList<>();
        assertThat(b.receive((type, buffer, offset, length) -> got.add(new Received(type, buffer.asSlice(offset, length)
                .toArray(ValueLayout.JAVA_BYTE))), Integer.MAX_VALUE)).isNotNegative();
        return got;
    }

    @Test
    void aSuperFrameReachesAGuestWithoutOffloadsAsSegmentsWithChecksumsAndSequenceNumbers() {
        final byte[] frame = TestFrames.tcp(4, false, 0, 0, 1400, 0x18);
        final byte[] sent = record(TestFrames.header(1, VirtioNetHeader.GSO_TCPV4, HEADERS, 500, 34, 16), frame);
        send(sent);
        final List<Received> got = receivedByB();
        assertThat(got).extracting(Received::type).containsOnly(SlotDescriptor.TYPE_FRAME);
        assertThat(got).extracting(r -> r.bytes().length).containsExactly(HEADERS + 500, HEADERS + 500, HEADERS + 400);
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int i = 0; i < got.size(); i++) {
            final byte[] s = got.get(i).bytes();
            assertThat(Arrays.copyOf(s, 12)).as("addresses").isEqualTo(Arrays.copyOfRange(sent, 10, 22));
            assertThat(TestFrames.ipv4HeaderSum(s, 14)).as("IPv4 header checksum").isEqualTo(0xFFFF);
            assertThat(TestFrames.u16(s, 16)).as("IPv4 total length").isEqualTo(s.length - 14);
            assertThat(TestFrames.l4Sum(s, 14, 34, 6)).as("TCP checksum of segment " + i).isEqualTo(0xFFFF);
            assertThat(TestFrames.u32(s, 38)).as("sequence").isEqualTo((TestFrames.SEQ + 500L * i) & 0xFFFF_FFFFL);
            payload.write(s, HEADERS, s.length - HEADERS);
        }
        assertThat(payload.toByteArray()).isEqualTo(Arrays.copyOfRange(frame, HEADERS, frame.length));
        assertThat(rig.port(1).framesOut).isEqualTo(3);
        assertThat(rig.port(0).dropsMalformed).isZero();
    }

    @Test
    void aGuestThatAcceptsOffloadsGetsTheRecordUnchanged() {
        b.acceptOffloads();
        final byte[] sent = record(TestFrames.header(1, VirtioNetHeader.GSO_TCPV4, HEADERS, 500, 34, 16), TestFrames.tcp(4, false, 0, 0, 1400, 0x18));
        send(sent);
        final List<Received> got = receivedByB();
        assertThat(got).hasSize(1);
        assertThat(got.getFirst().type()).isEqualTo(SlotDescriptor.TYPE_VNET_FRAME);
        assertThat(got.getFirst().bytes()).isEqualTo(sent);
    }

    @Test
    void aFrameWhoseChecksumIsLeftToCompleteArrivesCompletedAndOtherwiseUnchanged() {
        final byte[] frame = TestFrames.tcp(4, false, 0, 0, 300, 0x18);
        final byte[] sent = record(TestFrames.header(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 34, 16), frame);
        send(sent);
        final List<Received> got = receivedByB();
        assertThat(got).hasSize(1);
        final byte[] f = got.getFirst().bytes();
        assertThat(got.getFirst().type()).isEqualTo(SlotDescriptor.TYPE_FRAME);
        assertThat(TestFrames.l4Sum(f, 14, 34, 6)).isEqualTo(0xFFFF);
        final byte[] expected = Arrays.copyOfRange(sent, 10, sent.length);
        expected[34 + 16] = f[34 + 16];
        expected[34 + 17] = f[34 + 17];
        assertThat(f).as("only the checksum changed").isEqualTo(expected);
    }

    @Test
    void aUdpSuperFrameWhoseDatagramsExceedTheGuestsMaximumFrameIsDroppedForItAndCounted() {
        final int tooBig = SwitchRig.MAX_FRAME; // with its 42 bytes of headers, no datagram of this size fits
        send(record(TestFrames.header(1, VirtioNetHeader.GSO_UDP_L4, 42, tooBig, 34, 6), TestFrames.udp(4, false, 1000)));
        assertThat(receivedByB()).isEmpty();
        assertThat(rig.port(1).dropsTooBig()).isEqualTo(1);
        assertThat(rig.port(1).framesOut).isZero();
        assertThat(rig.port(0).dropsMalformed).as("the record itself is valid").isZero();
        b.acceptOffloads(); // a guest that segments for itself takes it whole
        send(record(TestFrames.header(1, VirtioNetHeader.GSO_UDP_L4, 42, tooBig, 34, 6), TestFrames.udp(4, false, 1000)));
        assertThat(receivedByB()).extracting(Received::type).containsExactly(SlotDescriptor.TYPE_VNET_FRAME);
        assertThat(rig.port(1).dropsTooBig()).isEqualTo(1);
    }

    @Test
    void anOffloadedRecordOfAFourteenByteFrameIsForwardedAndAShorterOneIsMalformed() {
        final MemorySegment smallest = SwitchRig.frame(B, A, EthernetFrame.HEADER_LENGTH, 0);
        send(SwitchRig.offloaded(smallest).toArray(ValueLayout.JAVA_BYTE));
        assertThat(receivedByB()).singleElement().extracting(Received::bytes).isEqualTo(smallest.toArray(ValueLayout.JAVA_BYTE));
        send(SwitchRig.offloaded(SwitchRig.frame(B, A, EthernetFrame.HEADER_LENGTH - 1, 0)).toArray(ValueLayout.JAVA_BYTE));
        assertThat(receivedByB()).isEmpty();
        assertThat(rig.port(0).dropsMalformed).isEqualTo(1);
    }

    @Test
    void aCaptureHoldsAnOffloadedRecordsFrameWithoutItsHeaderOnTheWayInAndOnTheWayOut(@TempDir final Path tmp) throws IOException {
        b.acceptOffloads();
        final MemorySegment in = SwitchRig.frame(B, A, 64, 1);
        rig.sw.capture(0, PcapWriter.open(tmp.resolve("a.pcap")));
        send(SwitchRig.offloaded(in).toArray(ValueLayout.JAVA_BYTE));
        assertThat(SwitchRig.pcapFrames(tmp.resolve("a.pcap"))).singleElement().isEqualTo(in.toArray(ValueLayout.JAVA_BYTE));
        final MemorySegment out = SwitchRig.frame(B, A, 64, 2);
        rig.sw.capture(1, PcapWriter.open(tmp.resolve("b.pcap")));
        send(SwitchRig.offloaded(out).toArray(ValueLayout.JAVA_BYTE));
        assertThat(SwitchRig.pcapFrames(tmp.resolve("b.pcap"))).singleElement().isEqualTo(out.toArray(ValueLayout.JAVA_BYTE));
        assertThat(receivedByB()).extracting(Received::type).containsOnly(SlotDescriptor.TYPE_VNET_FRAME);
    }

    @Test
    void aHeaderThatDisagreesWithItsFrameIsDroppedAndCounted() {
        b.acceptOffloads(); // not even a guest that takes offloads gets it
        send(record(TestFrames.header(1, VirtioNetHeader.GSO_TCPV4, HEADERS, 500, 34, 17), TestFrames.tcp(4, false, 0, 0, 1400, 0x18)));
        send(record(TestFrames.header(1, VirtioNetHeader.GSO_TCPV4, HEADERS - 1, 500, 34, 16), TestFrames.tcp(4, false, 0, 0, 1400, 0x18)));
        assertThat(receivedByB()).isEmpty();
        assertThat(rig.port(0).dropsMalformed).isEqualTo(2);
        assertThat(rig.port(0).quarantined()).isFalse();
    }

    @Test
    void aSpoofedSourceInsideAnOffloadedRecordIsDropped() {
        final byte[] sent = record(TestFrames.header(1, VirtioNetHeader.GSO_TCPV4, HEADERS, 500, 34, 16), TestFrames.tcp(4, false, 0, 0, 1400, 0x18));
        sent[10 + 11] = 0x0c; // source 02:00:00:00:01:0c, not A's binding
        send(sent);
        assertThat(receivedByB()).isEmpty();
        assertThat(rig.port(0).dropsSpoofed).isEqualTo(1);
    }
}
