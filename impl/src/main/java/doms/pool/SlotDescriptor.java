package doms.pool;

import doms.ring.RingDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Byte layout of one slot: the pair of rings one guest shares with the switch, in one file.
 *
 * <pre>
 *        0                   8         12        16        20        24        28
 *        +-------------------+---------+---------+---------+---------+---------+-- ... --+
 *        | magic "DOMSSLOT"  | version | index   | pages   | maxFrame|features |  zero   |  slot header page (4 KiB)
 *        +-------------------+---------+---------+---------+---------+---------+-- ... --+
 *   4096 | TX ring: guest produces, switch consumes (RingDescriptor layout)    |
 *        +---------------------------------------------------------------------+
 *   4096 | RX ring: switch produces, guest consumes (RingDescriptor layout)    |
 *  + ring+---------------------------------------------------------------------+
 * </pre>
 *
 * <p>The whole file is shared with its guest, so nothing in it is trusted by the switch: the
 * header is informational (for the guest), the binding lives in {@link BindingTable}. One word
 * is the guest's to write: {@code features}, what it accepts on its RX ring
 * ({@link #ACCEPTS_OFFLOADS}); whatever it holds only changes what that guest is sent.
 */
public final class SlotDescriptor {
    public static final long MAGIC = 0x544F4C53534D4F44L; // "DOMSSLOT" as a native u64 on a little-endian machine
    public static final int VERSION = 1;
    /** The record type of an Ethernet frame in a slot's rings (the first user type). */
    public static final int TYPE_FRAME = doms.ring.RecordDescriptor.TYPE_FIRST_USER;
    /**
     * A frame with offloads: a virtio-net header ({@link doms.net.VirtioNetHeader}, 10 bytes,
     * little-endian) and the frame, a TCP or UDP super-frame of up to 64 KiB or a frame whose
     * checksum is still to complete. The record's length covers both.
     */
    public static final int TYPE_VNET_FRAME = TYPE_FRAME + 1;
    /** The largest maximum frame of a pool: a header and an IP datagram of 64 KiB behind a tagged Ethernet header. */
    public static final int MAX_FRAME_LIMIT = doms.net.VirtioNetHeader.LENGTH + doms.net.EthernetFrame.TAGGED_HEADER_LENGTH
            + doms.net.VirtioNetHeader.MAX_IP_DATAGRAM;
    /** Feature bit: the guest takes {@link #TYPE_VNET_FRAME} records on its RX ring. */
    public static final int ACCEPTS_OFFLOADS = 1;
    public static final long MAGIC_OFFSET = 0;
    public static final long VERSION_OFFSET = 8;
    public static final long INDEX_OFFSET = 12;
    public static final long PAGES_OFFSET = 16;
    public static final long MAX_FRAME_OFFSET = 20;
    public static final long FEATURES_OFFSET = 24;
    public static final long TX_RING_OFFSET = RingDescriptor.PAGE_SIZE;
    private static final java.lang.invoke.VarHandle FEATURES = ValueLayout.JAVA_INT.varHandle();

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

    /** The guest's features word; read by the switch (opaque: a guest may change it any time) at each offloaded delivery. */
    public static int opaqueFeatures(final MemorySegment slot) {
        return (int) FEATURES.getOpaque(slot, FEATURES_OFFSET);
    }

    /** The guest announces what it accepts on its RX ring (opaque: one word, nothing published behind it). */
    public static void opaqueFeatures(final MemorySegment slot, final int features) {
        FEATURES.setOpaque(slot, FEATURES_OFFSET, features);
    }

    public static int pages(final MemorySegment slot) {
        return slot.get(ValueLayout.JAVA_INT, PAGES_OFFSET);
    }

    public static int maxFrame(final MemorySegment slot) {
        return slot.get(ValueLayout.JAVA_INT, MAX_FRAME_OFFSET);
    }
}
