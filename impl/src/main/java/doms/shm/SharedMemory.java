package doms.shm;

import java.lang.foreign.MemorySegment;

/**
 * Memory this process shares with another: a mapped file or a mapped memfd. {@link #close()}
 * unmaps it; the memory itself lives on while another holder maps it.
 */
public interface SharedMemory extends AutoCloseable {
    MemorySegment segment();

    @Override
    void close();

    /** {@code segment}, unmapped (or released) by {@code onClose}. */
    static SharedMemory of(final MemorySegment segment, final Runnable onClose) {
        return new SharedMemory() {
            @Override
            public MemorySegment segment() {
                return segment;
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }
}
