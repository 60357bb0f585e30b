package doms.stress;

import doms.ring.RingDescriptor;
import doms.shm.SharedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One-page rings sliced out of files mapped from /dev/shm, shared by every test in one JVM.
 *
 * <p>jcstress creates a fresh {@code @State} object for every sample, up to
 * {@code strideSize * strideCount} (10,240 by default) alive at once, millions per run: a file
 * per state would be far too slow and would litter /dev/shm. So each state {@link #acquire}s
 * a slot of {@link #SLOT_BYTES} bytes from this pool, which re-initialises it as a fresh ring,
 * and its {@code @Arbiter} {@link #release}s it (jcstress calls the arbiter exactly once per
 * state, after both actors, in every phase: API check, resource estimation, the run itself).
 * The pool grows by chunks of {@link #CHUNK_SLOTS} slots when empty, so it ends up with about
 * as many slots as jcstress keeps states alive.
 *
 * <p>Each chunk is a real file under {@link SharedFile#DEFAULT_DIRECTORY}, created with
 * {@link SharedFile#create} and deleted right after it is mapped: the mapping (and the memory)
 * stays until the JVM exits, and nothing is left behind in /dev/shm even if the fork is killed.
 */
public final class RingPool {
    /** Every pooled ring is one page: capacity 4096 bytes, the smallest legal ring. */
    public static final int PAGES = 1;
    public static final long CAPACITY = RingDescriptor.capacity(PAGES);
    public static final long SLOT_BYTES = RingDescriptor.regionLength(PAGES);
    /** What the data area holds before a producer writes it: reads as type and length -1515870811. */
    public static final byte POISON = (byte) 0xA5;

    static final int CHUNK_SLOTS = 512;  // 4 MiB per file
    static final int MAX_CHUNKS = Integer.getInteger("doms.stress.maxChunks", 96); // 384 MiB, 49,152 rings

    private static final ArrayDeque<MemorySegment> FREE = new ArrayDeque<>();
    private static final List<SharedFile> CHUNKS = new ArrayList<>();

    private RingPool() {
    }

    /**
     * A ring nobody else uses, freshly initialised: header written, data area poisoned, both
     * positions set to {@code start} (a multiple of 8: starting at a chosen index puts the wrap
     * point where the test wants it).
     */
    public static MemorySegment acquire(final int maxPayload, final long start) {
        final MemorySegment ring;
        synchronized (FREE) {
            if (FREE.isEmpty()) {
                grow();
            }
            ring = FREE.pop();
        }
        RingDescriptor.initialise(ring, PAGES, maxPayload);
        ring.asSlice(RingDescriptor.DATA_OFFSET, CAPACITY).fill(POISON);
        ring.set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, start);
        ring.set(ValueLayout.JAVA_LONG, RingDescriptor.CONSUMER_POSITION_OFFSET, start);
        return ring;
    }

    /** Gives a ring back once no thread will touch it again (from the test's arbiter). */
    public static void release(final MemorySegment ring) {
        synchronized (FREE) {
            FREE.push(ring);
        }
    }

    /** How many rings exist (for diagnostics). */
    public static int size() {
        synchronized (FREE) {
            return CHUNKS.size() * CHUNK_SLOTS;
        }
    }

    private static void grow() {
        if (CHUNKS.size() >= MAX_CHUNKS) {
            throw new IllegalStateException("ring pool exhausted at " + CHUNKS.size() * CHUNK_SLOTS
                    + " rings: a test does not release its ring in its @Arbiter");
        }
        final Path file = SharedFile.DEFAULT_DIRECTORY.resolve(
                "doms-jcstress-" + ProcessHandle.current().pid() + "-" + CHUNKS.size() + ".ring");
        try {
            Files.deleteIfExists(file);
            final SharedFile shared = SharedFile.create(file, CHUNK_SLOTS * SLOT_BYTES);
            Files.delete(file); // the mapping outlives the name: nothing can leak
            CHUNKS.add(shared);
            for (int i = CHUNK_SLOTS - 1; i >= 0; i--) {
                FREE.push(shared.segment().asSlice(i * SLOT_BYTES, SLOT_BYTES));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create ring pool file " + file, e);
        }
    }
}
