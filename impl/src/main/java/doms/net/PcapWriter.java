package doms.net;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes frames in the classic libpcap format (link type 1, Ethernet), which tcpdump, tshark
 * and Wireshark read. Buffered: {@link #flush()} once per switch round that captured something,
 * so the file is current within a round and the hot path makes no system call per frame.
 *
 * <pre>
 *   file header (24 bytes): magic a1b2c3d4, version 2.4, thiszone 0, sigfigs 0, snaplen, linktype 1
 *   per frame  (16 bytes): seconds, microseconds, captured length, original length; then the bytes
 * </pre>
 * Little-endian, as written by x86 tcpdump (readers detect the order from the magic).
 */
public final class PcapWriter implements AutoCloseable {
    public static final int MAGIC = 0xA1B2C3D4;
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int SNAPLEN = 65535;
    static final int FILE_HEADER = 24;
    static final int RECORD_HEADER = 16;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 17).order(ByteOrder.LITTLE_ENDIAN);
    private final MemorySegment bufferSegment = MemorySegment.ofBuffer(buffer);
    private long frames;

    private PcapWriter(final FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Opens {@code file} for capture. A file that already holds a pcap header is appended to (a
     * restarted switch continues its predecessor's capture), after cutting off a last record
     * that a killed predecessor left half-written; anything else is truncated.
     */
    public static PcapWriter open(final Path file) throws IOException {
        final FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            final ByteBuffer head = ByteBuffer.allocate(FILE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            final boolean ours = channel.size() >= FILE_HEADER && channel.read(head, 0) == FILE_HEADER && head.getInt(0) == MAGIC;
            final PcapWriter writer = new PcapWriter(channel);
            if (ours) {
                final long end = completeLength(channel);
                channel.truncate(end);
                channel.position(end);
            } else {
                channel.truncate(0);
                writer.buffer.putInt(MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                        .putInt(SNAPLEN).putInt(LINKTYPE_ETHERNET);
                writer.flush();
            }
            return writer;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Appends one frame (copied now, from the caller's private memory). */
    public void write(final MemorySegment frame, final long at, final int length) throws IOException {
        final int captured = Math.min(length, SNAPLEN);
        if (buffer.remaining() < RECORD_HEADER + captured) {
            flush();
        }
        final java.time.Instant now = java.time.Instant.now();
        buffer.putInt((int) now.getEpochSecond()).putInt(now.getNano() / 1000).putInt(captured).putInt(length);
        MemorySegment.copy(frame, at, bufferSegment, buffer.position(), captured);
        buffer.position(buffer.position() + captured);
        frames++;
    }

    /** Writes out what is buffered (on failure, it is dropped: never written twice or half-repeated). */
    public void flush() throws IOException {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } finally {
            buffer.clear();
        }
    }

    public long frames() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            channel.close();
        }
    }

    /** Counts the complete frame records of a pcap file this class wrote (for tests and the demo). */
    public static long count(final Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            final MemorySegment all = in.map(FileChannel.MapMode.READ_ONLY, 0, in.size(), java.lang.foreign.Arena.ofAuto());
            if (all.byteSize() < FILE_HEADER || all.get(LE_INT, 0) != MAGIC) {
                throw new IOException(file + ": not a pcap file");
            }
            return scan(all)[1];
        }
    }

    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Offset just after the last complete record. */
    private static long completeLength(final FileChannel channel) throws IOException {
        return scan(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), java.lang.foreign.Arena.ofAuto()))[0];
    }

    /** {end of the last complete record, number of complete records}. */
    private static long[] scan(final MemorySegment all) {
        long at = FILE_HEADER;
        long n = 0;
        while (at + RECORD_HEADER <= all.byteSize()) {
            final long next = at + RECORD_HEADER + Integer.toUnsignedLong(all.get(LE_INT, at + 8));
            if (next > all.byteSize()) {
                break;
            }
            at = next;
            n++;
        }
        return new long[] {at, n};
    }
}
