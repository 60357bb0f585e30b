package doms.bench;

import doms.ring.RingDescriptor;
import doms.shm.SharedFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/** Creates the ring files the workers map: ours initialised, Agrona's zeroed, the same data capacity. */
final class RingFiles {
    private RingFiles() {
    }

    /** A fresh ring of {@code pages} 4 KiB pages in our layout, accepting the largest payload (the data area but 16 bytes). */
    static Path doms(final Path file, final int pages) throws IOException {
        Files.deleteIfExists(file);
        try (SharedFile shared = SharedFile.create(file, RingDescriptor.regionLength(pages))) {
            RingDescriptor.initialise(shared.segment(), pages, RingDescriptor.largestPayload(pages));
        }
        return file;
    }

    /** A fresh, zeroed Agrona OneToOneRingBuffer of the same data capacity (plus Agrona's trailer). */
    static Path agrona(final Path file, final int pages) throws IOException {
        Files.deleteIfExists(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength((long) pages * RingDescriptor.PAGE_SIZE + RingBufferDescriptor.TRAILER_LENGTH);
        }
        return file;
    }

    /** The largest message Agrona's ring of this size takes (an eighth of its capacity). */
    static int agronaMaxMessage(final int pages) {
        return pages * RingDescriptor.PAGE_SIZE / 8;
    }

    static Path create(final String transport, final Path file, final int pages) throws IOException {
        return switch (transport) {
            case "doms" -> doms(file, pages);
            case "agrona" -> agrona(file, pages);
            default -> throw new IllegalArgumentException("no ring file for " + transport);
        };
    }
}
