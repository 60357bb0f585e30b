package doms.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    @TempDir
    Path dir;

    @Test
    void writesTheLibpcapHeaderAndOneRecordPerFrame() throws Exception {
        final Path file = dir.resolve("x.pcap");
        final MemorySegment frame = Arena.ofAuto().allocate(100);
        frame.fill((byte) 7);
        try (PcapWriter w = PcapWriter.open(file)) {
            w.write(frame, 0, 60);
            w.write(frame, 10, 90);
        }
        final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(0xA1B2C3D4);
        assertThat(b.getShort(4)).isEqualTo((short) 2);
        assertThat(b.getShort(6)).isEqualTo((short) 4);
        assertThat(b.getInt(20)).isEqualTo(1); // Ethernet
        assertThat(b.getInt(24 + 8)).isEqualTo(60);
        assertThat(b.getInt(24 + 12)).isEqualTo(60);
        assertThat(b.capacity()).isEqualTo(24 + 16 + 60 + 16 + 90);
        assertThat(PcapWriter.count(file)).isEqualTo(2);
    }

    @Test
    void aRestartedWriterAppendsToItsPredecessorsCapture() throws Exception {
        final Path file = dir.resolve("y.pcap");
        final MemorySegment frame = Arena.ofAuto().allocate(64);
        try (PcapWriter w = PcapWriter.open(file)) {
            w.write(frame, 0, 64);
        }
        try (PcapWriter w = PcapWriter.open(file)) {
            w.write(frame, 0, 64);
        }
        assertThat(PcapWriter.count(file)).isEqualTo(2);
        // A predecessor killed mid-flush left half a record: it is cut off, the rest stays aligned.
        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, java.nio.file.StandardOpenOption.APPEND);
        try (PcapWriter w = PcapWriter.open(file)) {
            w.write(frame, 0, 64);
        }
        assertThat(PcapWriter.count(file)).isEqualTo(3);
        assertThat(Files.size(file)).isEqualTo(24 + 3 * (16 + 64));
        Files.writeString(file, "not a capture");
        try (PcapWriter w = PcapWriter.open(file)) {
            w.write(frame, 0, 64);
        }
        assertThat(PcapWriter.count(file)).isEqualTo(1);
    }
}
