package doms.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import doms.pool.SlotDescriptor;
import doms.ring.RingDescriptor;
import doms.shm.SharedMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The guest's attach faces a slot a compromised switch may have written: it refuses with a reason, never anything else. */
class GuestPortTest {
    private static final int PAGES = 1;

    private static MemorySegment slot(final Arena arena) {
        final MemorySegment slot = arena.allocate(SlotDescriptor.fileLength(PAGES), 4096);
        SlotDescriptor.initialise(slot, 0, PAGES, 1514);
        return slot;
    }

    @Test
    void attachesToAValidSlot() {
        try (Arena arena = Arena.ofConfined()) {
            final GuestPort port = GuestPort.attach(SharedMemory.of(slot(arena), () -> { }));
            assertThat(port.maxFrame()).isEqualTo(1514);
        }
    }

    @Test
    void anUnalignedRxConsumerPositionIsARefusalWithAReason() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment slot = slot(arena);
            SlotDescriptor.rxRing(slot, PAGES).set(ValueLayout.JAVA_LONG, RingDescriptor.CONSUMER_POSITION_OFFSET, 3);
            assertThatThrownBy(() -> GuestPort.attach(SharedMemory.of(slot, () -> { })))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("unaligned consumer position 3");
        }
    }

    @Test
    void aBadPageCountIsARefusalWithAReason() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment slot = slot(arena);
            slot.set(ValueLayout.JAVA_INT, SlotDescriptor.PAGES_OFFSET, 3);
            assertThatThrownBy(() -> GuestPort.attach(SharedMemory.of(slot, () -> { })))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("bad page count 3");
        }
    }
}
