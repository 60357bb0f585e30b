package doms.fuzz;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.pholser.junit.quickcheck.From;
import doms.guest.GuestPort;
import doms.guest.TapBridge;
import doms.net.FrameDevice;
import doms.net.VirtioNetHeader;
import doms.poll.IdleStrategies;
import doms.pool.SlotDescriptor;
import doms.ring.RingDescriptor;
import doms.shm.SharedMemory;
import edu.berkeley.cs.jqf.fuzz.Fuzz;
import edu.berkeley.cs.jqf.fuzz.JQF;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.runner.RunWith;

/**
 * The other direction (Xen's XSA-376: a frontend attacked by its backend): a compromised
 * switch against the guest's side. It can write every byte of the slot: the headers the
 * guest's attach checks, and the RX ring the guest's receive path and its TAP bridge read.
 */
@RunWith(JQF.class)
public class GuestSideFuzz {
    private static final Outcomes ATTACH = new Outcomes(List.of("attached", "corruption reported on the first receive",
            "refused: not a valid slot: bad page count N", "refused: not a valid slot: not a doms slot (bad magic)",
            "refused: not a valid slot: unsupported slot layout version N",
            "refused: not a valid slot: slot of N bytes is smaller than N",
            "refused: not a valid slot: TX ring: ring is N pages / max payload N, expected N / N",
            "refused: not a valid slot: RX ring: bad magic 0xN", "refused: not a valid slot: RX ring: unsupported layout version N",
            "refused: not a valid slot: RX ring: bad page count N", "refused: not a valid slot: RX ring: capacity N does not match N pages",
            "refused: not a valid slot: RX ring: bad max payload N",
            "refused: not a valid slot: RX ring: ring is N pages / max payload N, expected N / N",
            "refused: not a valid slot: unaligned consumer position N"));
    private static final Outcomes GUEST = new Outcomes(List.of("nothing published", "records received", "corruption reported"));
    private static final Outcomes TAP = new Outcomes(List.of("ring valid, every frame written", "position", "bad padding",
            "bad record header", "record overruns", "frames written before the corruption", "records of other types skipped",
            "offloaded record written to a vnet TAP"));

    /** Each outcome a target can name, with how often its campaign reached it (read by the campaign at its end). */
    public static Map<String, Long> outcomes(final String target) {
        return (switch (target) {
            case "attach" -> ATTACH;
            case "guest" -> GUEST;
            default -> TAP;
        }).counts();
    }

    /**
     * The guest's attach against a compromised switch, which can write every byte of the slot
     * before the guest maps it: the input is XORed into the slot header (magic, version, index,
     * pages, maximum frame) and into the RX ring's header (magic, version, geometry, both
     * positions), so that an all-zero input is a valid slot. Oracles: {@code GuestPort.attach}
     * refuses with {@link IllegalStateException} (a one-line reason) or returns a port whose
     * rings and maximum frame fit the slot; a receive on it never throws and stays inside the
     * ring; a corruption it reports stays reported.
     */
    @Fuzz
    public void attach(@From(RawInput.class) final InputStream in) throws IOException {
        final int pages = FuzzRig.PAGES;
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment slot = arena.allocate(SlotDescriptor.fileLength(pages), 4096);
            SlotDescriptor.initialise(slot, 0, pages, FuzzRig.MAX_FRAME);
            final MemorySegment rx = SlotDescriptor.rxRing(slot, pages);
            xor(slot, 0, in.readNBytes((int) SlotDescriptor.MAX_FRAME_OFFSET + 4));
            xor(rx, 0, in.readNBytes((int) RingDescriptor.MAX_PAYLOAD_OFFSET + 4));
            xor(rx, RingDescriptor.PRODUCER_POSITION_OFFSET, in.readNBytes(8));
            xor(rx, RingDescriptor.CONSUMER_POSITION_OFFSET, in.readNBytes(8));
            final GuestPort port;
            try {
                port = GuestPort.attach(SharedMemory.of(slot, () -> { }));
            } catch (IllegalStateException refused) {
                assertTrue("a refusal says why", refused.getMessage() != null && !refused.getMessage().isBlank());
                ATTACH.reached("refused: " + Outcomes.normalise(refused.getMessage()));
                return;
            }
            ATTACH.reached("attached");
            final int claimed = SlotDescriptor.pages(slot);
            assertTrue("the slot's geometry fits its memory", SlotDescriptor.fileLength(claimed) <= slot.byteSize());
            assertTrue("maximum frame within the ring", port.maxFrame() > 0
                    && port.maxFrame() <= RingDescriptor.capacity(claimed));
            final long ringEnd = RingDescriptor.DATA_OFFSET + RingDescriptor.capacity(claimed);
            final doms.ring.RecordHandler inside = (type, buffer, offset, length) ->
                    assertTrue("frame inside the RX ring", offset >= RingDescriptor.DATA_OFFSET && length >= 0
                            && offset + length <= ringEnd && length <= port.maxFrame());
            final int first = port.receive(inside, 64);
            if (first < 0) {
                assertTrue("a reported corruption stays reported", port.receive(inside, 64) < 0);
                ATTACH.reached("corruption reported on the first receive");
            }
        }
    }

    private static void xor(final MemorySegment target, final long offset, final byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            target.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (target.get(ValueLayout.JAVA_BYTE, offset + i) ^ bytes[i]));
        }
    }

    /**
     * The other direction (Xen's XSA-376: a frontend attacked by its backend): a compromised
     * switch's RX ring against the guest's receive path ({@code GuestPort#receive}, what the TAP
     * bridge's RX thread calls). The RX producer position (16 bits) and data area come from the
     * fuzzer. Oracles: nothing escapes the guest's loop; every frame handed on lies wholly inside
     * the ring's data area, is at most the maximum frame, and is one the ring's rules allow (an
     * independent reading, {@link ReferenceModel#walk}: published, or signalled within one
     * capacity past the published position), all of them unless a rule is broken; the work is
     * bounded (at most one record per 8 bytes of two capacities); a corruption is reported
     * exactly when the reading finds a broken rule and, once reported, stays reported.
     */
    @Fuzz
    public void guest(@From(RawInput.class) final InputStream in) throws IOException {
        final long capacity = RingDescriptor.capacity(FuzzRig.PAGES);
        try (Arena arena = Arena.ofConfined()) {
            final HostileRx hostile = HostileRx.read(arena, in, false);
            final GuestPort port = hostile.port();
            final long published = hostile.published();
            final long[] delivered = {0, 0}; // records, bytes of records (aligned, with headers)
            final doms.ring.RecordHandler check = (type, buffer, offset, length) -> {
                assertTrue("frame inside the data area", offset >= RingDescriptor.DATA_OFFSET + 8
                        && offset + length <= RingDescriptor.DATA_OFFSET + capacity);
                assertTrue("at most the maximum frame", length >= 0 && length <= FuzzRig.MAX_FRAME);
                delivered[0]++;
                delivered[1] += doms.ring.RecordDescriptor.alignedLength(length);
            };
            boolean corrupt = false;
            // Polls enough for every record of two capacities; a poll may return 0 and the next
            // deliver more (one that consumed only the padding), so 0 does not end the loop.
            for (int polls = 0; polls < 2 * capacity / 8 + 2; polls++) {
                final int n = port.receive(check, 64);
                if (corrupt) {
                    assertTrue("a reported corruption stays reported", n < 0);
                    break;
                }
                if (n < 0) {
                    corrupt = true;
                }
            }
            // Past the published position only signalled records, within one capacity of it: what
            // the independent reading of the ring says a consumer may take, and no more.
            final ReferenceModel.Walk expected = ReferenceModel.walk(hostile.rx().asSlice(RingDescriptor.DATA_OFFSET, capacity)
                    .toArray(ValueLayout.JAVA_BYTE), 0, 0, 0, published, capacity, FuzzRig.MAX_FRAME);
            assertTrue("nothing beyond what the ring's rules allow", delivered[0] <= expected.records().size());
            assertEquals("a broken rule reported (reference: " + expected.broken() + ")", expected.broken() != null, corrupt);
            if (!corrupt) {
                assertEquals("every record the rules allow", expected.records().size(), delivered[0]);
            }
            final Outcomes outcomes = GUEST;
            outcomes.reachedIf(published == 0, "nothing published");
            outcomes.reachedIf(delivered[0] > 0, "records received");
            outcomes.reachedIf(corrupt, "corruption reported");
            assertTrue("bounded work", delivered[0] <= 2 * capacity / 8);
        }
    }

    /**
     * The TAP bridge's RX path ({@link TapBridge#pollRx}, what its RX thread runs) with a TAP that
     * records what it is given. The RX producer position (16 bits) and data area come from the
     * fuzzer. Oracles: nothing escapes the bridge; every frame it writes to the TAP is, byte for
     * byte and in order, a frame record the switch published whole (an independent reading of
     * the ring, {@link ReferenceModel#walk}); with every rule kept, all of them; with a rule
     * broken, the bridge reports a failure and writes nothing after it.
     */
    @Fuzz
    public void tap(@From(RawInput.class) final InputStream in) throws IOException {
        final long capacity = RingDescriptor.capacity(FuzzRig.PAGES);
        try (Arena arena = Arena.ofConfined()) {
            // The position's top bit chooses the TAP: with a virtio-net header on every frame, or without.
            final HostileRx hostile = HostileRx.read(arena, in, true);
            final GuestPort port = hostile.port();
            final MemorySegment rx = hostile.rx();
            final boolean vnet = hostile.topBit();
            final long published = hostile.published();
            final ReferenceModel.Walk expected = ReferenceModel.walk(rx.asSlice(RingDescriptor.DATA_OFFSET, capacity).toArray(ValueLayout.JAVA_BYTE),
                    0, 0, 0, published, capacity, FuzzRig.MAX_FRAME);
            // What the TAP must get: a frame (behind an empty header on a vnet TAP); a header and
            // its frame as they are, on a vnet TAP only; nothing of any other type.
            final List<byte[]> frames = new ArrayList<>();
            final List<Integer> types = new ArrayList<>();
            for (final ReferenceModel.Record r : expected.records()) {
                if (r.type() == SlotDescriptor.TYPE_FRAME) {
                    frames.add(vnet ? concat(new byte[VirtioNetHeader.LENGTH], r.payload()) : r.payload());
                    types.add(r.type());
                } else if (r.type() == SlotDescriptor.TYPE_VNET_FRAME && vnet) {
                    frames.add(r.payload());
                    types.add(r.type());
                }
            }

            final List<byte[]> written = new ArrayList<>();
            final TapBridge bridge = new TapBridge(port, new RecordingTap(written, vnet), IdleStrategies.parse("busy"));
            boolean corrupt = false;
            for (int polls = 0; polls < 2 * capacity / 8 + 2; polls++) { // 0 may precede more (padding only)
                final int n = bridge.pollRx();
                if (n < 0) {
                    corrupt = true;
                    break;
                }
            }
            assertTrue("more frames written than the switch published whole", written.size() <= frames.size());
            for (int i = 0; i < written.size(); i++) {
                assertTrue("frame " + i + " written to the TAP is not the record the switch published", Arrays.equals(frames.get(i), written.get(i)));
            }
            assertEquals("a broken rule reported (reference: " + expected.broken() + ")", expected.broken() != null, corrupt);
            if (corrupt) {
                final int before = written.size();
                assertTrue("a reported corruption stays reported", bridge.pollRx() < 0);
                assertEquals("frames written after the corruption", before, written.size());
                assertTrue("the bridge reports its failure", bridge.failure() != null && bridge.failure().startsWith("RX ring: "));
                TAP.reached(expected.broken());
                TAP.reachedIf(before > 0, "frames written before the corruption");
            } else {
                assertEquals("every frame the switch published", frames.size(), written.size());
                TAP.reached("ring valid, every frame written");
            }
            TAP.reachedIf(frames.size() < expected.records().size(), "records of other types skipped");
            TAP.reachedIf(types.subList(0, written.size()).contains(SlotDescriptor.TYPE_VNET_FRAME), "offloaded record written to a vnet TAP");
        }
    }

    /**
     * A fresh slot with its guest attached, and an RX ring written by a compromised switch: its
     * producer position from the input's first two bytes (big-endian; with {@code topBitIsFlag}
     * the top bit is taken out and returned as {@code topBit}), then its data area.
     */
    private record HostileRx(GuestPort port, MemorySegment rx, long published, boolean topBit) {
        static HostileRx read(final Arena arena, final InputStream in, final boolean topBitIsFlag) throws IOException {
            final int pages = FuzzRig.PAGES;
            final MemorySegment slot = arena.allocate(SlotDescriptor.fileLength(pages), 4096);
            SlotDescriptor.initialise(slot, 0, pages, FuzzRig.MAX_FRAME);
            final GuestPort port = GuestPort.attach(SharedMemory.of(slot, () -> { }));
            final MemorySegment rx = SlotDescriptor.rxRing(slot, pages);
            final byte[] head = in.readNBytes(2);
            final boolean topBit = topBitIsFlag && head.length == 2 && (head[0] & 0x80) != 0;
            final int high = head.length < 2 ? 0 : head[0] & (topBitIsFlag ? 0x7F : 0xFF);
            final long published = head.length < 2 ? 0 : (high << 8 | (head[1] & 0xFF));
            final byte[] data = in.readNBytes((int) RingDescriptor.capacity(pages));
            MemorySegment.copy(MemorySegment.ofArray(data), 0, rx, RingDescriptor.DATA_OFFSET, data.length);
            rx.set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, published);
            return new HostileRx(port, rx, published, topBit);
        }
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        final byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** A TAP that keeps what is written to it (on a vnet TAP, a plain frame behind an empty header) and has nothing to read. */
    private record RecordingTap(List<byte[]> written, boolean vnetHeader) implements FrameDevice {
        @Override
        public int read(final MemorySegment buffer, final int timeoutMillis) {
            return 0;
        }

        @Override
        public int readNow(final MemorySegment buffer) {
            return 0;
        }

        @Override
        public boolean write(final MemorySegment frame, final long length) {
            written.add(frame.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
            return true;
        }

        @Override
        public boolean writePlain(final MemorySegment frame, final long length) {
            final byte[] bytes = frame.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
            written.add(vnetHeader ? concat(new byte[VirtioNetHeader.LENGTH], bytes) : bytes);
            return true;
        }

        @Override
        public String name() {
            return "fuzz-tap";
        }
    }
}
