package doms.stress;

import doms.pool.BindingTable;
import doms.pool.SwitchStatus;
import doms.ring.RingDescriptor;
import java.lang.foreign.MemorySegment;

/**
 * A one-slot pool on shared memory from {@link RingPool}: the control plane's binding table and
 * the switch's status, laid side by side in one pooled region, written through the
 * implementation's own {@link BindingTable} and {@link SwitchStatus}.
 */
abstract class SlotFixture {
    static final long MAC = 0x0200_0000_010AL;
    static final int TENANT = 7;
    private static final long STATUS_AT = 4608; // after the table's 4096 + 64 bytes, 512-aligned

    final MemorySegment region = RingPool.acquire(RingDescriptor.largestPayload(RingPool.PAGES), 0);
    final BindingTable table = BindingTable.initialise(region.asSlice(0, BindingTable.fileLength(1)), 1, 1, 1518);
    final SwitchStatus status = SwitchStatus.initialise(region.asSlice(STATUS_AT, SwitchStatus.fileLength(1)), 1);

    void release() {
        RingPool.release(region);
    }
}
