package doms.fuzz;

import doms.guest.GuestPort;
import doms.pool.BindingTable;
import doms.pool.Mac;
import doms.pool.PoolFiles;
import doms.pool.SlotDescriptor;
import doms.shm.FileTrees;
import doms.shm.SharedFile;
import doms.net.EthernetFrame;
import doms.sw.Switch;
import doms.sw.SwitchPort;
import doms.sw.InProcessSlots;
import doms.pool.SwitchStatus;
import doms.sw.VxlanUplink;
import doms.net.Vxlan;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real switch, in this JVM, over a real pool (binding table and status in /dev/shm, slot
 * memory handed over in-process) with three slots: the fuzzed guest
 * F (tenant 1), its honest peer P (tenant 1) and a guest O of tenant 2. The rig plays the
 * control plane (it writes the binding table) and the guests P and O (it drains their rings).
 */
final class FuzzRig implements AutoCloseable {
    static final int PAGES = 1;
    static final int MAX_FRAME = EthernetFrame.DEFAULT_MAX_FRAME;
    static final int BUDGET = 64;
    static final long F = Mac.parse("02:00:00:00:01:0f");
    static final long P = Mac.parse("02:00:00:00:01:01");
    static final long O = Mac.parse("02:00:00:00:02:01");
    static final int SLOT_F = 0;
    static final int SLOT_P = 1;
    static final int SLOT_O = 2;

    private static FuzzRig shared;

    private final Path dir;
    private final SharedFile bindingsFile;
    private final BindingTable bindings;
    private final Switch sw;
    private final InProcessSlots slots;
    private final MemorySegment slotF;
    private final GuestPort guestP;
    private final GuestPort guestO;

    /** One rig per JVM: the switch and the peers live across fuzz inputs, as they would in production. */
    static synchronized FuzzRig get() {
        if (shared == null) {
            shared = new FuzzRig();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    private FuzzRig() {
        try {
            dir = Files.createTempDirectory(SharedFile.DEFAULT_DIRECTORY, "doms-fuzz-");
            final PoolFiles pool = new PoolFiles(dir);
            bindingsFile = SharedFile.create(pool.bindings(), BindingTable.fileLength(3));
            bindings = BindingTable.initialise(bindingsFile.segment(), 3, PAGES, MAX_FRAME);
            try (SharedFile status = SharedFile.create(pool.status(), SwitchStatus.fileLength(3))) {
                SwitchStatus.initialise(status.segment(), 3);
            }
            slots = new InProcessSlots(3, SlotDescriptor.fileLength(PAGES));
            for (int i = 0; i < 3; i++) {
                SlotDescriptor.initialise(slots.memory(i), i, PAGES, MAX_FRAME);
            }
            sw = Switch.boot(pool, slots, BUDGET);
            sw.log(line -> { }); // every other input quarantines F: the oracle checks it, the log would drown

            bindings.assign(SLOT_F, F, 1, 0);
            bindings.assign(SLOT_P, P, 1, 0);
            bindings.assign(SLOT_O, O, 2, 0);
            sw.discoverNow();
            slotF = slots.memory(SLOT_F);
            // P takes offloaded records (a header and its frame) as they are; O does not.
            SlotDescriptor.opaqueFeatures(slots.memory(SLOT_P), SlotDescriptor.ACCEPTS_OFFLOADS);
            guestP = GuestPort.attach(slots.view(SLOT_P));
            guestO = GuestPort.attach(slots.view(SLOT_O));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What one input made the switch do: {@code atP} holds each record's payload and {@code typesAtP} its type (a frame, or a header and its frame). */
    record Outcome(boolean quarantined, List<byte[]> atP, List<Integer> typesAtP, int atO, SwitchPort f, SwitchPort p, SwitchPort o,
                   int rounds) {
    }

    /**
     * Puts {@code input} (what the guest wrote) into slot F's memory, has the switch serve F
     * afresh ({@link Switch#renew}: attach from position 0, new counters), lets it poll until it
     * takes nothing more, and collects what P and O got. Persistent: the slot stays mapped and
     * the binding stays; per input only the slot's bytes and F's port are new.
     */
    Outcome run(final HostileSlot input) {
        final MemorySegment slot = slotF;
        SlotDescriptor.initialise(slot, SLOT_F, PAGES, MAX_FRAME);
        final byte[] bytes = input.bytes();
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, slot, 0, Math.min(bytes.length, slot.byteSize()));
        sw.renew(SLOT_F);
        int rounds = 0;
        int idle = 0;
        // A hostile ring yields at most 2 * capacity / 8 records (a position's worth, then one
        // capacity of signalled ones): this many rounds, counted over the whole slot file, drain it.
        final int maxRounds = (int) (SlotDescriptor.fileLength(PAGES) / 8 / BUDGET) + 4;
        while (idle < 2 && rounds < maxRounds) {
            idle = sw.round() == 0 ? idle + 1 : 0;
            rounds++;
        }
        final List<byte[]> atP = new ArrayList<>();
        final List<Integer> typesAtP = new ArrayList<>();
        final int[] atO = new int[1];
        guestP.receive((type, buffer, offset, length) -> {
            atP.add(buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
            typesAtP.add(type);
        }, Integer.MAX_VALUE);
        guestO.receive((type, buffer, offset, length) -> atO[0]++, Integer.MAX_VALUE);
        final SwitchPort f = port(SLOT_F);
        return new Outcome(f.quarantined(), atP, typesAtP, atO[0], f, port(SLOT_P), port(SLOT_O), rounds);
    }

    SwitchPort port(final int slot) {
        for (final SwitchPort port : sw.ports()) {
            if (port.slot() == slot) {
                return port;
            }
        }
        throw new IllegalStateException("slot " + slot + " is not attached");
    }

    /** What one datagram from the network made the switch do. */
    record UplinkOutcome(List<byte[]> atP, List<byte[]> atO, long malformed, long unknownVni, long spoofed, int echoed) {
    }

    private VxlanUplink uplink;
    private DatagramChannel remote;
    private final ByteBuffer echo = ByteBuffer.allocateDirect(65536);

    /**
     * Sends {@code datagram} to the switch's uplink from a remote endpoint on loopback (VNI 1 is
     * tenant 1, VNI 2 tenant 2), then a marker with an unknown VNI, and runs rounds until the
     * switch has taken both: the datagram was then fully handled. Collects what P and O got and
     * what came back to the remote.
     */
    UplinkOutcome runUplink(final byte[] datagram) {
        try {
            if (uplink == null) {
                remote = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                remote.configureBlocking(false);
                uplink = VxlanUplink.open(new VxlanUplink.Config(new InetSocketAddress("127.0.0.1", 0),
                        List.of((InetSocketAddress) remote.getLocalAddress()), Map.of(1, 1, 2, 2), 300_000_000_000L), MAX_FRAME);
            }
            // Plugged in for this input only: the other targets' oracles assume a switch without
            // an uplink (a MAC learned here would turn their unknown unicast into a send).
            sw.uplink(uplink);
            final long taken = uplink.datagramsIn();
            final long malformed = uplink.dropsMalformed();
            final long unknown = uplink.dropsUnknownVni();
            final long spoofed = uplink.dropsSpoofed();
            final InetSocketAddress to = uplink.localAddress();
            remote.send(ByteBuffer.wrap(datagram), to);
            final byte[] marker = new byte[Vxlan.HEADER_LENGTH + EthernetFrame.HEADER_LENGTH];
            Vxlan.writeHeader(MemorySegment.ofArray(marker), 0, 9);
            remote.send(ByteBuffer.wrap(marker), to);
            for (int rounds = 0; uplink.datagramsIn() < taken + 2; rounds++) {
                if (rounds > 1_000_000) {
                    throw new IllegalStateException("the switch never took the datagrams from its socket");
                }
                sw.round();
            }
            final List<byte[]> atP = new ArrayList<>();
            final List<byte[]> atO = new ArrayList<>();
            guestP.receive((type, buffer, offset, length) -> atP.add(buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE)), Integer.MAX_VALUE);
            guestO.receive((type, buffer, offset, length) -> atO.add(buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE)), Integer.MAX_VALUE);
            sw.uplink(null);
            int echoed = 0;
            echo.clear();
            while (remote.receive(echo) != null) {
                echoed++;
                echo.clear();
            }
            return new UplinkOutcome(atP, atO, uplink.dropsMalformed() - malformed, uplink.dropsUnknownVni() - unknown - 1,
                    uplink.dropsSpoofed() - spoofed, echoed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The slot F memory, for the double-fetch test's attacker thread. */
    MemorySegment slotF() {
        return slotF;
    }

    Switch sw() {
        return sw;
    }

    GuestPort peer() {
        return guestP;
    }

    GuestPort otherTenant() {
        return guestO;
    }

    @Override
    public void close() {
        try {
            if (uplink != null) {
                remote.close();
            }
            guestP.close();
            guestO.close();
            sw.close();
            bindingsFile.close();
            FileTrees.delete(dir);
        } catch (IOException | RuntimeException e) {
            // best effort at exit
        }
    }
}
