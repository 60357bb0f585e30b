package doms.sw;

import doms.net.PcapWriter;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * A pcap capture of one port's frames, both directions, as the switch sees them: what it takes
 * from the port and what it delivers to it. A failing disk stops the capture with one log line;
 * it never stops the switch.
 */
final class Capture {
    /** The port a capture of the uplink names, instead of a slot index. */
    static final int UPLINK = -1;

    private final int port;
    private final PcapWriter writer;
    private Consumer<String> log;
    private boolean dirty;
    private boolean failed;

    Capture(final int port, final PcapWriter writer, final Consumer<String> log) {
        this.port = port;
        this.writer = writer;
        this.log = log;
    }

    int port() {
        return port;
    }

    void log(final Consumer<String> log) {
        this.log = log;
    }

    void frame(final MemorySegment frame, final long at, final int length) {
        if (failed) {
            return;
        }
        try {
            writer.write(frame, at, length);
            dirty = true;
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
        log.accept("doms switch: capture of port " + (port == UPLINK ? "uplink" : Integer.toString(port)) + " stopped: " + e.getMessage());
    }

    void close() {
        try {
            writer.close();
        } catch (IOException e) {
            log.accept("doms switch: closing the capture: " + e.getMessage());
        }
    }
}
