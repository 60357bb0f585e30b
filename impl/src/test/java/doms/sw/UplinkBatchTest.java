package doms.sw;

import static org.assertj.core.api.Assertions.assertThat;

import doms.cap.Loopback;
import doms.net.Vxlan;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The uplink's batching of a super-frame's segments ({@link VxlanUplink#queue}, {@link
 * VxlanUplink#flush}) on loopback: every frame arrives as its own datagram, in order, with its
 * tenant's VNI, whatever the run looks like; and the runs the kernel can cut leave in one send.
 * A frame joined to a run it breaks would arrive cut at the run's size, or not at all.
 */
class UplinkBatchTest {
    private static final int MAX_FRAME = 65_535;
    private DatagramChannel r1;
    private DatagramChannel r2;
    private VxlanUplink uplink;

    @BeforeEach
    void open() throws IOException {
        r1 = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        r2 = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        r1.configureBlocking(false);
        r2.configureBlocking(false);
        uplink = VxlanUplink.open(new VxlanUplink.Config(new InetSocketAddress("127.0.0.1", 0),
                List.of(remote(r1), remote(r2)), Map.of(), 1_000_000_000L), MAX_FRAME);
    }

    @AfterEach
    void close() throws IOException {
        uplink.close();
        r1.close();
        r2.close();
    }

    private static InetSocketAddress remote(final DatagramChannel c) throws IOException {
        return (InetSocketAddress) c.getLocalAddress();
    }

    /** A frame of {@code length} bytes, each its mark (so a datagram cut elsewhere shows). */
    private static MemorySegment frame(final int length, final int mark) {
        final MemorySegment f = Arena.ofAuto().allocate(length);
        f.fill((byte) mark);
        return f;
    }

    /** Queues frames of these lengths (marks 1, 2, ...) for tenant 1 to {@code to}, then flushes. */
    private void run(final InetSocketAddress to, final int... lengths) {
        for (int i = 0; i < lengths.length; i++) {
            uplink.queue(1, to, frame(lengths[i], i + 1), 0, lengths[i]);
        }
        uplink.flush();
    }

    /** What reached {@code at} ({@link Loopback#datagrams}, {@code expected} of them awaited): per datagram "VNI:length:mark". */
    private static List<String> got(final DatagramChannel at, final int expected) throws IOException {
        return Loopback.datagrams(at, expected).stream().map(p -> {
            final int inner = p.length - Vxlan.HEADER_LENGTH;
            return Vxlan.vni(MemorySegment.ofArray(p), 0, p.length) + ":" + inner + ":" + (inner == 0 ? -1 : p[p.length - 1]);
        }).toList();
    }

    @Test
    void aRunOfEqualFramesAndAShorterLastLeavesInOneSend() throws IOException {
        run(remote(r1), 100, 100, 60);
        assertThat(got(r1, 3)).containsExactly("1:100:1", "1:100:2", "1:60:3");
        assertThat(uplink.sends).isEqualTo(1);
        assertThat(uplink.framesOut()).isEqualTo(3);
        assertThat(uplink.segmentOffload()).isTrue();
        assertThat(got(r2, 0)).isEmpty();
    }

    @Test
    void aLongerFrameOrOneAfterTheShortLastStartsANewRun() throws IOException {
        run(remote(r1), 100, 200, 200, 50, 200);
        assertThat(got(r1, 5)).containsExactly("1:100:1", "1:200:2", "1:200:3", "1:50:4", "1:200:5");
        assertThat(uplink.sends).isEqualTo(3); // [100] [200 200 50] [200]
        assertThat(uplink.framesOut()).isEqualTo(5);
    }

    @Test
    void anotherDestinationStartsANewRunAndAFloodGoesToEveryRemote() throws IOException {
        uplink.queue(1, remote(r1), frame(80, 1), 0, 80);
        uplink.queue(1, remote(r2), frame(80, 2), 0, 80);
        uplink.queue(1, null, frame(80, 3), 0, 80);
        uplink.queue(1, null, frame(80, 4), 0, 80);
        uplink.flush();
        assertThat(got(r1, 3)).containsExactly("1:80:1", "1:80:3", "1:80:4");
        assertThat(got(r2, 3)).containsExactly("1:80:2", "1:80:3", "1:80:4");
        assertThat(uplink.sends).isEqualTo(4);
    }

    @Test
    void framesOfOtherTenantsJoinARunWithTheirOwnVni() throws IOException {
        uplink.queue(1, remote(r1), frame(80, 1), 0, 80);
        uplink.queue(2, remote(r1), frame(80, 2), 0, 80);
        uplink.flush();
        assertThat(got(r1, 2)).containsExactly("1:80:1", "2:80:2");
        assertThat(uplink.sends).isEqualTo(1);
    }

    @Test
    void aRunStopsAtSixtyFourDatagramsAndAt65000Bytes() throws IOException {
        final int[] small = new int[65];
        java.util.Arrays.fill(small, 10);
        run(remote(r1), small);
        assertThat(got(r1, 65)).hasSize(65);
        assertThat(uplink.sends).isEqualTo(2);

        final int[] large = new int[50]; // 50 x 1,408 bytes: 65,000 is reached at the 47th
        java.util.Arrays.fill(large, 1400);
        run(remote(r1), large);
        assertThat(got(r1, 50)).hasSize(50).allMatch(s -> s.startsWith("1:1400:"));
        assertThat(uplink.sends).isEqualTo(2 + 2);
        assertThat(uplink.framesOut()).isEqualTo(115);
    }

    @Test
    void aRunOfExactly65000BytesLeavesInOneSend() throws IOException {
        final int[] frames = new int[50]; // 50 datagrams of 1,300 bytes
        java.util.Arrays.fill(frames, 1300 - Vxlan.HEADER_LENGTH);
        run(remote(r1), frames);
        assertThat(got(r1, 50)).hasSize(50);
        assertThat(uplink.sends).isEqualTo(1);
    }

    @Test
    void tenantZeroHasVniZeroAndIsSent() throws IOException {
        run(remote(r1), 80);
        uplink.queue(0, remote(r1), frame(80, 9), 0, 80);
        uplink.flush();
        assertThat(got(r1, 2)).containsExactly("1:80:1", "0:80:9");
    }

    @Test
    void anEmptyDatagramIsTakenAndDroppedAsMalformed() throws IOException {
        r1.send(ByteBuffer.allocate(0), uplink.localAddress());
        r1.send(ByteBuffer.allocate(3), uplink.localAddress());
        final long deadline = System.nanoTime() + 20_000_000_000L;
        while (uplink.datagramsIn() < 2) {
            assertThat(System.nanoTime() - deadline).isNegative();
            uplink.poll((tenant, from, f, at, length) -> { throw new AssertionError("delivered"); }, 8);
        }
        assertThat(uplink.dropsMalformed()).isEqualTo(2);
    }

    @Test
    void aFrameLargerThanARunLeavesAloneAfterTheRunBeforeIt() throws IOException {
        run(remote(r1), 100, 65_100, 100);
        assertThat(got(r1, 3)).containsExactly("1:100:1", "1:65100:2", "1:100:3");
        assertThat(uplink.sends).isEqualTo(3);
        run(null, 65_100);
        assertThat(got(r1, 1)).containsExactly("1:65100:1");
        assertThat(got(r2, 1)).containsExactly("1:65100:1");
    }

    @Test
    void aTenantWithoutAVniOrWithoutRemotesSendsNothing() throws IOException {
        uplink.queue(-1, remote(r1), frame(80, 1), 0, 80);
        uplink.flush();
        assertThat(uplink.sends).isZero();
        try (VxlanUplink alone = VxlanUplink.open(new VxlanUplink.Config(new InetSocketAddress("127.0.0.1", 0), List.of(), Map.of(), 1),
                MAX_FRAME)) {
            alone.queue(1, null, frame(80, 1), 0, 80);
            alone.flush();
            assertThat(alone.sends).isZero();
        }
    }

    @Test
    void oneByOneTheSameDatagramsLeave() throws IOException {
        uplink.segmentOffload(false);
        run(remote(r1), 100, 100, 60);
        assertThat(got(r1, 3)).containsExactly("1:100:1", "1:100:2", "1:60:3");
        assertThat(uplink.sends).isEqualTo(3);
    }

    @Test
    void aRunTheKernelRefusesToSendIsCountedAsThatManySocketErrors() throws IOException {
        // Broadcast without SO_BROADCAST: EACCES, for the run and for a single datagram alike.
        final InetSocketAddress broadcast = new InetSocketAddress("255.255.255.255", 4789);
        run(broadcast, 100, 100, 60);
        assertThat(uplink.socketErrors).isEqualTo(3);
        run(broadcast, 100);
        assertThat(uplink.socketErrors).isEqualTo(4);
        assertThat(uplink.framesOut()).isZero();
        assertThat(uplink.segmentOffload()).as("a refused address is not a refused UDP_SEGMENT").isTrue();
    }

    @Test
    void queuedFramesAreCopiedAtOnce() throws IOException {
        final MemorySegment reused = frame(100, 1);
        uplink.queue(1, remote(r1), reused, 0, 100);
        reused.fill((byte) 2);
        uplink.queue(1, remote(r1), reused, 0, 100);
        uplink.flush();
        assertThat(got(r1, 2)).containsExactly("1:100:1", "1:100:2");
        assertThat(reused.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 2);
    }
}
