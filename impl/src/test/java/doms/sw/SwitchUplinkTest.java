package doms.sw;

import static doms.sw.SwitchForwardingTest.A;
import static doms.sw.SwitchForwardingTest.B;
import static doms.sw.SwitchForwardingTest.C;
import static doms.sw.SwitchRig.drain;
import static doms.sw.SwitchRig.frame;
import static doms.sw.SwitchRig.marks;
import static doms.sw.SwitchRig.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import doms.guest.GuestPort;
import doms.net.EthernetFrame;
import doms.net.PcapWriter;
import doms.net.TestFrames;
import doms.net.VirtioNetHeader;
import doms.net.Vxlan;
import doms.pool.Mac;
import doms.pool.SwitchStatus;
import doms.ring.RingResult;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch's VXLAN uplink on loopback, with a {@link DatagramChannel} as the remote host: A and
 * B are tenant 1 (VNI 101), C is tenant 2 (VNI 202), tenant 3 (VNI 303) has no guest here. A
 * datagram sent on loopback is in the receiver's queue when the send returns; the tests still
 * wait for what they expect (bounded, never a sleep), and show that something did not arrive
 * by a marker sent after it that did.
 */
class SwitchUplinkTest {
    static final long R = Mac.parse("02:00:00:00:0f:01"); // a host behind the remote
    static final int VNI_1 = 101;
    static final int VNI_2 = 202;
    static final int VNI_3 = 303;
    static final long SEEN_FOR_EVER = 300_000_000_000L;

    private SwitchRig rig;
    private GuestPort a;
    private GuestPort b;
    private GuestPort c;
    private DatagramChannel remote;
    private VxlanUplink uplink;
    private final ByteBuffer buffer = ByteBuffer.allocate(65536);

    @BeforeEach
    void setUp() throws IOException {
        rig = new SwitchRig(3, 64);
        a = rig.assign(0, A, 1);
        b = rig.assign(1, B, 1);
        c = rig.assign(2, C, 2);
        remote = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        remote.configureBlocking(false);
    }

    @AfterEach
    void tearDown() throws IOException {
        remote.close();
        rig.close();
    }

    private VxlanUplink plugIn(final Map<Integer, Integer> vnis, final long agingNanos, final InetSocketAddress... remotes) throws IOException {
        uplink = VxlanUplink.open(new VxlanUplink.Config(new InetSocketAddress("127.0.0.1", 0), List.of(remotes), vnis, agingNanos),
                SwitchRig.MAX_FRAME);
        rig.sw.uplink(uplink);
        return uplink;
    }

    private VxlanUplink plugIn(final long agingNanos) throws IOException {
        return plugIn(Map.of(1, VNI_1, 2, VNI_2, 3, VNI_3), agingNanos, (InetSocketAddress) remote.getLocalAddress());
    }

    static byte[] datagram(final int vni, final MemorySegment frame) {
        final byte[] packet = new byte[Vxlan.HEADER_LENGTH + (int) frame.byteSize()];
        final MemorySegment p = MemorySegment.ofArray(packet);
        Vxlan.writeHeader(p, 0, vni);
        MemorySegment.copy(frame, 0, p, Vxlan.HEADER_LENGTH, frame.byteSize());
        return packet;
    }

    /** Sends a datagram to the uplink and runs rounds until the switch has taken it from its socket. */
    private void deliver(final DatagramChannel from, final byte[] packet) throws IOException {
        final long before = uplink.datagramsIn();
        from.send(ByteBuffer.wrap(packet), uplink.localAddress());
        until("the switch took the datagram", () -> uplink.datagramsIn() > before);
        rig.sw.round(); // and published what it delivered
    }

    private void until(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            rig.sw.round();
        }
    }

    /** The next datagram that reaches {@code at}: VNI and inner frame. */
    private byte[] next(final DatagramChannel at) {
        final byte[][] got = new byte[1][];
        until("a datagram at the remote", () -> {
            buffer.clear();
            try {
                if (at.receive(buffer) == null) {
                    return false;
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            buffer.flip();
            got[0] = new byte[buffer.remaining()];
            buffer.get(got[0]);
            return true;
        });
        return got[0];
    }

    static int vni(final byte[] packet) {
        return Vxlan.vni(MemorySegment.ofArray(packet), 0, packet.length);
    }

    static byte[] inner(final byte[] packet) {
        return Arrays.copyOfRange(packet, Vxlan.HEADER_LENGTH, packet.length);
    }

    static int mark(final byte[] packet) {
        return packet[packet.length - 1] & 0xFF;
    }

    @Test
    void aFloodAlsoLeavesThroughTheUplinkWithTheTenantsVni() throws IOException {
        plugIn(SEEN_FOR_EVER);
        final MemorySegment sent = frame(Mac.BROADCAST, A, 80, 1);
        send(a, sent);
        rig.settle();
        final byte[] packet = next(remote);
        assertThat(vni(packet)).isEqualTo(VNI_1);
        assertThat(inner(packet)).isEqualTo(sent.toArray(ValueLayout.JAVA_BYTE));
        assertThat(marks(b)).containsExactly(1);
        assertThat(drain(c)).isEmpty();
        assertThat(uplink.framesOut()).isEqualTo(1);
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.FRAMES_OUT)).isEqualTo(1);

        send(c, Mac.BROADCAST, C, 2);
        rig.settle();
        assertThat(vni(next(remote))).isEqualTo(VNI_2);
        assertThat(drain(a)).isEmpty();
    }

    @Test
    void aUdpSuperFrameTooBigForTheUplinkAndForAGuestIsCountedByBoth() throws IOException {
        plugIn(SEEN_FOR_EVER);
        final byte[] header = TestFrames.header(1, VirtioNetHeader.GSO_UDP_L4, 42, SwitchRig.MAX_FRAME, 34, 6);
        final byte[] frame = TestFrames.udp(4, false, 1000);
        final MemorySegment record = Arena.ofAuto().allocate(header.length + frame.length);
        MemorySegment.copy(header, 0, record, ValueLayout.JAVA_BYTE, 0, header.length);
        MemorySegment.copy(frame, 0, record, ValueLayout.JAVA_BYTE, header.length, frame.length);
        EthernetFrame.writeHeader(record, header.length, Mac.BROADCAST, A, 0x0800);
        assertThat(a.sendOffloadedDeferred(record, 0, (int) record.byteSize())).isEqualTo(RingResult.OK);
        a.flush();
        rig.settle();
        assertThat(uplink.dropsTooBig()).isEqualTo(1);
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_TOO_BIG)).isEqualTo(1);
        assertThat(rig.port(1).dropsTooBig()).isEqualTo(1);
        assertThat(rig.status.opaqueCounter(1, SwitchStatus.SlotCounter.DROPS_TOO_BIG)).isEqualTo(1);
        assertThat(uplink.framesOut()).isZero();
        assertThat(drain(b)).isEmpty();
        assertThat(remote.receive(buffer)).as("nothing reached the remote host").isNull();
    }

    /** A TCP super-frame (1,400 bytes cut at 500) flooded: what the remote host and B (no offloads) get. */
    private List<byte[]> floodSuperFrame() {
        final byte[] header = TestFrames.header(1, VirtioNetHeader.GSO_TCPV4, 54, 500, 34, 16);
        final byte[] frame = TestFrames.tcp(4, false, 0, 0, 1400, 0x18);
        final MemorySegment record = Arena.ofAuto().allocate(header.length + frame.length);
        MemorySegment.copy(header, 0, record, ValueLayout.JAVA_BYTE, 0, header.length);
        MemorySegment.copy(frame, 0, record, ValueLayout.JAVA_BYTE, header.length, frame.length);
        EthernetFrame.writeHeader(record, header.length, Mac.BROADCAST, A, 0x0800);
        assertThat(a.sendOffloadedDeferred(record, 0, (int) record.byteSize())).isEqualTo(RingResult.OK);
        a.flush();
        rig.settle();
        final List<byte[]> atB = drain(b);
        assertThat(atB).extracting(f -> f.length).containsExactly(54 + 500, 54 + 500, 54 + 400);
        return atB;
    }

    @Test
    void aSuperFramesSegmentsLeaveTheUplinkAsTheDatagramsAGuestGetsInOneSend() throws IOException {
        plugIn(SEEN_FOR_EVER);
        final List<byte[]> atB = floodSuperFrame();
        for (final byte[] segment : atB) {
            final byte[] packet = next(remote);
            assertThat(Vxlan.vni(MemorySegment.ofArray(packet), 0, packet.length)).isEqualTo(VNI_1);
            assertThat(inner(packet)).isEqualTo(segment);
        }
        assertThat(remote.receive(buffer)).isNull();
        assertThat(uplink.segmentOffload()).as("the kernel took UDP_SEGMENT").isTrue();
        assertThat(uplink.framesOut()).isEqualTo(3);
    }

    @Test
    void withoutUdpSegmentTheSameDatagramsLeaveOneByOne() throws IOException {
        plugIn(SEEN_FOR_EVER);
        uplink.segmentOffload(false);
        final List<byte[]> atB = floodSuperFrame();
        for (final byte[] segment : atB) {
            assertThat(inner(next(remote))).isEqualTo(segment);
        }
        assertThat(remote.receive(buffer)).isNull();
        assertThat(uplink.framesOut()).isEqualTo(3);
    }

    @Test
    void aTenantWithoutAVniStaysLocal() throws IOException {
        plugIn(Map.of(1, VNI_1), SEEN_FOR_EVER, (InetSocketAddress) remote.getLocalAddress());
        send(c, Mac.BROADCAST, C, 1);
        send(c, R, C, 2); // unknown unicast floods, but not out of the uplink either
        rig.settle();
        send(a, Mac.BROADCAST, A, 3);
        rig.settle();
        final byte[] first = next(remote);
        assertThat(vni(first)).isEqualTo(VNI_1);
        assertThat(mark(first)).isEqualTo(3);
        assertThat(uplink.framesOut()).isEqualTo(1);
        assertThat(uplink.vni(2)).isEqualTo(-1);
        assertThat(uplink.floods(2)).isFalse();
        assertThat(uplink.floods(1)).isTrue();
    }

    @Test
    void withoutAVniMapTheVniIsTheTenantNumberWhenItFits() throws IOException {
        final VxlanUplink up = plugIn(Map.of(), SEEN_FOR_EVER, (InetSocketAddress) remote.getLocalAddress());
        assertThat(up.vni(0)).isZero();
        assertThat(up.vni(Vxlan.MAX_VNI)).isEqualTo(Vxlan.MAX_VNI);
        assertThat(up.vni(Vxlan.MAX_VNI + 1)).isEqualTo(-1);
        assertThat(up.vni(-1)).isEqualTo(-1);
        send(a, Mac.BROADCAST, A, 1);
        rig.settle();
        assertThat(vni(next(remote))).isEqualTo(1);
        deliver(remote, datagram(2, frame(C, R, 64, 2)));
        assertThat(marks(c)).containsExactly(2);
    }

    @Test
    void aRemoteFrameReachesItsGuestAndItsSourceIsLearnedBehindTheRemote() throws IOException {
        plugIn(SEEN_FOR_EVER);
        final MemorySegment in = frame(A, R, 90, 1);
        deliver(remote, datagram(VNI_1, in));
        final var atA = drain(a);
        assertThat(atA).hasSize(1);
        assertThat(atA.get(0)).isEqualTo(in.toArray(ValueLayout.JAVA_BYTE));
        assertThat(drain(b)).isEmpty();
        assertThat(drain(c)).isEmpty();
        assertThat(uplink.framesIn()).isEqualTo(1);
        assertThat(uplink.learned()).isEqualTo(1);
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.FRAMES_IN)).isEqualTo(1);
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.LEARNED)).isEqualTo(1);
        assertThat(rig.port(0).framesOut()).isEqualTo(1);

        // A's reply goes to the remote alone, not flooded to B.
        send(a, R, A, 2);
        rig.settle();
        final byte[] reply = next(remote);
        assertThat(vni(reply)).isEqualTo(VNI_1);
        assertThat(mark(reply)).isEqualTo(2);
        assertThat(drain(b)).isEmpty();
        assertThat(uplink.framesOut()).isEqualTo(1);

        // R is learned in tenant 1 only: C's frame to R's address floods in tenant 2 (out of the uplink too).
        send(c, R, C, 3);
        rig.settle();
        assertThat(vni(next(remote))).isEqualTo(VNI_2);
    }

    @Test
    void aFrameFromTheUplinkIsFloodedToTheTenantButNeverBackToTheUplink() throws IOException {
        plugIn(SEEN_FOR_EVER);
        deliver(remote, datagram(VNI_1, frame(Mac.BROADCAST, R, 64, 1)));
        deliver(remote, datagram(VNI_1, frame(Mac.parse("02:00:00:00:01:77"), R, 64, 2))); // unknown here
        assertThat(marks(a)).containsExactly(1, 2);
        assertThat(marks(b)).containsExactly(1, 2);
        assertThat(drain(c)).isEmpty();
        send(b, Mac.BROADCAST, B, 3); // the marker: the first thing the remote gets
        rig.settle();
        assertThat(mark(next(remote))).isEqualTo(3);
        assertThat(uplink.framesOut()).isEqualTo(1);
    }

    @Test
    void aRemoteIsAnsweredAtItsVxlanPortNotAtTheSourcePortItSentFrom() throws IOException {
        plugIn(SEEN_FOR_EVER);
        try (DatagramChannel hashed = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            hashed.configureBlocking(false);
            deliver(hashed, datagram(VNI_1, frame(A, R, 64, 1)));
            assertThat(marks(a)).containsExactly(1);
            send(a, R, A, 2);
            rig.settle();
            assertThat(mark(next(remote))).isEqualTo(2);
            buffer.clear();
            assertThat(hashed.receive(buffer)).isNull();
        }
    }

    @Test
    void anUnconfiguredHostIsAnsweredAtTheUplinksOwnPort() throws IOException {
        // The host at 127.0.0.2 listens at port P, the uplink at 127.0.0.1:P.
        try (DatagramChannel host = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.2", 0));
             DatagramChannel sender = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.2", 0))) {
            host.configureBlocking(false);
            final int port = ((InetSocketAddress) host.getLocalAddress()).getPort();
            uplink = VxlanUplink.open(new VxlanUplink.Config(new InetSocketAddress("127.0.0.1", port),
                    List.of((InetSocketAddress) remote.getLocalAddress()), Map.of(1, VNI_1), SEEN_FOR_EVER), SwitchRig.MAX_FRAME);
            rig.sw.uplink(uplink);
            deliver(sender, datagram(VNI_1, frame(A, R, 64, 1)));
            assertThat(marks(a)).containsExactly(1);
            send(a, R, A, 2);
            rig.settle();
            final byte[] reply = next(host);
            assertThat(mark(reply)).isEqualTo(2);
        }
    }

    @Test
    void whatTheNetworkGetsWrongIsDroppedAndCountedAndLearnsNothing() throws IOException {
        plugIn(SEEN_FOR_EVER);
        deliver(remote, new byte[5]);                                                   // shorter than a VXLAN header
        final byte[] noFlag = datagram(VNI_1, frame(A, R, 64, 1));
        noFlag[0] = 0;
        deliver(remote, noFlag);                                                        // no VNI flag
        deliver(remote, datagram(VNI_1, frame(A, R, 13, 1)));                            // inner frame too short
        deliver(remote, datagram(VNI_1, frame(A, R, SwitchRig.MAX_FRAME + 1, 1)));        // inner frame too long
        deliver(remote, datagram(VNI_1, frame(A, Mac.BROADCAST, 64, 1)));                // group source
        deliver(remote, datagram(VNI_1, frame(A, Mac.parse("03:00:00:00:00:01"), 64, 1)));// multicast source
        assertThat(uplink.dropsMalformed()).isEqualTo(6);
        deliver(remote, datagram(999, frame(A, R, 64, 1)));                             // a VNI nobody has
        deliver(remote, datagram(VNI_3, frame(A, R, 64, 1)));                           // a tenant with no guest here
        assertThat(uplink.dropsUnknownVni()).isEqualTo(2);
        deliver(remote, datagram(VNI_1, frame(A, B, 64, 1)));                           // a local guest's address
        assertThat(uplink.dropsSpoofed()).isEqualTo(1);
        assertThat(uplink.datagramsIn()).isEqualTo(9);
        assertThat(uplink.framesIn()).isEqualTo(4); // decapsulated, then refused by the switch: group sources, tenant 3, spoofed
        assertThat(uplink.learned()).isZero();
        assertThat(drain(a)).isEmpty();
        assertThat(drain(b)).isEmpty();
        assertThat(drain(c)).isEmpty();
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_MALFORMED)).isEqualTo(6);
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_UNKNOWN_VNI)).isEqualTo(2);
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_SPOOFED)).isEqualTo(1);
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.FRAMES_IN)).isEqualTo(4);

        // The edges that are fine: a bare Ethernet header, and a frame of exactly the maximum.
        deliver(remote, datagram(VNI_1, frame(A, R, EthernetFrame.HEADER_LENGTH, 1)));
        deliver(remote, datagram(VNI_1, frame(A, R, SwitchRig.MAX_FRAME, 2)));
        final var atA = drain(a);
        assertThat(atA).extracting(f -> f.length).containsExactly(EthernetFrame.HEADER_LENGTH, SwitchRig.MAX_FRAME);
        assertThat(uplink.dropsMalformed()).isEqualTo(6);
        assertThat(uplink.learned()).isEqualTo(1);
    }

    @Test
    void aLearnedAddressAgesOutAndItsUnicastFloodsAgain() throws IOException {
        plugIn(1); // one nanosecond: old before the next lookup
        deliver(remote, datagram(VNI_1, frame(A, R, 64, 1)));
        assertThat(marks(a)).containsExactly(1);
        assertThat(uplink.learned()).isEqualTo(1);
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.LEARNED)).isEqualTo(1);
        send(a, R, A, 2);
        rig.settle();
        assertThat(marks(b)).containsExactly(2); // flooded: R is forgotten
        assertThat(mark(next(remote))).isEqualTo(2);
        assertThat(uplink.learned()).isZero();

        // Forgotten at a discovery round as well, without any lookup; the status follows.
        deliver(remote, datagram(VNI_1, frame(A, R, 64, 3)));
        assertThat(uplink.learned()).isEqualTo(1);
        for (int i = 0; i < Switch.DISCOVERY_EVERY; i++) {
            rig.sw.round();
        }
        assertThat(uplink.learned()).isZero();
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.LEARNED)).isZero();
    }

    @Test
    void aLearnedAddressIsKeptWithinTheAgingTime() throws IOException {
        plugIn(SEEN_FOR_EVER);
        deliver(remote, datagram(VNI_1, frame(A, R, 64, 1)));
        for (int i = 0; i < 2 * Switch.DISCOVERY_EVERY; i++) {
            rig.sw.round();
        }
        assertThat(uplink.learned()).isEqualTo(1);
        assertThat(uplink.lookup(1, R)).isEqualTo(remote.getLocalAddress());
        assertThat(uplink.lookup(2, R)).isNull();
    }

    @Test
    void eachPollTakesAtMostTheBudget() throws IOException {
        plugIn(SEEN_FOR_EVER);
        rig.sw.uplink(null); // the test polls it itself
        for (int i = 0; i < 5; i++) {
            remote.send(ByteBuffer.wrap(datagram(VNI_1, frame(A, R, 64, i))), uplink.localAddress());
        }
        final List<Integer> taken = new ArrayList<>();
        final List<Integer> marks = new ArrayList<>();
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (uplink.datagramsIn() < 5) {
            assertThat(System.nanoTime() - deadline).isNegative();
            final int n = uplink.poll((tenant, from, frame, at, length) -> marks.add(frame.get(ValueLayout.JAVA_BYTE, at + length - 1) & 0xFF), 2);
            if (n > 0) {
                taken.add(n);
            }
        }
        assertThat(taken).allSatisfy(n -> assertThat(n).isBetween(1, 2));
        assertThat(marks).containsExactly(0, 1, 2, 3, 4);
        assertThat(uplink.poll((tenant, from, frame, at, length) -> { }, 2)).isZero();
        uplink.close();
    }

    @Test
    void aSendTheKernelRefusesIsCountedAndTheSwitchGoesOn() throws IOException {
        // Broadcast without SO_BROADCAST: every send fails with EACCES.
        plugIn(Map.of(1, VNI_1), SEEN_FOR_EVER, new InetSocketAddress("255.255.255.255", 4789));
        send(a, Mac.BROADCAST, A, 1);
        rig.settle();
        assertThat(marks(b)).containsExactly(1);
        assertThat(uplink.framesOut()).isZero();
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.SOCKET_ERRORS)).isEqualTo(1);
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.FRAMES_OUT)).isZero();
        send(a, B, A, 2);
        rig.settle();
        assertThat(marks(b)).containsExactly(2);
    }

    @Test
    void aClosedSocketIsCountedAtEveryPollAndNeverEndsTheRound() throws IOException {
        plugIn(SEEN_FOR_EVER);
        uplink.close();
        send(a, B, A, 1);
        assertThat(rig.sw.round()).isEqualTo(1 + rig.budget); // every receive failed
        assertThat(marks(b)).containsExactly(1);
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.SOCKET_ERRORS)).isEqualTo(rig.budget);
        assertThatThrownBy(uplink::localAddress).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void aCaptureOfTheUplinkHoldsWhatLeavesAndWhatArrives(@TempDir final Path tmp) throws IOException {
        plugIn(SEEN_FOR_EVER);
        final Path file = tmp.resolve("uplink.pcap");
        rig.sw.capture(Capture.UPLINK, PcapWriter.open(file));
        send(a, Mac.BROADCAST, A, 1);                           // flooded out: 1
        rig.settle();
        deliver(remote, datagram(VNI_1, frame(A, R, 64, 2)));   // in: 2
        send(a, R, A, 3);                                       // to the learned host: 3
        send(a, B, A, 4);                                       // local: not captured
        rig.settle();
        assertThat(mark(next(remote))).isEqualTo(1);
        assertThat(mark(next(remote))).isEqualTo(3);
        assertThat(PcapWriter.count(file)).isEqualTo(3);
    }

    @Test
    void aCaptureWithACountTakesThatManyFramesAndTheSwitchForwardsTheRest(@TempDir final Path tmp) throws IOException {
        plugIn(SEEN_FOR_EVER);
        final Path file = tmp.resolve("uplink.pcap");
        final List<String> log = new ArrayList<>();
        rig.sw.log(log::add);
        rig.sw.capture(Capture.UPLINK, PcapWriter.open(file), 2);
        for (int i = 1; i <= 4; i++) {
            send(a, Mac.BROADCAST, A, i);
            rig.settle();
        }
        for (int i = 1; i <= 4; i++) {
            assertThat(mark(next(remote))).isEqualTo(i);
        }
        assertThat(SwitchRig.pcapFrames(file)).hasSize(2);
        assertThat(log).containsExactly("doms switch: capture of port uplink has its 2 frames and takes no more");
        assertThatThrownBy(() -> rig.sw.capture(Capture.UPLINK, PcapWriter.open(file), 0)).isInstanceOf(IllegalArgumentException.class);
        rig.sw.capture(Capture.UPLINK, PcapWriter.open(file), 1); // the least count there is
    }

    @Test
    void anOffloadedRecordLeavesThroughTheUplinkAsItsPlainFrameAndIsCapturedSo(@TempDir final Path tmp) throws IOException {
        plugIn(SEEN_FOR_EVER);
        rig.sw.capture(Capture.UPLINK, PcapWriter.open(tmp.resolve("uplink.pcap")));
        final MemorySegment sent = frame(Mac.BROADCAST, A, 64, 6);
        final MemorySegment record = SwitchRig.offloaded(sent);
        assertThat(a.sendOffloadedDeferred(record, 0, (int) record.byteSize())).isEqualTo(RingResult.OK);
        a.flush();
        rig.settle();
        final byte[] plain = sent.toArray(ValueLayout.JAVA_BYTE);
        assertThat(inner(next(remote))).isEqualTo(plain);
        assertThat(SwitchRig.pcapFrames(tmp.resolve("uplink.pcap"))).singleElement().isEqualTo(plain);
        assertThat(marks(b)).containsExactly(6);
        assertThat(uplink.framesOut()).isEqualTo(1);
    }

    @Test
    void closingTheSwitchClosesItsUplink() throws IOException {
        plugIn(SEEN_FOR_EVER);
        rig.sw.close();
        assertThatThrownBy(uplink::localAddress).isInstanceOf(ClosedChannelException.class);
        rig.sw = rig.boot();
    }

    @Test
    void aConfigurationThatCannotWorkIsRefused() throws IOException {
        final InetSocketAddress local = new InetSocketAddress("127.0.0.1", 0);
        final InetSocketAddress here = (InetSocketAddress) remote.getLocalAddress();
        assertThatThrownBy(() -> new VxlanUplink.Config(local, List.of(new InetSocketAddress("::1", 4789)), Map.of(), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("family");
        assertThatThrownBy(() -> new VxlanUplink.Config(local, List.of(here), Map.of(1, -1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> new VxlanUplink.Config(local, List.of(here), Map.of(1, Vxlan.MAX_VNI + 1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThatThrownBy(() -> new VxlanUplink.Config(local, List.of(here), Map.of(1, 7, 2, 7), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two tenants");
        final VxlanUplink.Config edges = new VxlanUplink.Config(local, List.of(here), Map.of(1, 0, 2, Vxlan.MAX_VNI), 1);
        assertThat(edges.vniByTenant()).containsEntry(2, Vxlan.MAX_VNI);
        // An address that is not local cannot be bound.
        assertThatThrownBy(() -> VxlanUplink.open(new VxlanUplink.Config(new InetSocketAddress("192.0.2.1", 0), List.of(), Map.of(), 1),
                SwitchRig.MAX_FRAME)).isInstanceOf(IOException.class);
    }

    @Test
    void anIpv6UplinkWorksLikeAnIpv4One() throws IOException {
        final DatagramChannel opened;
        try {
            opened = DatagramChannel.open(java.net.StandardProtocolFamily.INET6).bind(new InetSocketAddress("::1", 0));
        } catch (IOException | UnsupportedOperationException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e);
            return;
        }
        try (DatagramChannel remote6 = opened) {
            remote6.configureBlocking(false);
            uplink = VxlanUplink.open(new VxlanUplink.Config(new InetSocketAddress("::1", 0),
                    List.of((InetSocketAddress) remote6.getLocalAddress()), Map.of(1, VNI_1), SEEN_FOR_EVER), SwitchRig.MAX_FRAME);
            rig.sw.uplink(uplink);
            assertThat(uplink.localAddress().getAddress()).isInstanceOf(java.net.Inet6Address.class);
            send(a, Mac.BROADCAST, A, 1);
            rig.settle();
            assertThat(vni(next(remote6))).isEqualTo(VNI_1);
        }
    }

    @Test
    void vniZeroAndTenantZeroAreOrdinaryOnes() throws IOException {
        try (SwitchRig zero = new SwitchRig(2, 64)) {
            final GuestPort x = zero.assign(0, A, 0);
            final GuestPort y = zero.assign(1, B, 1);
            uplink = VxlanUplink.open(new VxlanUplink.Config(new InetSocketAddress("127.0.0.1", 0),
                    List.of((InetSocketAddress) remote.getLocalAddress()), Map.of(0, 5, 1, 0), SEEN_FOR_EVER), SwitchRig.MAX_FRAME);
            zero.sw.uplink(uplink);
            rig.sw.uplink(null);
            final SwitchRig mine = rig;
            rig = zero;
            try {
                assertThat(uplink.floods(1)).isTrue();
                send(y, Mac.BROADCAST, B, 1);      // tenant 1 is VNI 0
                zero.settle();
                assertThat(vni(next(remote))).isZero();
                deliver(remote, datagram(0, frame(B, R, 64, 2)));
                assertThat(marks(y)).containsExactly(2);
                send(y, R, B, 3);                  // to the learned host, on VNI 0
                zero.settle();
                final byte[] reply = next(remote);
                assertThat(vni(reply)).isZero();
                assertThat(mark(reply)).isEqualTo(3);
                deliver(remote, datagram(5, frame(A, R, 64, 4))); // VNI 5 is tenant 0
                assertThat(marks(x)).containsExactly(4);
                assertThat(uplink.dropsMalformed()).isZero();
                assertThat(uplink.dropsUnknownVni()).isZero();
            } finally {
                rig = mine;
            }
        }
    }

    @Test
    void withoutRemotesNothingIsFloodedOutNorCapturedAsIfItWere(@TempDir final Path tmp) throws IOException {
        plugIn(Map.of(1, VNI_1), SEEN_FOR_EVER);
        final Path file = tmp.resolve("uplink.pcap");
        rig.sw.capture(Capture.UPLINK, PcapWriter.open(file));
        assertThat(uplink.floods(1)).isFalse();
        send(a, Mac.BROADCAST, A, 1);
        rig.settle();
        assertThat(marks(b)).containsExactly(1);
        assertThat(uplink.framesOut()).isZero();
        assertThat(PcapWriter.count(file)).isZero();
        deliver(remote, datagram(VNI_1, frame(A, R, 64, 2))); // a host may still talk to us
        assertThat(marks(a)).containsExactly(2);
        assertThat(PcapWriter.count(file)).isEqualTo(1);
    }

    @Test
    void theUplinkCountersArePublishedInEveryRoundThatChangedThem() throws IOException {
        final InetSocketAddress refusing = new InetSocketAddress("255.255.255.255", 4789);
        plugIn(Map.of(1, VNI_1), SEEN_FOR_EVER, (InetSocketAddress) remote.getLocalAddress(), refusing);
        // Each flood: one frame out and one socket error, in one round.
        for (int i = 1; i <= 2; i++) {
            send(a, Mac.BROADCAST, A, i);
            rig.sw.round();
            assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.FRAMES_OUT)).isEqualTo(i);
            assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.SOCKET_ERRORS)).isEqualTo(i);
        }
        uplink.close();

        // One malformed datagram in and one frame out, in one round.
        plugIn(Map.of(1, VNI_1), SEEN_FOR_EVER, (InetSocketAddress) remote.getLocalAddress());
        send(a, Mac.BROADCAST, A, 3);
        rig.sw.round();
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.FRAMES_OUT)).isEqualTo(1);
        final long before = uplink.datagramsIn();
        remote.send(ByteBuffer.wrap(new byte[3]), uplink.localAddress());
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (uplink.datagramsIn() == before) {
            assertThat(System.nanoTime() - deadline).isNegative();
            send(a, Mac.BROADCAST, A, 4);
            rig.sw.round();
        }
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_MALFORMED)).isEqualTo(1);
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.FRAMES_OUT)).isEqualTo(uplink.framesOut());
        assertThat(rig.status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.SOCKET_ERRORS)).isZero();
    }

    /** Sockets this process has open. */
    static long sockets() throws IOException {
        try (var fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void anUplinkThatCannotBindLeavesNoSocketBehind() throws IOException {
        final long before = sockets();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> VxlanUplink.open(new VxlanUplink.Config(new InetSocketAddress("192.0.2.1", 0), List.of(), Map.of(), 1),
                    SwitchRig.MAX_FRAME)).isInstanceOf(IOException.class);
        }
        assertThat(sockets()).isEqualTo(before);
    }
}
