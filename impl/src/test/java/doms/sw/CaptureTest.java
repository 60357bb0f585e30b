package doms.sw;

import static org.assertj.core.api.Assertions.assertThat;

import doms.net.PcapWriter;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A capture whose disk fails: one log line, never an exception into the switch's round. */
class CaptureTest {
    @TempDir
    Path dir;
    private final List<String> log = new ArrayList<>();

    @Test
    void framesAreWrittenAndFlushedOncePerRoundThatCapturedSomething() throws IOException {
        final Path file = dir.resolve("ok.pcap");
        final Capture capture = new Capture(3, PcapWriter.open(file), Long.MAX_VALUE, log::add);
        assertThat(capture.port()).isEqualTo(3);
        capture.frame(MemorySegment.ofArray(new byte[60]), 0, 60);
        capture.frame(MemorySegment.ofArray(new byte[70]), 0, 42);
        assertThat(PcapWriter.count(file)).isZero(); // buffered
        capture.flushIfDirty();
        assertThat(PcapWriter.count(file)).isEqualTo(2);
        capture.close();
        assertThat(log).isEmpty();
    }

    @Test
    void aWriteThatFailsStopsTheCaptureWithOneLine() throws IOException {
        final PcapWriter writer = PcapWriter.open(dir.resolve("w.pcap"));
        final Capture capture = new Capture(Capture.UPLINK, writer, Long.MAX_VALUE, log::add);
        writer.close();
        final MemorySegment big = MemorySegment.ofArray(new byte[60_000]);
        for (int i = 0; i < 3; i++) { // two fit in the buffer; the third must flush it first, and that fails
            capture.frame(big, 0, 60_000);
        }
        assertThat(log).singleElement().asString().startsWith("doms switch: capture of port uplink stopped: ");
        capture.flushIfDirty(); // stopped: not even tried
        capture.frame(big, 0, 60);
        assertThat(writer.frames()).isEqualTo(2);
        capture.close();
        assertThat(log).hasSize(1);
    }

    @Test
    void aCloseThatFailsIsSaid() throws IOException {
        final PcapWriter writer = PcapWriter.open(dir.resolve("c.pcap"));
        final Capture capture = new Capture(0, writer, Long.MAX_VALUE, line -> { });
        capture.log(log::add);
        writer.close();
        capture.frame(MemorySegment.ofArray(new byte[60]), 0, 60); // buffered, not yet written
        capture.close();
        assertThat(log).singleElement().asString().startsWith("doms switch: closing the capture: ");
    }
}
