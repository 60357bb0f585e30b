package doms.sw;

import doms.net.EthernetFrame;
import static org.assertj.core.api.Assertions.assertThat;

import doms.control.ControlPlane;
import doms.control.Isolation;
import doms.guest.DemoFrame;
import doms.guest.GuestPort;
import doms.net.PcapWriter;
import doms.net.Vxlan;
import doms.pool.Mac;
import doms.pool.SwitchStatus;
import doms.shm.SharedFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The switch process with a VXLAN uplink on loopback; this JVM plays two remote tunnel
 * endpoints (127.0.0.2 and 127.0.0.3, as two other hosts) and the guests. Waits are bounded
 * polls of an observable condition; "nothing arrived" is shown by a marker sent afterwards on
 * the same path arriving first.
 */
class UplinkProcessTest {
    static final long A = Mac.parse("02:00:00:00:01:0a");
    static final long X = Mac.parse("02:00:00:00:02:0a");
    static final long R = Mac.parse("02:00:00:00:09:01");
    static final long UNKNOWN = Mac.parse("02:00:00:00:09:99");

    private ControlPlane cp;
    private Vtep one;
    private Vtep two;
    private Path capture;
    private final List<GuestPort> guests = new ArrayList<>();
    private final List<doms.guest.SlotGrant> grants = new ArrayList<>();
    private final MemorySegment frame = Arena.ofAuto().allocate(2048, 8);

    /** A remote tunnel endpoint: a UDP socket speaking VXLAN. */
    static final class Vtep implements AutoCloseable {
        final DatagramChannel channel;
        final ByteBuffer buffer = ByteBuffer.allocateDirect(65536);

        Vtep(final String address) throws Exception {
            channel = DatagramChannel.open().bind(new InetSocketAddress(address, 0));
            channel.configureBlocking(false);
        }

        int port() throws Exception {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }

        /** The next datagram as {vni, inner frame} if one is there now, else null. */
        Object[] poll() throws Exception {
            buffer.clear();
            if (channel.receive(buffer) == null) {
                return null;
            }
            buffer.flip();
            final MemorySegment p = MemorySegment.ofBuffer(buffer);
            final byte[] inner = new byte[buffer.remaining() - Vxlan.HEADER_LENGTH];
            buffer.position(Vxlan.HEADER_LENGTH).get(inner);
            return new Object[] {Vxlan.vni(p, 0, (int) p.byteSize()), inner};
        }

        /** The next datagram as {vni, inner frame}, waiting for it. */
        Object[] next() {
            final Object[][] got = new Object[1][];
            await("a datagram at " + channel, () -> got[0] != null, () -> {
                try {
                    buffer.clear();
                    if (channel.receive(buffer) != null) {
                        buffer.flip();
                        final MemorySegment p = MemorySegment.ofBuffer(buffer);
                        final byte[] inner = new byte[buffer.remaining() - Vxlan.HEADER_LENGTH];
                        buffer.position(Vxlan.HEADER_LENGTH).get(inner);
                        got[0] = new Object[] {Vxlan.vni(p, 0, (int) p.byteSize()), inner};
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            return got[0];
        }

        void send(final InetSocketAddress to, final int vni, final MemorySegment frame, final int length) throws Exception {
            final ByteBuffer out = ByteBuffer.allocateDirect(Vxlan.HEADER_LENGTH + length);
            final MemorySegment o = MemorySegment.ofBuffer(out);
            Vxlan.writeHeader(o, 0, vni);
            MemorySegment.copy(frame, 0, o, Vxlan.HEADER_LENGTH, length);
            channel.send(out, to);
        }

        void sendRaw(final InetSocketAddress to, final byte[] bytes) throws Exception {
            channel.send(ByteBuffer.wrap(bytes), to);
        }

        @Override
        public void close() throws Exception {
            channel.close();
        }
    }

    private InetSocketAddress switchAt;

    @BeforeEach
    void boot() throws Exception {
        boot("300");
    }

    /** A switch whose uplink forgets remote MACs after {@code agingSeconds}. */
    private void boot(final String agingSeconds) throws Exception {
        if (cp != null) {
            cp.close();
        }
        one = one != null ? one : new Vtep("127.0.0.2");
        two = two != null ? two : new Vtep("127.0.0.3");
        final Path dir = SharedFile.DEFAULT_DIRECTORY.resolve("doms-uplink-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        capture = capture != null ? capture : Files.createTempFile("doms-uplink", ".pcap");
        cp = ControlPlane.boot(doms.cli.JavaProcess.DOMS, dir, 4, 4, EthernetFrame.DEFAULT_MAX_FRAME, Isolation.off(), List.of("--poll", "adaptive:50",
                "--vxlan-local", "127.0.0.1:0", "--vxlan-remote", "127.0.0.2:" + one.port(),
                "--vxlan-remote", "127.0.0.3:" + two.port(), "--pcap", "uplink=" + capture, "--mac-aging", agingSeconds));
        // The switch bound an ephemeral port and said which: "ready ports=0 uplink=/127.0.0.1:PORT".
        final String ready = cp.switchReadyLine();
        switchAt = new InetSocketAddress("127.0.0.1", Integer.parseInt(ready.substring(ready.lastIndexOf(':') + 1)));
    }

    @AfterEach
    void shutdown() throws Exception {
        guests.forEach(GuestPort::close);
        grants.forEach(doms.guest.SlotGrant::close);
        cp.close();
        one.close();
        two.close();
        Files.deleteIfExists(capture);
    }

    /** A guest the switch already serves (a frame for it from the uplink would otherwise flood to nobody). */
    private GuestPort guest(final long mac, final int tenant) throws Exception {
        final var assignment = cp.assign(mac, tenant);
        final doms.guest.SlotGrant grant = doms.guest.SlotGrant.request(cp.pool().dir(), assignment.slot());
        grants.add(grant);
        final GuestPort port = GuestPort.attach(grant.memory());
        guests.add(port);
        await("the switch to serve slot " + assignment.slot(),
                () -> cp.status().opaqueServedGeneration(assignment.slot()) == assignment.generation(), () -> { });
        return port;
    }

    private void send(final GuestPort from, final long dst, final long src, final byte kind, final long seq) {
        DemoFrame.write(frame, dst, src, kind, seq, 64);
        await("room in the ring", () -> from.send(frame, 0, 64) == doms.ring.RingResult.OK, () -> { });
    }

    private long nextSeqAt(final GuestPort port) {
        final long[] seq = {-1};
        await("a frame at the guest", () -> seq[0] >= 0, () -> port.receive((t, b, o, l) -> seq[0] = DemoFrame.seq(b, o), 1));
        return seq[0];
    }

    private static long seqOf(final Object[] datagram) {
        return DemoFrame.seq(MemorySegment.ofArray((byte[]) datagram[1]), 0);
    }

    private static void await(final String what, final BooleanSupplier condition, final Runnable step) {
        Waits.await(what, condition, step);
    }

    @Test
    void floodsGoToEveryRemoteInTheTenantsVniAndLearnedUnicastToOne() throws Exception {
        final GuestPort a = guest(A, 1);
        final GuestPort x = guest(X, 2);
        send(a, Mac.BROADCAST, A, DemoFrame.FLOOD, 1);
        for (final Vtep v : List.of(one, two)) {
            final Object[] d = v.next();
            assertThat(d[0]).isEqualTo(1);
            assertThat(seqOf(d)).isEqualTo(1);
        }
        send(x, Mac.BROADCAST, X, DemoFrame.FLOOD, 2);
        assertThat(one.next()[0]).isEqualTo(2); // tenant 2 travels in VNI 2
        assertThat(two.next()[0]).isEqualTo(2);

        // R speaks from the second endpoint: the switch learns it there and delivers to A only.
        DemoFrame.write(frame, A, R, DemoFrame.DATA, 10, 64);
        two.send(switchAt, 1, frame, 64);
        assertThat(nextSeqAt(a)).isEqualTo(10);

        // A's unicast to R now goes to the second endpoint alone; a flood after it reaches both,
        // and at the first endpoint the flood comes first: the unicast never went there.
        send(a, R, A, DemoFrame.DATA, 11);
        send(a, UNKNOWN, A, DemoFrame.DATA, 12);
        assertThat(seqOf(two.next())).isEqualTo(11);
        assertThat(seqOf(two.next())).isEqualTo(12);
        assertThat(seqOf(one.next())).isEqualTo(12);

        // Tenant 2's guest never saw tenant 1's remote frame: its next frame is this VNI 2 one.
        DemoFrame.write(frame, Mac.BROADCAST, R, DemoFrame.FLOOD, 20, 64);
        one.send(switchAt, 2, frame, 64);
        assertThat(nextSeqAt(x)).isEqualTo(20);
        // Six frames crossed the uplink (each once, however many endpoints it went to).
        await("the capture", () -> {
            try {
                return PcapWriter.count(capture) >= 6;
            } catch (Exception e) {
                return false;
            }
        }, () -> { });
        assertThat(PcapWriter.count(capture)).isEqualTo(6);
    }

    @Test
    void aGuestTamperingWithItsSlotWhileTheUplinkFloodsToItStopsNobody() throws Exception {
        final GuestPort a = guest(A, 1);
        guest(R ^ 0x10, 1); // the attacker, in A's tenant: every flood from the uplink is written into its RX ring too
        final doms.guest.SlotGrant attacker = grants.get(1);
        final long length = attacker.grant().length();
        // The crash this replaces: a guest shrank its slot file and the switch faulted writing a flood into it.
        for (final doms.cap.Memfd.Tamper t : List.of(doms.cap.Memfd.Tamper.SHRINK, doms.cap.Memfd.Tamper.GROW, doms.cap.Memfd.Tamper.EXTEND)) {
            assertThat(doms.cap.Memfd.tamper(attacker.memfd(), t, length)).as(t + " is refused by the seals").isEqualTo(1); // EPERM
        }
        // What it may do to its own memory: zero it under the switch, and close its descriptor.
        assertThat(doms.cap.Memfd.tamper(attacker.memfd(), doms.cap.Memfd.Tamper.PUNCH_HOLE, length)).isZero();
        for (int i = 0; i < 100; i++) {
            DemoFrame.write(frame, Mac.BROADCAST, R, DemoFrame.FLOOD, 100 + i, 64);
            two.send(switchAt, 1, frame, 64);
            assertThat(nextSeqAt(a)).isEqualTo(100 + i);
            if (i == 50) {
                attacker.closeMemfd();
            }
        }
        assertThat(cp.switchProcess().isAlive()).isTrue();
        assertThat(cp.restarts()).isEmpty();
        assertThat(cp.status().opaqueCounter(0, SwitchStatus.SlotCounter.QUARANTINED)).as("the honest guest is never blamed").isZero();
    }

    @Test
    void aLearnedAddressIsForgottenAfterTheAgingTimeAndFloodsAgain() throws Exception {
        boot("0.3");
        final GuestPort a = guest(A, 1);
        DemoFrame.write(frame, A, R, DemoFrame.DATA, 1, 64);
        two.send(switchAt, 1, frame, 64);
        assertThat(nextSeqAt(a)).isEqualTo(1);
        // Learned behind the second endpoint: A's unicast to R goes there (or, if this box stalled
        // past the aging time already, floods; either way the second endpoint gets it).
        send(a, R, A, DemoFrame.DATA, 2);
        assertThat(seqOf(two.next())).isEqualTo(2);
        // Keep sending to R until the first endpoint gets one: only a flood reaches it, and R
        // floods again only once the switch forgot it. Paced at 1 ms so the rings stay small.
        final long[] seq = {3};
        final Object[][] atOne = new Object[1][];
        await("a unicast to R to flood again after aging", () -> atOne[0] != null, () -> {
            try {
                send(a, R, A, DemoFrame.DATA, seq[0]++);
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                Object[] d;
                while ((d = one.poll()) != null) {
                    if (EthernetFrame.destination(MemorySegment.ofArray((byte[]) d[1]), 0) == R) {
                        atOne[0] = d;
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        // The round that flooded publishes the table's new size when it ends.
        await("the learned count to drop to 0", () -> cp.status().opaqueUplinkCounter(SwitchStatus.UplinkCounter.LEARNED) == 0, () -> { });
    }

    @Test
    void theUplinkWorksOverIpv6() throws Exception {
        final Vtep six;
        try {
            six = new Vtep("::1");
        } catch (java.io.IOException e) {
            org.junit.jupiter.api.Assumptions.abort("skipped: no IPv6 loopback here (" + e.getMessage() + ")");
            return;
        }
        try (six) {
            cp.close();
            final Path dir = SharedFile.DEFAULT_DIRECTORY.resolve("doms-uplink6-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            cp = ControlPlane.boot(doms.cli.JavaProcess.DOMS, dir, 4, 4, EthernetFrame.DEFAULT_MAX_FRAME, Isolation.off(), List.of("--poll", "adaptive:50",
                    "--vxlan-local", "[::1]:0", "--vxlan-remote", "[::1]:" + six.port()));
            final String ready = cp.switchReadyLine();
            final InetSocketAddress at = new InetSocketAddress("::1", Integer.parseInt(ready.substring(ready.lastIndexOf(':') + 1)));
            final GuestPort a = guest(A, 1);
            send(a, Mac.BROADCAST, A, DemoFrame.FLOOD, 1);
            final Object[] d = six.next();
            assertThat(d[0]).isEqualTo(1);
            assertThat(seqOf(d)).isEqualTo(1);
            DemoFrame.write(frame, A, R, DemoFrame.DATA, 2, 64);
            six.send(at, 1, frame, 64);
            assertThat(nextSeqAt(a)).isEqualTo(2);
        }
    }

    @Test
    void malformedAndSpoofedPacketsAreDroppedAndCountedAndForwardingGoesOn() throws Exception {
        final GuestPort a = guest(A, 1);
        one.sendRaw(switchAt, new byte[] {8, 0, 0});                                   // shorter than the header
        one.sendRaw(switchAt, new byte[8 + 14]);                                     // no VNI flag
        final byte[] huge = new byte[Vxlan.HEADER_LENGTH + EthernetFrame.DEFAULT_MAX_FRAME + 1];
        huge[0] = Vxlan.FLAG_VNI_VALID;
        one.sendRaw(switchAt, huge);                                                  // inner frame too long
        final byte[] runt = new byte[Vxlan.HEADER_LENGTH + 13];
        runt[0] = Vxlan.FLAG_VNI_VALID;
        one.sendRaw(switchAt, runt);                                                  // inner frame too short
        DemoFrame.write(frame, A, Mac.BROADCAST, DemoFrame.DATA, 1, 64);
        one.send(switchAt, 1, frame, 64);                                             // group source address
        DemoFrame.write(frame, A, A, DemoFrame.DATA, 2, 64);
        one.send(switchAt, 1, frame, 64);                                             // A's own address from outside
        DemoFrame.write(frame, A, R, DemoFrame.DATA, 3, 64);
        one.send(switchAt, 1, frame, 64);
        assertThat(nextSeqAt(a)).isEqualTo(3);
        final SwitchStatus st = cp.status();
        await("the uplink counters", () -> st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_SPOOFED) == 1
                && st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_MALFORMED) == 5
                && st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.LEARNED) == 1, () -> { });
        assertThat(cp.switchProcess().isAlive()).isTrue();
    }
}
