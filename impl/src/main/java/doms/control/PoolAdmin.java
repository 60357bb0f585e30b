package doms.control;

import doms.pool.BindingTable;
import doms.pool.PoolFiles;
import doms.pool.SlotDescriptor;
import doms.pool.SwitchStatus;
import doms.cap.ControlProtocol;
import doms.cap.Memfd;
import doms.cap.Native;
import doms.shm.SharedFile;
import doms.shm.SharedMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The control plane's hold on a pool: the binding table it alone writes, the switch's status it
 * reads, and the memory of every live slot generation, each a sealed memfd it alone creates and
 * hands out ({@link CapabilityServer}). One control plane per pool: the binding table has one
 * writer.
 */
public final class PoolAdmin implements AutoCloseable {
    /** One slot handed to one guest. */
    public record Assignment(int slot, long generation, long mac, int tenant) {
    }

    /** Told of every new generation's memory before the binding table publishes it (the switch's channel). */
    public interface GrantListener {
        void granted(ControlProtocol.Grant grant, int memfd);
    }

    private final PoolFiles pool;
    private final Isolation isolation;
    private final SharedFile bindingsFile;
    private final BindingTable bindings;
    /** The memfd of each slot's live generation (-1: none), and that generation. */
    private final int[] memfd;
    private final long[] memfdGeneration;
    private GrantListener listener = (grant, fd) -> { };
    private SharedFile statusFile;
    private SwitchStatus status;

    private PoolAdmin(final PoolFiles pool, final Isolation isolation, final SharedFile bindingsFile) {
        this.pool = pool;
        this.isolation = isolation;
        this.bindingsFile = bindingsFile;
        this.bindings = BindingTable.attach(bindingsFile.segment());
        this.memfd = new int[bindings.slots()];
        this.memfdGeneration = new long[bindings.slots()];
        java.util.Arrays.fill(memfd, -1);
    }

    /** Boot, first half: the pool directory, a binding table of free slots and the switch's status file. */
    public static PoolAdmin create(final Path dir, final int slots, final int pages, final int maxFrame,
                                   final Isolation isolation) throws IOException {
        doms.ring.RingDescriptor.capacity(pages);
        if (slots < 1 || slots > 4096) {
            throw new IllegalArgumentException("slots must be 1..4096, got " + slots);
        }
        if (maxFrame < doms.net.EthernetFrame.HEADER_LENGTH || maxFrame > doms.pool.SlotDescriptor.MAX_FRAME_LIMIT
                || maxFrame > doms.ring.RingDescriptor.largestPayload(pages)) {
            throw new IllegalArgumentException("max frame must be 14.." + Math.min(doms.pool.SlotDescriptor.MAX_FRAME_LIMIT,
                    doms.ring.RingDescriptor.largestPayload(pages)) + " for " + pages + " pages, got " + maxFrame);
        }
        final PoolFiles pool = new PoolFiles(dir);
        Files.createDirectories(dir);
        isolation.poolDirectory(dir);
        final SharedFile file = SharedFile.create(pool.bindings(), BindingTable.fileLength(slots));
        BindingTable.initialise(file.segment(), slots, pages, maxFrame);
        isolation.bindingTable(pool.bindings());
        try (SharedFile st = SharedFile.create(pool.status(), SwitchStatus.fileLength(slots))) {
            SwitchStatus.initialise(st.segment(), slots);
        }
        isolation.statusFile(pool.status());
        return new PoolAdmin(pool, isolation, file);
    }

    public static PoolAdmin open(final Path dir, final Isolation isolation) throws IOException {
        final PoolFiles pool = new PoolFiles(dir);
        if (!Files.isRegularFile(pool.bindings())) {
            throw new IllegalArgumentException("no pool at " + dir + " (no bindings file): start its control plane with 'doms control --pool DIR'");
        }
        return new PoolAdmin(pool, isolation, SharedFile.open(pool.bindings()));
    }

    /** The switch's status, once the switch has created it; null before. */
    public SwitchStatus status() throws IOException {
        if (status == null && Files.isRegularFile(pool.status())) {
            statusFile = SharedFile.openReadOnly(pool.status());
            status = SwitchStatus.attach(statusFile.segment());
        }
        return status;
    }

    /** Who hears of each new generation's memory (the capability server, which pushes it to the switch). */
    public synchronized void listener(final GrantListener listener) {
        this.listener = listener;
    }

    /**
     * Assign: a fresh sealed memfd with empty rings for the slot's next generation, announced to
     * the listener, then the binding published. Old descriptors of the slot reach old memory only.
     */
    public synchronized Assignment assign(final long mac, final int tenant) throws IOException {
        if (tenant < 0) {
            throw new IllegalArgumentException("tenant must not be negative");
        }
        for (int slot = 0; slot < bindings.slots(); slot++) {
            final int state = BindingTable.state(bindings.lvState(slot));
            if (state != BindingTable.FREE && bindings.lpTenant(slot) == tenant && bindings.lpMac(slot) == mac) {
                throw new IllegalArgumentException(doms.pool.Mac.format(mac) + " is already bound in tenant " + tenant + " (slot " + slot + ")");
            }
        }
        for (int slot = 0; slot < bindings.slots(); slot++) {
            final long word = bindings.lvState(slot);
            if (BindingTable.state(word) == BindingTable.FREE) {
                final long generation = BindingTable.generation(word) + 1;
                final long length = slotLength();
                final int fd = Memfd.create("doms-slot-" + slot + "-gen-" + generation, length);
                try (SharedMemory memory = Memfd.map(fd, length)) {
                    SlotDescriptor.initialise(memory.segment(), slot, bindings.pages(), bindings.maxFrame());
                } catch (IOException | RuntimeException e) {
                    Native.close(fd);
                    throw e;
                }
                memfd[slot] = fd;
                memfdGeneration[slot] = generation;
                listener.granted(new ControlProtocol.Grant(slot, generation, length, null), fd);
                bindings.assign(slot, mac, tenant, isolation.guestUid(slot));
                if (doms.pool.PoolTrace.ON) {
                    doms.pool.PoolTrace.assign(slot, generation, mac, tenant);
                }
                return new Assignment(slot, generation, mac, tenant);
            }
        }
        throw new IllegalStateException("no free slot in a pool of " + bindings.slots());
    }

    /** The length of every slot's memory in this pool. */
    public long slotLength() {
        return SlotDescriptor.fileLength(bindings.pages());
    }

    /** The memfd of the slot's generation while it is live (assigned, or retiring and not yet released); else -1. */
    public synchronized int memfd(final int slot, final long generation) {
        checkSlot(slot);
        return memfdGeneration[slot] == generation ? memfd[slot] : -1;
    }

    /** What to do with a live generation's memfd while it cannot be dropped (the admin's lock is held). */
    public interface MemfdUse {
        boolean use(int fd) throws IOException;
    }

    /** Runs {@code use} on the memfd of the slot's generation if it is live; false if it is not. */
    public synchronized boolean withMemfd(final int slot, final long generation, final MemfdUse use) throws IOException {
        final int fd = memfd(slot, generation);
        return fd >= 0 && use.use(fd);
    }

    /** Every live generation's grant, with its memfd (what a booting switch is sent). */
    public synchronized void forEachLive(final GrantListener each) {
        for (int slot = 0; slot < memfd.length; slot++) {
            if (memfd[slot] >= 0) {
                each.granted(new ControlProtocol.Grant(slot, memfdGeneration[slot], slotLength(), null), memfd[slot]);
            }
        }
    }

    /** Retire, first half: RETIRING in the table. Returns the generation. */
    public synchronized long beginRetire(final int slot) throws IOException {
        checkSlot(slot);
        final long word = bindings.lvState(slot);
        // A retirement that failed half-way (timeout, I/O error) is resumed, not refused.
        // The guest keeps its descriptor: what it does with it from now on reaches old memory only.
        if (BindingTable.state(word) == BindingTable.RETIRING) {
            return BindingTable.generation(word);
        }
        final long generation = bindings.retire(slot);
        if (doms.pool.PoolTrace.ON) {
            doms.pool.PoolTrace.retire(slot, generation);
        }
        return generation;
    }

    /**
     * Retire, second half: waits until the switch has released the generation (acquire), or
     * until {@code switchRunning} says no switch runs, then drops the generation's memory and frees the slot.
     */
    public void finishRetire(final int slot, final long generation, final BooleanSupplier switchRunning,
                                          final long timeoutMillis) throws IOException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        final SwitchStatus st = status();
        while (st != null && st.lvReleasedGeneration(slot) < generation && switchRunning.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("the switch did not release slot " + slot + " generation " + generation
                        + " within " + timeoutMillis + " ms; the slot stays RETIRING");
            }
            LockSupport.parkNanos(100_000);
        }
        synchronized (this) {
            drop(slot);
            bindings.free(slot);
            if (doms.pool.PoolTrace.ON) {
                doms.pool.PoolTrace.scrub(slot, generation, st != null && st.lvReleasedGeneration(slot) >= generation);
            }
        }
    }

    /**
     * Scrub, in the memfd design: the control plane lets go of the generation's memory. Nothing
     * of it can reach the slot's next guest, whose generation gets a new memfd.
     */
    private void drop(final int slot) {
        Native.close(memfd[slot]);
        memfd[slot] = -1;
        memfdGeneration[slot] = 0;
    }

    private void checkSlot(final int slot) {
        if (slot < 0 || slot >= bindings.slots()) {
            throw new IllegalArgumentException("slot must be 0.." + (bindings.slots() - 1) + ", got " + slot);
        }
    }

    public BindingTable bindings() {
        return bindings;
    }

    public PoolFiles pool() {
        return pool;
    }

    @Override
    public synchronized void close() {
        for (int slot = 0; slot < memfd.length; slot++) {
            drop(slot);
        }
        if (statusFile != null) {
            statusFile.close();
        }
        bindingsFile.close();
    }
}
