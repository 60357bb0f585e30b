package doms.sw;

import doms.shm.SharedMemory;
import java.io.IOException;

/**
 * Where the switch gets each slot generation's memory. In production: {@link SlotGrants}, the
 * sealed memfds the control plane hands over its socket. In-process rigs (tests, fuzzing) hand
 * memory over directly.
 */
public interface SlotSource extends AutoCloseable {
    /** Takes what has arrived since the last call; never waits. */
    void poll();

    /**
     * Maps the memory of exactly {@code generation} of {@code slot}, {@code length} bytes; null if
     * it has not been granted (yet). IOException if what was granted cannot be mapped.
     */
    SharedMemory map(int slot, long generation, long length) throws IOException;

    @Override
    void close();
}
