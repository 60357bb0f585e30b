package doms.cap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The uplink's own UDP socket against Java's DatagramChannel on loopback, both ways. */
class UdpSocketTest {
    private static final InetSocketAddress ANY_V4 = new InetSocketAddress("127.0.0.1", 0);

    private static MemorySegment bytes(final int length, final int seed) {
        final MemorySegment s = Arena.ofAuto().allocate(length, 8);
        for (int i = 0; i < length; i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) (seed + i));
        }
        return s;
    }

    /** {@link UdpSocket#receive}, waiting (10 s at most) for a datagram, as {@link Loopback#datagrams} does. */
    private static int receiveWithin(final UdpSocket socket, final MemorySegment into, final long capacity) throws IOException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int length;
        while ((length = socket.receive(into, capacity)) < 0 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        return length;
    }

    @Test
    void oneSendWithUdpSegmentArrivesAsEqualDatagramsAndAShorterLast() throws IOException {
        try (UdpSocket socket = UdpSocket.open(ANY_V4, 1 << 20);
             DatagramChannel peer = DatagramChannel.open().bind(ANY_V4)) {
            final MemorySegment data = bytes(1000 + 1000 + 300, 7);
            final int sent = socket.sendSegments(data, 0, 2300, 1000, (InetSocketAddress) peer.getLocalAddress());
            assertThat(sent).as("the kernel segments (UDP_SEGMENT, Linux 4.18)").isEqualTo(2300);
            final List<byte[]> got = Loopback.datagrams(peer, 3);
            assertThat(got).extracting(b -> b.length).containsExactly(1000, 1000, 300);
            for (int i = 0; i < 3; i++) {
                assertThat(got.get(i)).isEqualTo(data.asSlice(1000L * i, got.get(i).length).toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    @Test
    void aSendTheKernelWillNotSegmentIsRefusedNotFailed() throws IOException {
        // 129 segments: more than the kernel cuts from one send (UDP_MAX_SEGMENTS, 64 or 128 by version).
        try (UdpSocket socket = UdpSocket.open(ANY_V4, 1 << 20);
             DatagramChannel peer = DatagramChannel.open().bind(ANY_V4)) {
            assertThat(socket.sendSegments(bytes(1290, 1), 0, 1290, 10, (InetSocketAddress) peer.getLocalAddress()))
                    .isEqualTo(UdpSocket.SEGMENTS_REFUSED);
            assertThat(Loopback.datagrams(peer, 0)).isEmpty();
        }
    }

    @Test
    void aDatagramGoesBothWaysAndItsSenderIsKnown() throws IOException {
        try (UdpSocket socket = UdpSocket.open(ANY_V4, 1 << 20);
             DatagramChannel peer = DatagramChannel.open().bind(ANY_V4)) {
            final InetSocketAddress here = socket.localAddress();
            assertThat(here.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(here.getPort()).isPositive();
            final MemorySegment rx = Arena.ofAuto().allocate(2048, 8);
            assertThat(socket.receive(rx, 2048)).as("nothing waiting").isEqualTo(-1);

            peer.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), here);
            peer.send(ByteBuffer.wrap(new byte[] {4, 5}), here);
            assertThat(receiveWithin(socket, rx, 2048)).isEqualTo(3);
            final InetSocketAddress first = socket.source();
            assertThat(first).isEqualTo(peer.getLocalAddress());
            assertThat(receiveWithin(socket, rx, 2048)).isEqualTo(2);
            assertThat(rx.get(ValueLayout.JAVA_BYTE, 1)).isEqualTo((byte) 5);
            assertThat(socket.source()).as("the same sender, the same object").isSameAs(first);

            assertThat(socket.send(bytes(100, 3), 10, 50, (InetSocketAddress) peer.getLocalAddress())).isEqualTo(50);
            assertThat(Loopback.datagrams(peer, 1)).singleElement().isEqualTo(bytes(100, 3).asSlice(10, 50).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void ipv6WorksLikeIpv4() throws IOException {
        final InetSocketAddress any = new InetSocketAddress("::1", 0);
        try (UdpSocket socket = UdpSocket.open(any, 1 << 20);
             DatagramChannel peer = DatagramChannel.open().bind(any)) {
            final InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalAddress();
            assertThat(socket.sendSegments(bytes(900, 9), 0, 900, 400, peerAddress)).isEqualTo(900);
            assertThat(Loopback.datagrams(peer, 3)).extracting(b -> b.length).containsExactly(400, 400, 100);
            peer.send(ByteBuffer.wrap(new byte[] {9}), socket.localAddress());
            final MemorySegment rx = Arena.ofAuto().allocate(64, 8);
            assertThat(receiveWithin(socket, rx, 64)).isEqualTo(1);
            assertThat(socket.source()).isEqualTo(peerAddress);
        }
    }

    @Test
    void anAddressOfTheWrongFamilyIsRefusedAndTheNextSendStillGoesWhereItShould() throws IOException {
        try (UdpSocket socket = UdpSocket.open(ANY_V4, 1 << 20);
             DatagramChannel peer = DatagramChannel.open().bind(ANY_V4)) {
            final InetSocketAddress to = (InetSocketAddress) peer.getLocalAddress();
            assertThat(socket.send(bytes(10, 1), 0, 10, to)).isEqualTo(10);
            assertThatThrownBy(() -> socket.send(bytes(10, 2), 0, 10, new InetSocketAddress("::1", 9)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(socket.send(bytes(10, 3), 0, 10, to)).isEqualTo(10);
            assertThat(Loopback.datagrams(peer, 2)).extracting(b -> b[0]).containsExactly((byte) 1, (byte) 3);
            assertThatThrownBy(() -> socket.receive(bytes(8, 0), 9)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anAddressInUseIsRefusedWithTheReasonAndAClosedSocketRefusesEverything() throws IOException {
        try (UdpSocket socket = UdpSocket.open(ANY_V4, 1 << 20)) {
            final InetSocketAddress taken = socket.localAddress();
            assertThatThrownBy(() -> UdpSocket.open(taken, 1 << 20)).isInstanceOf(IOException.class)
                    .hasMessageContaining("bind").hasMessageContaining("errno 98");
            socket.close();
            assertThatThrownBy(socket::localAddress).isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(() -> socket.receive(bytes(8, 0), 8)).isInstanceOf(ClosedChannelException.class);
            assertThatThrownBy(() -> socket.send(bytes(8, 0), 0, 8, taken)).isInstanceOf(ClosedChannelException.class);
            socket.close(); // twice: nothing happens
        }
    }
}
