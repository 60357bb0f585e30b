package doms.pool;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The binding table: which guest holds which slot, with which MAC address and tenant. Written
 * only by the control plane; the switch maps it read-only; guests cannot open it when the control
 * plane runs as root (file owner and mode, see doms.control.Isolation). This is where
 * a guest's binding lives so that the guest cannot change it (the threat model: a guest controls its slot).
 *
 * <pre>
 *        0                   8         12        16        20        24
 *        +-------------------+---------+---------+---------+---------+-- ... --+
 *        | magic "DOMSBIND"  | version | slots   | pages   | maxFrame|  zero   |  header page (4 KiB)
 *        +-------------------+---------+---------+---------+---------+-- ... --+
 *   4096 | entry 0 (64 bytes)  | entry 1 | ... | entry slots-1                   |
 *        +---------------------------------------------------------------------+
 *
 *   entry: 0 state word (u64) = generation &lt;&lt; 8 | state      8 MAC (u64, low 48 bits)
 *         16 tenant (u32)   20 guest uid (u32, information)   24..63 zero
 * </pre>
 *
 * <p>Protocol (spec/pool): the control plane writes MAC and tenant only while the slot is FREE,
 * then publishes {@code gen << 8 | ASSIGNED} with a release store; the switch loads the state
 * word with acquire, and only then reads MAC and tenant. They cannot change under it: the
 * control plane rewrites them only after the slot went through RETIRING and the switch
 * acknowledged the release of that generation (or died).
 */
public final class BindingTable {
    public static final long MAGIC = 0x444E4942534D4F44L; // "DOMSBIND"
    public static final int VERSION = 1;
    public static final long HEADER_LENGTH = 4096;
    public static final long ENTRY_LENGTH = 64;
    public static final long MAGIC_OFFSET = 0;
    public static final long VERSION_OFFSET = 8;
    public static final long SLOTS_OFFSET = 12;
    public static final long PAGES_OFFSET = 16;
    public static final long MAX_FRAME_OFFSET = 20;
    public static final long STATE_OFFSET = 0;
    public static final long MAC_OFFSET = 8;
    public static final long TENANT_OFFSET = 16;
    public static final long UID_OFFSET = 20;

    public static final int FREE = 0;
    public static final int ASSIGNED = 1;
    public static final int RETIRING = 2;

    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();

    private final MemorySegment table;
    private final int slots;

    private BindingTable(final MemorySegment table) {
        this.table = table;
        this.slots = table.get(ValueLayout.JAVA_INT, SLOTS_OFFSET);
    }

    public static long fileLength(final int slots) {
        return HEADER_LENGTH + ENTRY_LENGTH * slots;
    }

    /** Control plane, at boot: a table of all-FREE slots at generation 0. */
    public static BindingTable initialise(final MemorySegment table, final int slots, final int pages, final int maxFrame) {
        table.fill((byte) 0);
        table.set(ValueLayout.JAVA_LONG, MAGIC_OFFSET, MAGIC);
        table.set(ValueLayout.JAVA_INT, VERSION_OFFSET, VERSION);
        table.set(ValueLayout.JAVA_INT, SLOTS_OFFSET, slots);
        table.set(ValueLayout.JAVA_INT, PAGES_OFFSET, pages);
        table.set(ValueLayout.JAVA_INT, MAX_FRAME_OFFSET, maxFrame);
        return new BindingTable(table);
    }

    /** Maps an existing table after checking its header; throws IllegalStateException if it is not one. */
    public static BindingTable attach(final MemorySegment table) {
        if (table.byteSize() < HEADER_LENGTH || table.get(ValueLayout.JAVA_LONG, MAGIC_OFFSET) != MAGIC) {
            throw new IllegalStateException("not a doms binding table");
        }
        final int version = table.get(ValueLayout.JAVA_INT, VERSION_OFFSET);
        if (version != VERSION) {
            throw new IllegalStateException("binding table of version " + version + ", expected " + VERSION);
        }
        final BindingTable t = new BindingTable(table);
        if (t.slots < 1 || table.byteSize() < fileLength(t.slots)) {
            throw new IllegalStateException("binding table of " + table.byteSize() + " bytes is too small for " + t.slots + " slots");
        }
        return t;
    }

    public int slots() {
        return slots;
    }

    public int pages() {
        return table.get(ValueLayout.JAVA_INT, PAGES_OFFSET);
    }

    public int maxFrame() {
        return table.get(ValueLayout.JAVA_INT, MAX_FRAME_OFFSET);
    }

    private static long entry(final int slot) {
        return HEADER_LENGTH + ENTRY_LENGTH * slot;
    }

    public static int state(final long word) {
        return (int) (word & 0xFF);
    }

    public static long generation(final long word) {
        return word >>> 8;
    }

    public static long word(final long generation, final int state) {
        return generation << 8 | state;
    }

    /** Switch and control plane: the state word, load-acquire (MAC and tenant may be read after it). */
    public long lvState(final int slot) {
        return (long) WORD.getAcquire(table, entry(slot) + STATE_OFFSET);
    }

    /** Control plane: publishes a state word, store-release (after the plain stores of MAC, tenant, uid). */
    private void soState(final int slot, final long word) {
        WORD.setRelease(table, entry(slot) + STATE_OFFSET, word);
    }

    /** Plain: valid only after an {@link #lvState} that said ASSIGNED or RETIRING. */
    public long lpMac(final int slot) {
        return table.get(ValueLayout.JAVA_LONG, entry(slot) + MAC_OFFSET);
    }

    public int lpTenant(final int slot) {
        return table.get(ValueLayout.JAVA_INT, entry(slot) + TENANT_OFFSET);
    }

    public int lpUid(final int slot) {
        return table.get(ValueLayout.JAVA_INT, entry(slot) + UID_OFFSET);
    }

    private void spEntry(final int slot, final long mac, final int tenant, final int uid) {
        table.set(ValueLayout.JAVA_LONG, entry(slot) + MAC_OFFSET, mac);
        table.set(ValueLayout.JAVA_INT, entry(slot) + TENANT_OFFSET, tenant);
        table.set(ValueLayout.JAVA_INT, entry(slot) + UID_OFFSET, uid);
    }

    /** Control plane: binds a FREE slot to a guest at the next generation, and publishes it (release). */
    public long assign(final int slot, final long mac, final int tenant, final int uid) {
        final long word = lvState(slot);
        if (state(word) != FREE) {
            throw new IllegalStateException("slot " + slot + " is not free");
        }
        final long generation = generation(word) + 1;
        spEntry(slot, mac, tenant, uid);
        soState(slot, word(generation, ASSIGNED));
        return generation;
    }

    /** Control plane: marks an ASSIGNED slot as being retired (release). Returns its generation. */
    public long retire(final int slot) {
        final long word = lvState(slot);
        if (state(word) != ASSIGNED) {
            throw new IllegalStateException("slot " + slot + " is not assigned");
        }
        soState(slot, word(generation(word), RETIRING));
        return generation(word);
    }

    /** Control plane: after the scrub, the slot is FREE again at the same generation (release). */
    public void free(final int slot) {
        final long word = lvState(slot);
        if (state(word) != RETIRING) {
            throw new IllegalStateException("slot " + slot + " is not retiring");
        }
        spEntry(slot, 0, 0, 0);
        soState(slot, word(generation(word), FREE));
    }
}
