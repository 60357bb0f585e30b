package doms.cap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Datagrams sent over loopback in a test, as the receiving side sees them. */
public final class Loopback {
    private Loopback() {
    }

    /**
     * The datagrams at {@code at}: waits (10 s at most) until {@code expected} are there, then
     * takes whatever else is queued. Loopback delivers within the send, unless the kernel left
     * that to ksoftirqd under load; a check that expects nothing looks once, at once.
     */
    public static List<byte[]> datagrams(final DatagramChannel at, final int expected) throws IOException {
        at.configureBlocking(false);
        final List<byte[]> got = new ArrayList<>();
        final ByteBuffer buffer = ByteBuffer.allocate(65536);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (at.receive(buffer.clear()) == null) {
                if (got.size() >= expected || System.nanoTime() - deadline > 0) {
                    return got;
                }
                Thread.onSpinWait();
                continue;
            }
            buffer.flip();
            final byte[] b = new byte[buffer.remaining()];
            buffer.get(b);
            got.add(b);
        }
    }
}
