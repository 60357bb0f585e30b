package doms.bench;

import doms.poll.IdleStrategies;
import doms.poll.IdleStrategy;
import doms.ring.RecordHandler;
import doms.ring.RingConsumer;
import doms.ring.RingProducer;
import doms.ring.RingResult;
import doms.shm.SharedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.HdrHistogram.Histogram;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * Round trips of one small message between two processes: the pinger sends, the ponger sends
 * it straight back, the pinger records the round trip in an HdrHistogram. Over two of our rings
 * (one each way), two Agrona ring buffers, TCP over 127.0.0.1 (TCP_NODELAY) or a Unix socket.
 *
 * <p>Both sides take a command per round: {@code run size=BYTES poll=STRATEGY warm_ns=N measure_ns=N limit_ns=N};
 * the pinger answers with the round's histogram (compressed, base64), the ponger with ok when
 * the pinger's end marker arrives.
 */
final class PingPong {
    static final long END = -1;

    private PingPong() {
    }

    /** The two directions of a ping-pong, whatever the transport. */
    private interface Link extends AutoCloseable {
        /** Sends one message carrying {@code seq} in its first 8 bytes. */
        void send(long seq) throws IOException;

        /** Waits for one message and returns its sequence number; Long.MIN_VALUE on timeout. */
        long receive(IdleStrategy idle, long deadline) throws IOException;

        /** Pong side: echoes one message back; returns its sequence number (END included), Long.MIN_VALUE on timeout. */
        long echo(IdleStrategy idle, long deadline) throws IOException;

        @Override
        void close() throws IOException;
    }

    static int ping(final KeyValues options) throws Exception {
        final int size = options.getInt("size");
        try (Link link = connect(options, size, true)) {
            Worker.answer("ready");
            final Histogram histogram = new Histogram(1, 60_000_000_000L, 3);
            long seq = 0;
            KeyValues command;
            while ((command = Worker.command()) != null) {
                final IdleStrategy idle = IdleStrategies.parse(command.get("poll", "busy"));
                final long cpu0 = Worker.processCpuNanos();
                final long now = System.nanoTime();
                final long warmEnd = now + command.getLong("warm_ns");
                final long end = warmEnd + command.getLong("measure_ns");
                final long limit = end + command.getLong("limit_ns");
                histogram.reset();
                while (true) {
                    final long t0 = System.nanoTime();
                    if (t0 - end >= 0) {
                        break;
                    }
                    link.send(seq);
                    final long got = link.receive(idle, limit);
                    final long rtt = System.nanoTime() - t0;
                    if (got == Long.MIN_VALUE) {
                        Worker.answer("error no_reply_within_the_time_limit");
                        return 1;
                    }
                    if (got != seq) {
                        Worker.answer("error reply_" + got + "_to_ping_" + seq);
                        return 1;
                    }
                    idle.idle(1);
                    if (t0 - warmEnd >= 0) {
                        histogram.recordValue(Math.max(1, rtt));
                    }
                    seq++;
                }
                link.send(END);
                final ByteBuffer encoded = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
                final int length = histogram.encodeIntoCompressedByteBuffer(encoded);
                Worker.answer(KeyValues.format("ok", "count", histogram.getTotalCount(), "cpu_ns", Worker.processCpuNanos() - cpu0,
                        "hist", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(encoded.array(), length))));
            }
            return 0;
        }
    }

    static int pong(final KeyValues options) throws Exception {
        final int size = options.getInt("size");
        try (Link link = connect(options, size, false)) {
            if (link instanceof DomsLink || link instanceof AgronaLink) {
                Worker.answer("ready"); // a socket ponger answered "listening" before it accepted
            }
            KeyValues command;
            while ((command = Worker.command()) != null) {
                final IdleStrategy idle = IdleStrategies.parse(command.get("poll", "busy"));
                final long cpu0 = Worker.processCpuNanos();
                final long limit = System.nanoTime() + command.getLong("warm_ns") + command.getLong("measure_ns")
                        + command.getLong("limit_ns");
                long echoed = 0;
                while (true) {
                    final long got = link.echo(idle, limit);
                    if (got == Long.MIN_VALUE) {
                        Worker.answer("error pinger_silent_within_the_time_limit");
                        return 1;
                    }
                    if (got == END) {
                        break;
                    }
                    echoed++;
                    idle.idle(1);
                }
                Worker.answer(KeyValues.format("ok", "echoed", echoed, "cpu_ns", Worker.processCpuNanos() - cpu0));
            }
            return 0;
        }
    }

    /**
     * Each side's rings are named from its own point of view (out: it produces, in: it consumes).
     * The pinger connects to the ponger's socket, so the ponger is started first.
     */
    private static Link connect(final KeyValues options, final int size, final boolean pinger) throws IOException {
        return switch (options.get("transport")) {
            case "doms" -> new DomsLink(Path.of(options.get("out")), Path.of(options.get("in")), size);
            case "agrona" -> new AgronaLink(Path.of(options.get("out")), Path.of(options.get("in")), size);
            case "tcp" -> pinger
                    ? new SocketLink(SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.getInt("port"))), size, null)
                    : acceptTcp(size);
            case "uds" -> pinger
                    ? new SocketLink(SocketChannel.open(UnixDomainSocketAddress.of(Path.of(options.get("path")))), size, null)
                    : acceptUnix(Path.of(options.get("path")), size);
            default -> throw new IllegalArgumentException("unknown transport " + options.get("transport"));
        };
    }

    private static Link acceptTcp(final int size) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Worker.answer(KeyValues.format("listening", "port", ((InetSocketAddress) server.getLocalAddress()).getPort()));
            return new SocketLink(server.accept(), size, null);
        }
    }

    private static Link acceptUnix(final Path path, final int size) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            Worker.answer("listening");
            return new SocketLink(server.accept(), size, path);
        }
    }

    /** Two of our rings: this side produces into {@code out} and consumes {@code in}. */
    private static final class DomsLink implements Link, RecordHandler {
        private final SharedFile outFile;
        private final SharedFile inFile;
        private final RingProducer out;
        private final RingConsumer in;
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment message;
        private final int size;
        private boolean echoing;
        private long seq;

        DomsLink(final Path outPath, final Path inPath, final int size) throws IOException {
            this.outFile = SharedFile.open(outPath);
            this.inFile = SharedFile.open(inPath);
            this.out = RingProducer.attach(outFile.segment());
            this.in = RingConsumer.attach(inFile.segment());
            this.message = arena.allocate(size, 8);
            this.size = size;
        }

        @Override
        public void send(final long s) throws IOException {
            message.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, s);
            final int r = out.offer(s == END ? Tally.TYPE_END : Tally.TYPE_DATA, message, 0, size);
            if (r != RingResult.OK) {
                throw new IOException("offer: " + RingResult.describe(r));
            }
        }

        @Override
        public long receive(final IdleStrategy idle, final long deadline) throws IOException {
            echoing = false;
            return await(idle, deadline);
        }

        @Override
        public long echo(final IdleStrategy idle, final long deadline) throws IOException {
            echoing = true;
            return await(idle, deadline);
        }

        private long await(final IdleStrategy idle, final long deadline) throws IOException {
            int spins = 0;
            while (true) {
                final int n = in.poll(this, 1);
                if (n > 0) {
                    return seq;
                }
                if (n < 0) {
                    throw new IOException("poll: " + RingResult.describe(n));
                }
                if ((++spins & 1023) == 0 && System.nanoTime() - deadline > 0) {
                    return Long.MIN_VALUE;
                }
                idle.idle(0);
            }
        }

        @Override
        public void onRecord(final int type, final MemorySegment buffer, final long offset, final int length) {
            seq = type == Tally.TYPE_END ? END : buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
            if (echoing && type != Tally.TYPE_END && out.offer(Tally.TYPE_DATA, buffer, offset, length) != RingResult.OK) {
                throw new IllegalStateException("the reply ring is full");
            }
        }

        @Override
        public void close() {
            arena.close();
            outFile.close();
            inFile.close();
        }
    }

    /** Two Agrona OneToOneRingBuffers on files, the same way round. */
    private static final class AgronaLink implements Link, MessageHandler {
        private final MappedByteBuffer outMap;
        private final MappedByteBuffer inMap;
        private final OneToOneRingBuffer out;
        private final OneToOneRingBuffer in;
        private final UnsafeBuffer message;
        private final int size;
        private boolean echoing;
        private long seq;

        AgronaLink(final Path outPath, final Path inPath, final int size) throws IOException {
            this.outMap = StreamWorker.mapAgrona(outPath);
            this.inMap = StreamWorker.mapAgrona(inPath);
            this.out = new OneToOneRingBuffer(new UnsafeBuffer(outMap));
            this.in = new OneToOneRingBuffer(new UnsafeBuffer(inMap));
            this.message = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
            this.size = size;
        }

        @Override
        public void send(final long s) throws IOException {
            message.putLong(0, s);
            if (!out.write(s == END ? Tally.TYPE_END : Tally.TYPE_DATA, message, 0, size)) {
                throw new IOException("write: ring full");
            }
        }

        @Override
        public long receive(final IdleStrategy idle, final long deadline) {
            echoing = false;
            return await(idle, deadline);
        }

        @Override
        public long echo(final IdleStrategy idle, final long deadline) {
            echoing = true;
            return await(idle, deadline);
        }

        private long await(final IdleStrategy idle, final long deadline) {
            int spins = 0;
            while (true) {
                if (in.read(this, 1) > 0) {
                    return seq;
                }
                if ((++spins & 1023) == 0 && System.nanoTime() - deadline > 0) {
                    return Long.MIN_VALUE;
                }
                idle.idle(0);
            }
        }

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length) {
            seq = msgTypeId == Tally.TYPE_END ? END : buffer.getLong(index);
            if (echoing && msgTypeId != Tally.TYPE_END && !out.write(Tally.TYPE_DATA, buffer, index, length)) {
                throw new IllegalStateException("the reply ring is full");
            }
        }

        @Override
        public void close() {
            IoUtil.unmap(outMap);
            IoUtil.unmap(inMap);
        }
    }

    /** A connected stream socket, blocking; the polling strategy does not apply (the kernel wakes us). */
    private static final class SocketLink implements Link {
        private final SocketChannel channel;
        private final ByteBuffer message;
        private final Path unlink;

        SocketLink(final SocketChannel channel, final int size, final Path unlink) throws IOException {
            this.channel = channel;
            this.message = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
            this.unlink = unlink;
            StreamWorker.noDelay(channel);
        }

        @Override
        public void send(final long s) throws IOException {
            message.clear();
            message.putLong(0, s);
            writeFully();
        }

        private void writeFully() throws IOException {
            while (message.hasRemaining()) {
                channel.write(message);
            }
        }

        @Override
        public long receive(final IdleStrategy idle, final long deadline) throws IOException {
            message.clear();
            while (message.hasRemaining()) {
                if (channel.read(message) < 0) {
                    throw new IOException("the peer closed the connection");
                }
            }
            return message.getLong(0);
        }

        @Override
        public long echo(final IdleStrategy idle, final long deadline) throws IOException {
            final long s = receive(idle, deadline);
            if (s != END) {
                message.flip();
                writeFully();
            }
            return s;
        }

        @Override
        public void close() throws IOException {
            channel.close();
            if (unlink != null) {
                Files.deleteIfExists(unlink);
            }
        }
    }
}
