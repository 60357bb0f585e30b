package doms.sw;

import doms.net.PcapWriter;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * A pcap capture of one port's frames, both directions, as the switch sees them: what it takes
 * from the port and what it delivers to it, up to a count of frames (tcpdump's {@code -c}; then
 * one log line says so and capturing costs nothing more). A failing disk stops the capture with
 * one log line; it never stops the switch.
 */
final class Capture {
    /** The port a capture of the uplink names, instead of a slot index. */
    static final int UPLINK = -1;

    private final int port;
    private final PcapWriter writer;
    private final long limit;
    private long frames;
    private Consumer<String> log;
    private boolean dirty;
    private boolean failed;

    Capture(final int port, final PcapWriter writer, final long limit, final Consumer<String> log) {
        if (limit < 1) {
            throw new IllegalArgumentException("a capture's count must be at least 1, not " + limit);
        }
        this.port = port;
        this.writer = writer;
        this.limit = limit;
        this.log = log;
    }

    int port() {
        return port;
    }

    void log(final Consumer<String> log) {
        this.log = log;
    }

    void frame(final MemorySegment frame, final long at, final int length) {
        if (failed || frames == limit) {
            return;
        }
        try {
            writer.write(frame, at, length);
            dirty = true;
            if (++frames == limit) {
                log.accept("doms switch: capture of " + name() + " has its " + limit + " frames and takes no more");
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Once per round: the file is current as of the end of each round that captured something. */
    void flushIfDirty() {
        if (dirty && !failed) {
            dirty = false;
            try {
                writer.flush();
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    private void fail(final IOException e) {
        failed = true;
        log.accept("doms switch: capture of " + name() + " stopped: " + e.getMessage());
    }

    private String name() {
        return "port " + (port == UPLINK ? "uplink" : Integer.toString(port));
    }

    void close() {
        try {
            writer.close();
        } catch (IOException e) {
            log.accept("doms switch: closing the capture: " + e.getMessage());
        }
    }
}
