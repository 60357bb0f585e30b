package doms.pool;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * What the switch tells the control plane, without ever asking it anything: a heartbeat, the
 * generation it serves and the generation it released for each slot, and per-slot counters.
 * Written only by the switch; read by the control plane; not shared with guests.
 *
 * <pre>
 *        0                   8         12        16                  24
 *        +-------------------+---------+---------+-------------------+-- ... --+
 *        | magic "DOMSSTAT"  | version | slots   | boots (u64)       | uplink  |  line 0
 *    128 | heartbeat (u64)                                           |  zero   |  line 1
 *    256 | slot 0: 128 bytes | slot 1 | ...                                      |
 *        +-----------------------------------------------------------------------+
 *   slot: 0 served generation   8 released generation   16 frames in   24 frames out
 *        32 drops: RX ring full 40 drops: spoofed source 48 drops: malformed   56 quarantined generation
 *        64 TX consumer position released   72 RX producer position published
 *        80 drops: too big for this port   88..127 zero
 *   uplink (line 0, from 32): frames in, frames out, drops malformed, drops unknown VNI,
 *        drops spoofed source, socket errors (send or receive), learned MACs, drops too big
 *        (8 bytes each)
 * </pre>
 *
 * <p>Every access to a shared word goes through an accessor whose prefix says its mode
 * ({@code opaque}, {@code so} store-release, {@code lv} load-acquire: access-modes.md). The
 * heartbeat and counters are opaque stores: the control plane only needs to see them
 * change eventually, not ordered with anything. The released generation is a release store
 * paired with the control plane's acquire: everything the switch did with the slot, including
 * its last write into the slot's RX ring, happens before the control plane scrubs it.
 */
public final class SwitchStatus {
    public static final long MAGIC = 0x54415453534D4F44L; // "DOMSSTAT"
    public static final int VERSION = 4;
    public static final long MAGIC_OFFSET = 0;
    public static final long VERSION_OFFSET = 8;
    public static final long SLOTS_OFFSET = 12;
    public static final long BOOTS_OFFSET = 16;
    public static final long UPLINK_OFFSET = 32;
    public static final long HEARTBEAT_OFFSET = 128;
    public static final long SLOTS_BASE = 256;
    public static final long SLOT_LENGTH = 128;
    public static final long SERVED_OFFSET = 0;
    public static final long RELEASED_OFFSET = 8;

    /** A counter of one slot's port, at its offset within the slot's 128 bytes. */
    public enum SlotCounter {
        FRAMES_IN(16), FRAMES_OUT(24), DROPS_FULL(32), DROPS_SPOOFED(40), DROPS_MALFORMED(48),
        /** The generation that was quarantined, 0 while the port forwards. */
        QUARANTINED(56),
        /** Offloaded records this port could not take: their UDP datagrams exceed its maximum frame. */
        DROPS_TOO_BIG(80);

        final long offset;

        SlotCounter(final long offset) {
            this.offset = offset;
        }
    }

    /** Where a restarted switch resumes a slot's rings, at its offset within the slot's 128 bytes. */
    public enum ResumePosition {
        /** The TX ring's consumer position the switch last released. */
        TX_CONSUMED(64),
        /** The RX ring's producer position the switch last published. */
        RX_PRODUCED(72);

        final long offset;

        ResumePosition(final long offset) {
            this.offset = offset;
        }
    }

    /** A counter of the uplink port, in line 0 from {@link #UPLINK_OFFSET}. */
    public enum UplinkCounter {
        FRAMES_IN, FRAMES_OUT, DROPS_MALFORMED, DROPS_UNKNOWN_VNI, DROPS_SPOOFED,
        /** Send or receive errors of the uplink's socket. */
        SOCKET_ERRORS,
        /** MAC addresses learned behind remote endpoints, now. */
        LEARNED,
        /** Offloaded records whose UDP datagrams exceed the uplink's maximum frame. */
        DROPS_TOO_BIG;

        long offset() {
            return UPLINK_OFFSET + 8L * ordinal();
        }
    }

    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment status;
    private final int slots;

    private SwitchStatus(final MemorySegment status, final int slots) {
        this.status = status;
        this.slots = slots;
    }

    public static long fileLength(final int slots) {
        return SLOTS_BASE + SLOT_LENGTH * slots;
    }

    /** The control plane, when it creates the pool (before any switch maps it). */
    public static SwitchStatus initialise(final MemorySegment status, final int slots) {
        status.fill((byte) 0);
        status.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
        status.set(ValueLayout.JAVA_INT, VERSION_OFFSET, VERSION);
        status.set(ValueLayout.JAVA_INT, SLOTS_OFFSET, slots);
        return new SwitchStatus(status, slots);
    }

    public static SwitchStatus attach(final MemorySegment status) {
        if (status.byteSize() < SLOTS_BASE || status.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET) != MAGIC) {
            throw new IllegalStateException("not a doms switch status file");
        }
        final int version = status.get(ValueLayout.JAVA_INT, VERSION_OFFSET);
        if (version != VERSION) {
            throw new IllegalStateException("switch status file of version " + version + ", expected " + VERSION);
        }
        final int slots = status.get(ValueLayout.JAVA_INT, SLOTS_OFFSET);
        if (slots < 1 || status.byteSize() < fileLength(slots)) {
            throw new IllegalStateException("switch status file too small for " + slots + " slots");
        }
        return new SwitchStatus(status, slots);
    }

    public int slots() {
        return slots;
    }

    private static long at(final int slot, final long field) {
        return SLOTS_BASE + SLOT_LENGTH * slot + field;
    }

    /** The switch, once per boot: counts boots so the control plane can tell a new switch from the old. */
    public long recordBoot() {
        final long boots = status.get(ValueLayout.JAVA_LONG, BOOTS_OFFSET) + 1; // only the switch writes it
        soBoots(boots);
        return boots;
    }

    private void soBoots(final long boots) {
        WORD.setRelease(status, BOOTS_OFFSET, boots);
    }

    public long lvBoots() {
        return (long) WORD.getAcquire(status, BOOTS_OFFSET);
    }

    public void opaqueHeartbeat(final long beat) {
        WORD.setOpaque(status, HEARTBEAT_OFFSET, beat);
    }

    public long opaqueHeartbeat() {
        return (long) WORD.getOpaque(status, HEARTBEAT_OFFSET);
    }

    public void opaqueServedGeneration(final int slot, final long generation) {
        WORD.setOpaque(status, at(slot, SERVED_OFFSET), generation);
    }

    public long opaqueServedGeneration(final int slot) {
        return (long) WORD.getOpaque(status, at(slot, SERVED_OFFSET));
    }

    /** The switch: it has detached from this generation of the slot and will never touch it again. */
    public void soReleasedGeneration(final int slot, final long generation) {
        WORD.setRelease(status, at(slot, RELEASED_OFFSET), generation);
    }

    /** The control plane: the last generation the switch released (pairs with {@link #soReleasedGeneration}). */
    public long lvReleasedGeneration(final int slot) {
        return (long) WORD.getAcquire(status, at(slot, RELEASED_OFFSET));
    }

    /**
     * The switch, before it publishes a ring position of the slot: where a restarted switch
     * resumes. Kept here, in memory no guest can write, instead of being read back from the
     * guest-writable ring. Opaque: only the next switch process reads it, after this one died
     * (process exit orders everything before it).
     */
    public void opaqueResumePosition(final int slot, final ResumePosition which, final long position) {
        WORD.setOpaque(status, at(slot, which.offset), position);
    }

    public long opaqueResumePosition(final int slot, final ResumePosition which) {
        return (long) WORD.getOpaque(status, at(slot, which.offset));
    }

    public void opaqueCounter(final int slot, final SlotCounter counter, final long value) {
        WORD.setOpaque(status, at(slot, counter.offset), value);
    }

    public long opaqueCounter(final int slot, final SlotCounter counter) {
        return (long) WORD.getOpaque(status, at(slot, counter.offset));
    }

    /** The uplink's counters; zero while the switch has no uplink. */
    public void opaqueUplinkCounter(final UplinkCounter counter, final long value) {
        WORD.setOpaque(status, counter.offset(), value);
    }

    public long opaqueUplinkCounter(final UplinkCounter counter) {
        return (long) WORD.getOpaque(status, counter.offset());
    }
}
