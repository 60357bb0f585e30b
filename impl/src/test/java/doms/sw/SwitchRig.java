package doms.sw;

import doms.net.EthernetFrame;
import doms.guest.GuestPort;
import doms.pool.BindingTable;
import doms.pool.PoolFiles;
import doms.pool.SlotDescriptor;
import doms.pool.SwitchStatus;
import doms.ring.RingResult;
import doms.shm.FileTrees;
import doms.shm.SharedFile;
import doms.shm.SharedMemory;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real switch in this JVM over a real pool (binding table and status file in /dev/shm, slot
 * memory from {@link InProcessSlots}). The test plays the control plane (it writes the binding
 * table) and the guests ({@link GuestPort}s on the same memory), and drives the switch round by
 * round: everything is deterministic, nothing waits.
 */
final class SwitchRig implements AutoCloseable {
    static final int PAGES = 1;
    static final int MAX_FRAME = EthernetFrame.DEFAULT_MAX_FRAME;
    /** Records of a 64-byte frame (72 bytes each) that fit in a one-page ring of 4096 bytes. */
    static final int RING_FRAMES_64 = 56;

    final Path dir;
    final PoolFiles pool;
    final SharedFile bindingsFile;
    final BindingTable bindings;
    final SharedFile statusFile;
    /** The control plane's view of the switch's status file. */
    final SwitchStatus status;
    final InProcessSlots slots;
    final List<String> log = new ArrayList<>();
    final int budget;
    /** Per slot: how many times a switch closed the memory it was handed. */
    final int[] unmapped;
    /** How many switches closed their slot source. */
    int sourcesClosed;
    Switch sw;

    SwitchRig(final int slotCount, final int budget) throws IOException {
        this.budget = budget;
        dir = Files.createTempDirectory(SharedFile.DEFAULT_DIRECTORY, "doms-sw-test-");
        pool = new PoolFiles(dir);
        bindingsFile = SharedFile.create(pool.bindings(), BindingTable.fileLength(slotCount));
        bindings = BindingTable.initialise(bindingsFile.segment(), slotCount, PAGES, MAX_FRAME);
        statusFile = SharedFile.create(pool.status(), SwitchStatus.fileLength(slotCount));
        status = SwitchStatus.initialise(statusFile.segment(), slotCount);
        slots = new InProcessSlots(slotCount, SlotDescriptor.fileLength(PAGES));
        unmapped = new int[slotCount];
        sw = boot();
    }

    /**
     * Boots a switch over the pool. Its slot source does not free the memory when the switch
     * closes: the guests (and a restarted switch) keep using it; the rig frees it at the end.
     */
    Switch boot() throws IOException {
        final Switch s = Switch.boot(pool, new SlotSource() {
            @Override
            public void poll() {
                slots.poll();
            }

            @Override
            public SharedMemory map(final int slot, final long generation, final long length) {
                final SharedMemory memory = slots.map(slot, generation, length);
                return memory == null ? null : new SharedMemory() {
                    @Override
                    public MemorySegment segment() {
                        return memory.segment();
                    }

                    @Override
                    public void close() {
                        unmapped[slot]++;
                    }
                };
            }

            @Override
            public void close() {
                sourcesClosed++;
            }
        }, budget);
        s.log(log::add);
        return s;
    }

    /**
     * The switch process dies (SIGKILL: no close, nothing more is published) and a new one boots
     * over the same pool, status file included.
     */
    Switch crashAndRestart() throws IOException {
        sw = boot(); // the old one is simply abandoned, as a killed process would be
        return sw;
    }

    /** Control plane: a fresh slot memory (empty rings), the binding, and the switch's next discovery pass. */
    GuestPort assign(final int slot, final long mac, final int tenant) {
        SlotDescriptor.initialise(slots.memory(slot), slot, PAGES, MAX_FRAME);
        bindings.assign(slot, mac, tenant, 0);
        sw.discoverNow();
        return GuestPort.attach(slots.view(slot));
    }

    /** The switch's port of {@code slot}, or null if it serves none. */
    SwitchPort port(final int slot) {
        for (final SwitchPort port : sw.ports()) {
            if (port.slot() == slot) {
                return port;
            }
        }
        return null;
    }

    /** The frames of a pcap file the switch wrote, in order (24-byte file header, 16-byte record headers). */
    static List<byte[]> pcapFrames(final Path file) throws IOException {
        final java.nio.ByteBuffer all = java.nio.ByteBuffer.wrap(Files.readAllBytes(file)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        final List<byte[]> frames = new ArrayList<>();
        for (int at = 24; at + 16 <= all.limit(); ) {
            final byte[] f = new byte[all.getInt(at + 8)];
            all.get(at + 16, f);
            frames.add(f);
            at += 16 + f.length;
        }
        return frames;
    }

    /** A record of type TYPE_VNET_FRAME: a virtio-net header that asks for nothing, then {@code frame}. */
    static MemorySegment offloaded(final MemorySegment frame) {
        final MemorySegment record = MemorySegment.ofArray(new byte[doms.net.VirtioNetHeader.LENGTH + (int) frame.byteSize()]);
        MemorySegment.copy(frame, 0, record, doms.net.VirtioNetHeader.LENGTH, frame.byteSize());
        return record;
    }

    /** A frame of {@code length} bytes: the header, then {@code mark} in every payload byte. */
    static MemorySegment frame(final long dst, final long src, final int length, final int mark) {
        final MemorySegment frame = MemorySegment.ofArray(new byte[length]);
        frame.fill((byte) mark);
        if (length >= EthernetFrame.HEADER_LENGTH) {
            EthernetFrame.writeHeader(frame, 0, dst, src, 0x88B5);
        }
        return frame;
    }

    /** The guest sends a frame; fails the test if its TX ring refuses it. */
    static void send(final GuestPort guest, final MemorySegment frame) {
        final int result = guest.send(frame, 0, (int) frame.byteSize());
        if (result != RingResult.OK) {
            throw new AssertionError("guest TX ring refused the frame: " + RingResult.describe(result));
        }
    }

    static void send(final GuestPort guest, final long dst, final long src, final int mark) {
        send(guest, frame(dst, src, 64, mark));
    }

    /** Everything in the guest's RX ring, each frame as bytes. */
    static List<byte[]> drain(final GuestPort guest) {
        final List<byte[]> got = new ArrayList<>();
        final int n = guest.receive((type, buffer, offset, length) -> got.add(buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE)),
                Integer.MAX_VALUE);
        if (n < 0) {
            throw new AssertionError("guest RX ring: " + RingResult.describe(n));
        }
        return got;
    }

    /** The payload marks of the frames the guest received, in order. */
    static List<Integer> marks(final GuestPort guest) {
        final List<Integer> marks = new ArrayList<>();
        for (final byte[] frame : drain(guest)) {
            marks.add(frame[frame.length - 1] & 0xFF);
        }
        return marks;
    }

    /** Rounds until one takes nothing; returns the frames taken in all. */
    int settle() {
        int total = 0;
        for (int rounds = 0; rounds < 10_000; rounds++) {
            final int n = sw.round();
            if (n == 0) {
                return total;
            }
            total += n;
        }
        throw new AssertionError("the switch never went idle");
    }

    /** How many mappings of {@code file} this process has (/proc/self/maps). */
    static long mappings(final Path file) throws IOException {
        final String name = " " + file.toAbsolutePath();
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(line -> line.endsWith(name)).count();
        }
    }

    @Override
    public void close() throws IOException {
        sw.close();
        slots.close();
        statusFile.close();
        bindingsFile.close();
        FileTrees.delete(dir);
    }
}
