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
 *        64 TX consumer position released   72 RX producer position published   80..127 zero
 *   uplink (line 0, from 32): frames in, frames out, drops malformed, drops unknown VNI,
 *        drops spoofed source, socket errors (send or receive), learned MACs (8 bytes each)
 * </pre>
 *
 * <p>The heartbeat and counters are opaque stores: the control plane only needs to see them
 * change eventually, not ordered with anything. The released generation is a release store
 * paired with the control plane's acquire: everything the switch did with the slot, including
 * its last write into the slot's RX ring, happens before the control plane scrubs it.
 */
public final class SwitchStatus {
    public static final long MAGIC = 0x54415453534D4F44L; // "DOMSSTAT"
    public static final int VERSION = 3;
    public static final long BOOTS_OFFSET = 16;
    public static final long HEARTBEAT_OFFSET = 128;
    public static final long SLOTS_BASE = 256;
    public static final long SLOT_LENGTH = 128;
    public static final int SERVED = 0;
    public static final int RELEASED = 8;
    public static final int FRAMES_IN = 16;
    public static final int FRAMES_OUT = 24;
    public static final int DROPS_FULL = 32;
    public static final int DROPS_SPOOFED = 40;
    public static final int DROPS_MALFORMED = 48;
    public static final int QUARANTINED = 56;
    public static final int TX_CONSUMED = 64;
    public static final int RX_PRODUCED = 72;
    public static final int UPLINK_FRAMES_IN = 32;
    public static final int UPLINK_FRAMES_OUT = 40;
    public static final int UPLINK_DROPS_MALFORMED = 48;
    public static final int UPLINK_DROPS_UNKNOWN_VNI = 56;
    public static final int UPLINK_DROPS_SPOOFED = 64;
    public static final int UPLINK_SOCKET_ERRORS = 72;
    public static final int UPLINK_LEARNED = 80;

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

    /** The switch, when it creates the pool. */
    public static SwitchStatus initialise(final MemorySegment status, final int slots) {
        status.fill((byte) 0);
        status.set(ValueLayout.JAVA_LONG, 0, MAGIC);
        status.set(ValueLayout.JAVA_INT, 8, VERSION);
        status.set(ValueLayout.JAVA_INT, 12, slots);
        return new SwitchStatus(status, slots);
    }

    public static SwitchStatus attach(final MemorySegment status) {
        if (status.byteSize() < SLOTS_BASE || status.get(ValueLayout.JAVA_LONG, 0) != MAGIC) {
            throw new IllegalStateException("not a doms switch status file");
        }
        if (status.get(ValueLayout.JAVA_INT, 8) != VERSION) {
            throw new IllegalStateException("switch status file of version " + status.get(ValueLayout.JAVA_INT, 8) + ", expected " + VERSION);
        }
        final int slots = status.get(ValueLayout.JAVA_INT, 12);
        if (slots < 1 || status.byteSize() < fileLength(slots)) {
            throw new IllegalStateException("switch status file too small for " + slots + " slots");
        }
        return new SwitchStatus(status, slots);
    }

    public int slots() {
        return slots;
    }

    private static long at(final int slot, final int field) {
        return SLOTS_BASE + SLOT_LENGTH * slot + field;
    }

    /** The switch, once per boot: counts boots so the control plane can tell a new switch from the old. */
    public long recordBoot() {
        final long boots = status.get(ValueLayout.JAVA_LONG, BOOTS_OFFSET) + 1;
        WORD.setRelease(status, BOOTS_OFFSET, boots);
        return boots;
    }

    public long boots() {
        return (long) WORD.getAcquire(status, BOOTS_OFFSET);
    }

    public void heartbeat(final long beat) {
        WORD.setOpaque(status, HEARTBEAT_OFFSET, beat);
    }

    public long heartbeat() {
        return (long) WORD.getOpaque(status, HEARTBEAT_OFFSET);
    }

    public void served(final int slot, final long generation) {
        WORD.setOpaque(status, at(slot, SERVED), generation);
    }

    public long served(final int slot) {
        return (long) WORD.getOpaque(status, at(slot, SERVED));
    }

    /** The switch: it has detached from this generation of the slot and will never touch it again. */
    public void released(final int slot, final long generation) {
        WORD.setRelease(status, at(slot, RELEASED), generation);
    }

    /** The control plane: the last generation the switch released (acquire: pairs with {@link #released(int, long)}). */
    public long released(final int slot) {
        return (long) WORD.getAcquire(status, at(slot, RELEASED));
    }

    /**
     * The switch, before it publishes a ring position of the slot: where a restarted switch
     * resumes ({@link #TX_CONSUMED} or {@link #RX_PRODUCED}). Kept here, in memory no guest can
     * write, instead of being read back from the guest-writable ring. Opaque: only the next
     * switch process reads it, after this one died (process exit orders everything before it).
     */
    public void resumePosition(final int slot, final int field, final long position) {
        WORD.setOpaque(status, at(slot, field), position);
    }

    public long resumePosition(final int slot, final int field) {
        return (long) WORD.getOpaque(status, at(slot, field));
    }

    public void counter(final int slot, final int field, final long value) {
        WORD.setOpaque(status, at(slot, field), value);
    }

    /** The uplink's counters (the {@code UPLINK_*} offsets); zero while the switch has no uplink. */
    public void uplinkCounter(final int field, final long value) {
        WORD.setOpaque(status, (long) field, value);
    }

    public long uplinkCounter(final int field) {
        return (long) WORD.getOpaque(status, (long) field);
    }

    public long counter(final int slot, final int field) {
        return (long) WORD.getOpaque(status, at(slot, field));
    }
}
