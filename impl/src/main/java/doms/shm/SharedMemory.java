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
}
