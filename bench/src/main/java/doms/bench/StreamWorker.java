package doms.bench;

import doms.poll.IdleStrategies;
import doms.poll.IdleStrategy;
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
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * One side of a one-way stream of fixed-size messages, over one of four transports: our ring
 * ({@code doms}) or Agrona's OneToOneRingBuffer ({@code agrona}), each on a file under
 * /dev/shm mapped by both processes, TCP over 127.0.0.1, or a Unix domain socket. The sender
 * sends for a given time and then an end marker; the receiver measures from {@code warm} after
 * the first message to the end marker. Both report the CPU time their process burnt.
 *
 * <p>Command: {@code run size=BYTES poll=STRATEGY warm_ns=N send_ns=N limit_ns=N [file=PATH]}.
 */
final class StreamWorker {
    private StreamWorker() {
    }

    static int receive(final KeyValues options) throws Exception {
        final String transport = options.get("transport");
        ServerSocketChannel server = null;
        SocketChannel channel = null;
        Path socketPath = null;
        try {
            switch (transport) {
                case "tcp" -> {
                    server = ServerSocketChannel.open();
                    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    Worker.answer(KeyValues.format("listening", "port", ((InetSocketAddress) server.getLocalAddress()).getPort()));
                    channel = server.accept();
                }
                case "uds" -> {
                    socketPath = Path.of(options.get("path"));
                    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                    server.bind(UnixDomainSocketAddress.of(socketPath));
                    Worker.answer("listening");
                    channel = server.accept();
                }
                case "doms", "agrona" -> Worker.answer("ready");
                default -> throw new IllegalArgumentException("unknown transport " + transport);
            }
            final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 18).order(ByteOrder.LITTLE_ENDIAN);
            KeyValues command;
            while ((command = Worker.command()) != null) {
                final int size = command.getInt("size");
                final IdleStrategy idle = IdleStrategies.parse(command.get("poll", "busy"));
                final long warm = command.getLong("warm_ns");
                final long limit = command.getLong("limit_ns");
                final String result = switch (transport) {
                    case "doms" -> receiveDoms(Path.of(command.get("file")), idle, warm, limit);
                    case "agrona" -> receiveAgrona(Path.of(command.get("file")), idle, warm, limit);
                    default -> receiveSocket(channel, buffer, size, warm);
                };
                Worker.answer(result);
            }
            return 0;
        } finally {
            if (channel != null) {
                channel.close();
            }
            if (server != null) {
                server.close();
            }
            if (socketPath != null) {
                Files.deleteIfExists(socketPath);
            }
        }
    }

    static int send(final KeyValues options) throws Exception {
        final String transport = options.get("transport");
        SocketChannel channel = null;
        try {
            switch (transport) {
                case "tcp" -> channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.getInt("port")));
                case "uds" -> channel = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(options.get("path"))));
                case "doms", "agrona" -> {
                }
                default -> throw new IllegalArgumentException("unknown transport " + transport);
            }
            Worker.answer("ready");
            KeyValues command;
            while ((command = Worker.command()) != null) {
                final int size = command.getInt("size");
                final IdleStrategy idle = IdleStrategies.parse(command.get("poll", "busy"));
                final long sendNanos = command.getLong("send_ns");
                final long limit = command.getLong("limit_ns");
                final String result = switch (transport) {
                    case "doms" -> sendDoms(Path.of(command.get("file")), size, idle, sendNanos, limit);
                    case "agrona" -> sendAgrona(Path.of(command.get("file")), size, idle, sendNanos, limit);
                    default -> sendSocket(channel, size, sendNanos);
                };
                Worker.answer(result);
            }
            return 0;
        } finally {
            if (channel != null) {
                channel.close();
            }
        }
    }

    // ---- our ring

    private static String receiveDoms(final Path file, final IdleStrategy idle, final long warm, final long limit) throws IOException {
        try (SharedFile shared = SharedFile.open(file)) {
            final RingConsumer consumer = RingConsumer.attach(shared.segment());
            final Tally tally = new Tally();
            final Window window = new Window(warm);
            final long cpu0 = Worker.processCpuNanos();
            final long start = System.nanoTime();
            final long deadline = start + limit;
            long polls = 0;
            while (!tally.end) {
                final int n = consumer.poll(tally, 256);
                if (n > 0) {
                    window.progress(System.nanoTime(), tally.records, tally.bytes);
                } else if (n < 0) {
                    return "error consumer_" + Worker.oneWord(RingResult.describe(n));
                }
                if ((++polls & 255) == 0 && System.nanoTime() - deadline > 0) {
                    return "error receiver_timed_out";
                }
                idle.idle(n);
            }
            final long end = System.nanoTime();
            return window.result(end, tally.records, tally.bytes, tally.errors, Worker.processCpuNanos() - cpu0, end - start);
        }
    }

    private static String sendDoms(final Path file, final int size, final IdleStrategy idle, final long sendNanos, final long limit)
            throws IOException {
        try (SharedFile shared = SharedFile.open(file); Arena arena = Arena.ofConfined()) {
            final RingProducer producer = RingProducer.attach(shared.segment());
            final MemorySegment payload = arena.allocate(Math.max(size, 8), 8);
            final long cpu0 = Worker.processCpuNanos();
            final long start = System.nanoTime();
            final long deadline = start + sendNanos;
            long seq = 0;
            long full = 0;
            boolean waited = false;
            while (true) {
                payload.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, seq);
                final int r = producer.offer(Tally.TYPE_DATA, payload, 0, size);
                if (r == RingResult.OK) {
                    seq++;
                    if (waited) {
                        idle.idle(1);
                        waited = false;
                    }
                    if ((seq & 255) == 0 && System.nanoTime() - deadline >= 0) {
                        break;
                    }
                } else if (r == RingResult.FULL) {
                    full++;
                    if (System.nanoTime() - deadline >= 0) {
                        break;
                    }
                    idle.idle(0);
                    waited = true;
                } else {
                    return "error producer_" + Worker.oneWord(RingResult.describe(r));
                }
            }
            final long endBy = System.nanoTime() + limit;
            while (producer.offer(Tally.TYPE_END, payload, 0, 8) == RingResult.FULL) {
                if (System.nanoTime() - endBy > 0) {
                    return "error consumer_never_made_room_for_the_end_marker";
                }
                idle.idle(0);
            }
            final long end = System.nanoTime();
            return KeyValues.format("ok", "sent", seq, "full", full, "cpu_ns", Worker.processCpuNanos() - cpu0, "wall_ns", end - start);
        }
    }

    // ---- Agrona's OneToOneRingBuffer over the same kind of file

    /** Maps an Agrona ring file (data capacity plus Agrona's trailer) and wraps it. */
    static MappedByteBuffer mapAgrona(final Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
        }
    }

    private static String receiveAgrona(final Path file, final IdleStrategy idle, final long warm, final long limit) throws IOException {
        final MappedByteBuffer mapped = mapAgrona(file);
        try {
            final OneToOneRingBuffer ring = new OneToOneRingBuffer(new UnsafeBuffer(mapped));
            final Tally tally = new Tally();
            final Window window = new Window(warm);
            final long cpu0 = Worker.processCpuNanos();
            final long start = System.nanoTime();
            final long deadline = start + limit;
            long polls = 0;
            while (!tally.end) {
                final int n = ring.read(tally, 256);
                if (n > 0) {
                    window.progress(System.nanoTime(), tally.records, tally.bytes);
                }
                if ((++polls & 255) == 0 && System.nanoTime() - deadline > 0) {
                    return "error receiver_timed_out";
                }
                idle.idle(n);
            }
            final long end = System.nanoTime();
            return window.result(end, tally.records, tally.bytes, tally.errors, Worker.processCpuNanos() - cpu0, end - start);
        } finally {
            IoUtil.unmap(mapped);
        }
    }

    private static String sendAgrona(final Path file, final int size, final IdleStrategy idle, final long sendNanos, final long limit)
            throws IOException {
        final MappedByteBuffer mapped = mapAgrona(file);
        try {
            final OneToOneRingBuffer ring = new OneToOneRingBuffer(new UnsafeBuffer(mapped));
            if (size > ring.maxMsgLength()) {
                return "error message_of_" + size + "_B_exceeds_agrona_max_" + ring.maxMsgLength();
            }
            final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(size, 8)));
            final long cpu0 = Worker.processCpuNanos();
            final long start = System.nanoTime();
            final long deadline = start + sendNanos;
            long seq = 0;
            long full = 0;
            boolean waited = false;
            while (true) {
                payload.putLong(0, seq);
                if (ring.write(Tally.TYPE_DATA, payload, 0, size)) {
                    seq++;
                    if (waited) {
                        idle.idle(1);
                        waited = false;
                    }
                    if ((seq & 255) == 0 && System.nanoTime() - deadline >= 0) {
                        break;
                    }
                } else {
                    full++;
                    if (System.nanoTime() - deadline >= 0) {
                        break;
                    }
                    idle.idle(0);
                    waited = true;
                }
            }
            final long endBy = System.nanoTime() + limit;
            while (!ring.write(Tally.TYPE_END, payload, 0, 8)) {
                if (System.nanoTime() - endBy > 0) {
                    return "error consumer_never_made_room_for_the_end_marker";
                }
                idle.idle(0);
            }
            final long end = System.nanoTime();
            return KeyValues.format("ok", "sent", seq, "full", full, "cpu_ns", Worker.processCpuNanos() - cpu0, "wall_ns", end - start);
        } finally {
            IoUtil.unmap(mapped);
        }
    }

    // ---- sockets: TCP over loopback and Unix domain sockets, blocking, one write per message

    private static String receiveSocket(final SocketChannel channel, final ByteBuffer buffer, final int size, final long warm)
            throws IOException {
        final MessageParser parser = new MessageParser(size);
        final Window window = new Window(warm);
        final long cpu0 = Worker.processCpuNanos();
        final long start = System.nanoTime();
        while (!parser.ended()) {
            buffer.clear();
            final int n = channel.read(buffer);
            if (n < 0) {
                return "error sender_closed_the_connection";
            }
            parser.accept(buffer, 0, n);
            window.progress(System.nanoTime(), parser.messages(), parser.bytes());
        }
        final long end = System.nanoTime();
        if (!parser.atBoundary()) {
            return "error bytes_after_the_end_marker";
        }
        return window.result(end, parser.messages(), parser.bytes(), parser.errors(), Worker.processCpuNanos() - cpu0, end - start);
    }

    private static String sendSocket(final SocketChannel channel, final int size, final long sendNanos) throws IOException {
        final ByteBuffer message = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
        final long cpu0 = Worker.processCpuNanos();
        final long start = System.nanoTime();
        final long deadline = start + sendNanos;
        long seq = 0;
        while (true) {
            message.clear();
            message.putLong(0, seq);
            while (message.hasRemaining()) {
                channel.write(message);
            }
            seq++;
            if ((seq & 15) == 0 && System.nanoTime() - deadline >= 0) {
                break;
            }
        }
        message.clear();
        message.putLong(0, MessageParser.END);
        while (message.hasRemaining()) {
            channel.write(message);
        }
        final long end = System.nanoTime();
        return KeyValues.format("ok", "sent", seq, "full", 0, "cpu_ns", Worker.processCpuNanos() - cpu0, "wall_ns", end - start);
    }

    /** Sets the options a latency test needs on a TCP channel (no-op for Unix sockets). */
    static void noDelay(final SocketChannel channel) throws IOException {
        if (channel.getRemoteAddress() instanceof InetSocketAddress) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
    }
}
