package doms.pool;

import doms.ring.RingDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Byte layout of one slot: the pair of rings one guest shares with the switch, in one file.
 *
 * <pre>
 *        0                   8         12        16        20        24
 *        +-------------------+---------+---------+---------+---------+-- ... --+
 *        | magic "DOMSSLOT"  | version | index   | pages   | maxFrame|  zero   |  slot header page (4 KiB)
 *        +-------------------+---------+---------+---------+---------+-- ... --+
 *   4096 | TX ring: guest produces, switch consumes (RingDescriptor layout)    |
 *        +---------------------------------------------------------------------+
 *   4096 | RX ring: switch produces, guest consumes (RingDescriptor layout)    |
 *  + ring+---------------------------------------------------------------------+
 * </pre>
 *
 * <p>The whole file is shared with its guest, so nothing in it is trusted by the switch: the
 * header is informational (for the guest), the binding lives in {@link BindingTable}.
 */
public final class SlotDescriptor {
    public static final long MAGIC = 0x544F4C53534D4F44L; // "DOMSSLOT" as a native u64 on a little-endian machine
    public static final int VERSION = 1;
    /** The record type of an Ethernet frame in a slot's rings (the first user type). */
    public static final int TYPE_FRAME = doms.ring.RecordDescriptor.TYPE_FIRST_USER;
    public static final long MAGIC_OFFSET = 0;
    public static final long VERSION_OFFSET = 8;
    public static final long INDEX_OFFSET = 12;
    public static final long PAGES_OFFSET = 16;
    public static final long MAX_FRAME_OFFSET = 20;
    public static final long TX_RING_OFFSET = RingDescriptor.PAGE_SIZE;

    private SlotDescriptor() {
    }

    public static long rxRingOffset(final int pages) {
        return TX_RING_OFFSET + RingDescriptor.regionLength(pages);
    }

    public static long fileLength(final int pages) {
        return RingDescriptor.PAGE_SIZE + 2 * RingDescriptor.regionLength(pages);
    }

    public static MemorySegment txRing(final MemorySegment slot, final int pages) {
        return slot.asSlice(TX_RING_OFFSET, RingDescriptor.regionLength(pages));
    }

    public static MemorySegment rxRing(final MemorySegment slot, final int pages) {
        return slot.asSlice(rxRingOffset(pages), RingDescriptor.regionLength(pages));
    }

    /**
     * Writes a fresh slot: everything zero (scrubbed), then the header and two empty rings. Only
     * done while no guest and no switch port uses the slot.
     */
    public static void initialise(final MemorySegment slot, final int index, final int pages, final int maxFrame) {
        slot.fill((byte) 0);
        slot.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
        slot.set(ValueLayout.JAVA_INT, VERSION_OFFSET, VERSION);
        slot.set(ValueLayout.JAVA_INT, INDEX_OFFSET, index);
        slot.set(ValueLayout.JAVA_INT, PAGES_OFFSET, pages);
        slot.set(ValueLayout.JAVA_INT, MAX_FRAME_OFFSET, maxFrame);
        RingDescriptor.initialise(txRing(slot, pages), pages, maxFrame);
        RingDescriptor.initialise(rxRing(slot, pages), pages, maxFrame);
    }

    /** Null when the slot header matches the expected geometry, else a one-line reason. */
    public static String check(final MemorySegment slot, final int pages, final int maxFrame) {
        if (slot.byteSize() < fileLength(pages)) {
            return "slot of " + slot.byteSize() + " bytes is smaller than " + fileLength(pages);
        }
        final String header = checkHeader(slot);
        if (header != null) {
            return header;
        }
        final String tx = RingDescriptor.check(txRing(slot, pages), pages, maxFrame);
        if (tx != null) {
            return "TX ring: " + tx;
        }
        final String rx = RingDescriptor.check(rxRing(slot, pages), pages, maxFrame);
        return rx == null ? null : "RX ring: " + rx;
    }

    /** Null when the slot's magic and version are this layout's, else a one-line reason. */
    public static String checkHeader(final MemorySegment slot) {
        if (slot.byteSize() < TX_RING_OFFSET || slot.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET) != MAGIC) {
            return "not a doms slot (bad magic)";
        }
        final int version = slot.get(ValueLayout.JAVA_INT, VERSION_OFFSET);
        return version == VERSION ? null : "unsupported slot layout version " + version;
    }

    public static int pages(final MemorySegment slot) {
        return slot.get(ValueLayout.JAVA_INT, PAGES_OFFSET);
    }

    public static int maxFrame(final MemorySegment slot) {
        return slot.get(ValueLayout.JAVA_INT, MAX_FRAME_OFFSET);
    }
}
