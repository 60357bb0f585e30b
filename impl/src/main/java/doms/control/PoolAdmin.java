package doms.control;

import doms.pool.BindingTable;
import doms.pool.PoolFiles;
import doms.pool.SlotDescriptor;
import doms.pool.SwitchStatus;
import doms.shm.SharedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The control plane's hold on a pool's files: the binding table it alone writes, and the
 * switch's status it reads. Shared by the long-running {@link ControlPlane} and the by-hand
 * {@code doms pool} command. One control plane per pool: the binding table has one writer.
 */
public final class PoolAdmin implements AutoCloseable {
    /** One slot handed to one guest. */
    public record Assignment(int slot, long generation, long mac, int tenant, Path path) {
    }

    private final PoolFiles pool;
    private final Isolation isolation;
    private final SharedFile bindingsFile;
    private final BindingTable bindings;
    private SharedFile statusFile;
    private SwitchStatus status;

    private PoolAdmin(final PoolFiles pool, final Isolation isolation, final SharedFile bindingsFile) {
        this.pool = pool;
        this.isolation = isolation;
        this.bindingsFile = bindingsFile;
        this.bindings = BindingTable.attach(bindingsFile.segment());
    }

    /** Boot, first half: the pool directory and a binding table of free slots (the switch allocates the slots). */
    public static PoolAdmin create(final Path dir, final int slots, final int pages, final int maxFrame,
                                   final Isolation isolation) throws IOException {
        doms.ring.RingDescriptor.capacity(pages);
        if (slots < 1 || slots > 4096) {
            throw new IllegalArgumentException("slots must be 1..4096, got " + slots);
        }
        if (maxFrame < doms.sw.EthernetFrame.HEADER_LENGTH || maxFrame > doms.sw.EthernetFrame.JUMBO_MAX_FRAME
                || maxFrame > doms.ring.RingDescriptor.largestPayload(pages)) {
            throw new IllegalArgumentException("max frame must be 14.." + Math.min(doms.sw.EthernetFrame.JUMBO_MAX_FRAME,
                    doms.ring.RingDescriptor.largestPayload(pages)) + " for " + pages + " pages, got " + maxFrame);
        }
        final PoolFiles pool = new PoolFiles(dir);
        Files.createDirectories(dir);
        isolation.poolDirectory(dir);
        final SharedFile file = SharedFile.create(pool.bindings(), BindingTable.fileLength(slots));
        BindingTable.initialise(file.segment(), slots, pages, maxFrame);
        isolation.bindingTable(pool.bindings());
        return new PoolAdmin(pool, isolation, file);
    }

    public static PoolAdmin open(final Path dir, final Isolation isolation) throws IOException {
        final PoolFiles pool = new PoolFiles(dir);
        if (!Files.isRegularFile(pool.bindings())) {
            throw new IllegalArgumentException("no pool at " + dir + " (no bindings file): create one with 'doms pool create'");
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

    /** Assign: binds a free, scrubbed slot to a guest and grants it the slot file. */
    public synchronized Assignment assign(final long mac, final int tenant) throws IOException {
        if (tenant < 0) {
            throw new IllegalArgumentException("tenant must not be negative");
        }
        for (int slot = 0; slot < bindings.slots(); slot++) {
            final int state = BindingTable.state(bindings.loadState(slot));
            if (state != BindingTable.FREE && bindings.tenant(slot) == tenant && bindings.mac(slot) == mac) {
                throw new IllegalArgumentException(doms.pool.Mac.format(mac) + " is already bound in tenant " + tenant + " (slot " + slot + ")");
            }
        }
        for (int slot = 0; slot < bindings.slots(); slot++) {
            if (BindingTable.state(bindings.loadState(slot)) == BindingTable.FREE) {
                if (!Files.exists(pool.slot(slot))) {
                    throw new IllegalStateException("slot " + slot + " does not exist yet: start the switch with --create first");
                }
                isolation.grant(pool.slot(slot), slot);
                final long generation = bindings.assign(slot, mac, tenant, isolation.guestUid(slot));
                return new Assignment(slot, generation, mac, tenant, pool.slot(slot));
            }
        }
        throw new IllegalStateException("no free slot in a pool of " + bindings.slots());
    }

    /** Retire, first half: RETIRING in the table, and the guest's access revoked. Returns the generation. */
    public synchronized long beginRetire(final int slot) throws IOException {
        checkSlot(slot);
        final long word = bindings.loadState(slot);
        // A retirement that failed half-way (timeout, I/O error) is resumed, not refused.
        final long generation = BindingTable.state(word) == BindingTable.RETIRING ? BindingTable.generation(word) : bindings.retire(slot);
        isolation.revoke(pool.slot(slot));
        return generation;
    }

    /**
     * Retire, second half: waits until the switch has released the generation (acquire), or
     * until {@code switchRunning} says no switch runs, then scrubs the slot and frees it.
     */
    public synchronized void finishRetire(final int slot, final long generation, final BooleanSupplier switchRunning,
                                          final long timeoutMillis) throws IOException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        final SwitchStatus st = status();
        while (st != null && st.released(slot) < generation && switchRunning.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("the switch did not release slot " + slot + " generation " + generation
                        + " within " + timeoutMillis + " ms; the slot stays RETIRING");
            }
            LockSupport.parkNanos(100_000);
        }
        scrub(slot);
        bindings.free(slot);
    }

    /** Scrub: zero the whole slot, then fresh empty rings, so no byte of the last guest remains. */
    private void scrub(final int slot) throws IOException {
        // The guest owned the file: first give it back its exact size, whatever the guest made of it.
        final long length = SlotDescriptor.fileLength(bindings.pages());
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(pool.slot(slot),
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(length);
            if (channel.size() < length) {
                channel.write(java.nio.ByteBuffer.wrap(new byte[1]), length - 1);
            }
        }
        try (SharedFile file = SharedFile.open(pool.slot(slot), length)) {
            SlotDescriptor.initialise(file.segment(), slot, bindings.pages(), bindings.maxFrame());
        }
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
    public void close() {
        if (statusFile != null) {
            statusFile.close();
        }
        bindingsFile.close();
    }
}
