package doms.sw;

import doms.shm.SharedMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Slot memory for a switch and its guests in one process (tests and fuzzing rigs, which play
 * the control plane and the guests themselves): one page-aligned segment per slot, the same for
 * every generation. The rig rewrites it between generations; production uses {@link SlotGrants}.
 */
public final class InProcessSlots implements SlotSource {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment[] slots;

    public InProcessSlots(final int slots, final long length) {
        this.slots = new MemorySegment[slots];
        for (int i = 0; i < slots; i++) {
            this.slots[i] = arena.allocate(length, 4096);
        }
    }

    /** The memory of {@code slot}, as its guest sees it. */
    public MemorySegment memory(final int slot) {
        return slots[slot];
    }

    /** A view of the slot's memory that its holder may close without unmapping it. */
    public SharedMemory view(final int slot) {
        return SharedMemory.of(slots[slot], () -> { });
    }

    @Override
    public void poll() {
    }

    @Override
    public SharedMemory map(final int slot, final long generation, final long length) {
        return slots[slot].byteSize() == length ? view(slot) : null;
    }

    @Override
    public void close() {
        arena.close();
    }
}
