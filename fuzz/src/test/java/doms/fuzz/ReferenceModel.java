package doms.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An independent reading of proofs-notes/ring-layout.md and of the forwarding rules: given the
 * bytes a guest left in slot F, what must the switch do? Written from the prose, with its own
 * offsets, without the implementation's classes, so that the fuzzer compares two readings.
 */
final class ReferenceModel {
    private static final long SLOT_MAGIC = 0x544F4C53534D4F44L;
    private static final long RING_MAGIC = 0x31474E52534D4F44L;
    private static final int PAGE = 4096;

    /** What the switch must do with the slot. */
    record Expected(boolean quarantine, List<byte[]> toPeer, int spoofed, int malformed, String why) {
    }

    private final int pages;
    private final int maxFrame;
    private final long bound;
    private final long peer;
    private final long capacity;

    ReferenceModel(final int pages, final int maxFrame, final long bound, final long peer) {
        this.pages = pages;
        this.maxFrame = maxFrame;
        this.bound = bound;
        this.peer = peer;
        this.capacity = (long) pages * PAGE;
    }

    Expected expect(final byte[] slotBytes) {
        final ByteBuffer slot = ByteBuffer.wrap(slotBytes).order(ByteOrder.LITTLE_ENDIAN);
        final long ringLength = PAGE + capacity;
        final int tx = PAGE;
        final int rx = (int) (PAGE + ringLength);
        final List<byte[]> toPeer = new ArrayList<>();
        // The slot header: its magic, and its layout version (1) at byte 8.
        if (slotBytes.length < PAGE + 2 * ringLength || slot.getLong(0) != SLOT_MAGIC || slot.getInt(8) != 1) {
            return new Expected(true, toPeer, 0, 0, "slot header");
        }
        if (!ringHeaderOk(slot, tx) || !ringHeaderOk(slot, rx)) {
            return new Expected(true, toPeer, 0, 0, "ring header");
        }
        // A new generation: the switch starts its own positions (TX consumer, RX producer) at 0,
        // kept in its status; what the guest wrote into them is never read.
        final long head = 0;
        final long tail = slot.getLong(tx + 128);
        final long rxTail = 0;
        final long rxHead = slot.getLong(rx + 256);
        if (!pair(rxHead, rxTail)) {
            return new Expected(true, toPeer, 0, 0, "RX positions");
        }
        // The switch attaches knowing no producer position (attachAt): it loads one before it
        // takes a signalled record; later signalled records may come before a position it refuses.
        final Walk walk = walk(slotBytes, tx + PAGE, head, head - capacity, tail, capacity, maxFrame);
        int spoofed = 0;
        int malformed = 0;
        for (final Record r : walk.records()) {
            // Type 3: a virtio-net header (10 bytes) and its frame; the header must agree with
            // the frame (the reference rule of proofs-notes/offloads.md). The peer takes such
            // records, so a valid one reaches it whole.
            final boolean offloaded = r.type() == 3;
            final byte[] frame = offloaded ? Arrays.copyOfRange(r.payload(), Math.min(10, r.payload().length), r.payload().length) : r.payload();
            final int length = frame.length;
            if (offloaded && (r.payload().length < 24 || !VnetReference.judge(Arrays.copyOf(r.payload(), 10), frame).accepted())) {
                malformed++;
                continue;
            }
            if (r.type() != 2 && !offloaded || length < 14) {
                malformed++;
                continue;
            }
            final int etherType = ((frame[12] & 0xFF) << 8) | (frame[13] & 0xFF);
            if (etherType == 0x8100 && length < 18) {
                malformed++;
                continue;
            }
            if (mac(frame, 6) != bound) {
                spoofed++;
                continue;
            }
            final long dst = mac(frame, 0);
            final boolean group = (frame[0] & 1) != 0;
            // Unicast to itself goes nowhere; to the peer, to the peer; anything else floods tenant 1: the peer.
            if (group || dst != bound) {
                toPeer.add(r.payload());
            }
        }
        return walk.broken() == null ? new Expected(false, toPeer, spoofed, malformed, walk.records().isEmpty() ? "empty" : "valid")
                : new Expected(true, toPeer, spoofed, malformed, "position".equals(walk.broken()) ? "TX producer position" : walk.broken());
    }

    /** A record the consumer must hand on: its type (2 a frame, 3 and up other kinds) and payload. */
    record Record(int type, byte[] payload) {
    }

    /**
     * The records between two positions, in order, up to the first broken rule; {@code broken}
     * names that rule ("position", "bad padding", "bad record header", "record overruns") or is
     * null when every published byte was a whole, valid record.
     */
    record Walk(List<Record> records, String broken) {
    }

    /**
     * Reads the ring whose data area starts at byte {@code data} of {@code bytes}, from
     * {@code head}, with {@code tail} in its producer position word, as ring-layout.md says a
     * consumer reads it: a record the last producer position it loaded covers; past that, a
     * record whose header has the signal bit (bit 30 of the type word) and that ends within one
     * capacity of that position; else it loads the position (aligned, not behind the one loaded
     * before, at most one capacity ahead), and stops when that is the one it had. {@code known}
     * is the position the consumer starts with: its head on a new ring (the guest's attach), one
     * capacity behind it for the switch, which resumes as if restarted (attachAt).
     */
    static Walk walk(final byte[] bytes, final int data, final long head, final long known, final long tail, final long capacity,
            final int maxPayload) {
        final ByteBuffer ring = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final List<Record> records = new ArrayList<>();
        long loaded = known;
        for (long at = head; ; ) {
            final int index = (int) (at & (capacity - 1));
            final long contiguous = capacity - index;
            final int length = ring.getInt(data + index);
            final int word = ring.getInt(data + index + 4);
            final int type = word & ~SIGNAL;
            final long available;
            if (at < loaded) {
                available = loaded - at;
            } else {
                final long span = type == 1 ? contiguous : (8L + length + 7) & ~7L;
                if ((word & SIGNAL) != 0 && span <= loaded + capacity - at) {
                    available = loaded + capacity - at;
                } else {
                    if ((tail & 7) != 0 || tail < loaded || tail - at > capacity) {
                        return new Walk(records, "position");
                    }
                    if (tail == loaded) {
                        return new Walk(records, null); // nothing new
                    }
                    loaded = tail; // also when not past at: a newer position widens the reach
                    continue;
                }
            }
            if (type == 1) {
                if (length != contiguous - 8 || contiguous > available) {
                    return new Walk(records, "bad padding");
                }
                at += contiguous;
                continue;
            }
            if (type < 2 || length < 0 || length > maxPayload) {
                return new Walk(records, "bad record header");
            }
            final long size = (8L + length + 7) & ~7L;
            if (size > contiguous || size > available) {
                return new Walk(records, "record overruns");
            }
            records.add(new Record(type, Arrays.copyOfRange(bytes, data + index + 8, data + index + 8 + length)));
            at += size;
        }
    }

    /** Bit 30 of a record's type word: its header published it (ring-layout.md). */
    private static final int SIGNAL = 1 << 30;

    private boolean pair(final long head, final long tail) {
        return pair(head, tail, capacity);
    }

    private static boolean pair(final long head, final long tail, final long capacity) {
        final long span = tail - head;
        return span >= 0 && span <= capacity && ((head | tail) & 7) == 0;
    }

    private boolean ringHeaderOk(final ByteBuffer slot, final int ring) {
        final int foundPages = slot.getInt(ring + 12);
        return slot.getLong(ring) == RING_MAGIC
                && slot.getInt(ring + 8) == 2
                && foundPages == pages
                && slot.getLong(ring + 16) == capacity
                && slot.getInt(ring + 24) == maxFrame;
    }

    private static long mac(final byte[] frame, final int at) {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | (frame[at + i] & 0xFF);
        }
        return mac;
    }

    long peer() {
        return peer;
    }
}
