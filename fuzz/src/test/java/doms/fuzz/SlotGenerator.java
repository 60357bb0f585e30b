package doms.fuzz;

import com.pholser.junit.quickcheck.generator.GenerationStatus;
import com.pholser.junit.quickcheck.generator.Generator;
import com.pholser.junit.quickcheck.random.SourceOfRandomness;
import doms.pool.Mac;
import doms.pool.SlotDescriptor;
import doms.ring.RingDescriptor;
import doms.ring.RingProducer;
import doms.net.EthernetFrame;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Structure-aware inputs: a slot written by an honest guest port (so most records are well
 * formed, with wrap-around and padding), holding every kind of frame a hostile guest sends, then
 * zero to three targeted corruptions of the fields the switch must not trust.
 */
public final class SlotGenerator extends Generator<HostileSlot> {
    private static final long[] ADDRESSES = {FuzzRig.P, FuzzRig.O, FuzzRig.F, Mac.BROADCAST,
            Mac.parse("01:00:5e:00:00:fb"), Mac.parse("02:12:34:56:78:9a"), 0L};

    public SlotGenerator() {
        super(HostileSlot.class);
    }

    @Override
    public HostileSlot generate(final SourceOfRandomness r, final GenerationStatus status) {
        final int pages = FuzzRig.PAGES;
        final long capacity = RingDescriptor.capacity(pages);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment slot = arena.allocate(SlotDescriptor.fileLength(pages), 4096);
            SlotDescriptor.initialise(slot, FuzzRig.SLOT_F, pages, FuzzRig.MAX_FRAME);
            final MemorySegment txRing = SlotDescriptor.txRing(slot, pages);
            final StringBuilder what = new StringBuilder();
            // Start anywhere in the ring, so that records wrap and padding appears.
            final long start = r.nextLong(0, 1L << 20) * 8;
            txRing.set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, start);
            txRing.set(ValueLayout.JAVA_LONG, RingDescriptor.CONSUMER_POSITION_OFFSET, start);
            final RingProducer producer = RingProducer.attach(txRing);
            final MemorySegment frame = arena.allocate(FuzzRig.MAX_FRAME, 8);
            final int records = r.nextInt(0, 40);
            for (int i = 0; i < records; i++) {
                final int kind = r.nextInt(0, 10);
                if (kind == 9 && !offerOffloaded(r, producer, frame)) { // a header and a TCP frame
                    break; // full
                }
                if (kind == 9) {
                    continue;
                }
                final int length = switch (kind) {
                    case 0 -> r.nextInt(0, 14);                        // runt
                    case 1 -> r.nextInt(14, 19);                       // around the tagged minimum
                    case 2 -> r.nextInt(1000, FuzzRig.MAX_FRAME + 1);  // large
                    default -> r.nextInt(14, 200);
                };
                // The header bytes from the input; the payload, which no rule reads, one byte
                // repeated (byte by byte it cost more than the switch's whole run).
                final int head = Math.min(length, EthernetFrame.TAGGED_HEADER_LENGTH);
                for (int b = 0; b < head; b++) {
                    frame.set(ValueLayout.JAVA_BYTE, b, r.nextByte(Byte.MIN_VALUE, Byte.MAX_VALUE));
                }
                if (length > head) {
                    frame.asSlice(head, length - head).fill(r.nextByte(Byte.MIN_VALUE, Byte.MAX_VALUE));
                }
                if (length >= 14) {
                    final long dst = ADDRESSES[r.nextInt(ADDRESSES.length)];
                    final long src = kind == 3 ? ADDRESSES[r.nextInt(ADDRESSES.length)] : FuzzRig.F; // 3: spoof
                    final int etherType = kind == 1 || kind == 4 ? EthernetFrame.TPID_8021Q : r.nextBoolean() ? 0x0800 : 0x86DD;
                    EthernetFrame.writeHeader(frame, 0, dst, src, etherType);
                }
                final int type = kind == 5 && r.nextBoolean() ? r.nextInt(3, 10) : 2; // 5: not a frame
                if (producer.offer(type, frame, 0, length) != 0) {
                    break; // full
                }
            }
            what.append(records).append(" records from ").append(start);
            final int corruptions = r.nextInt(0, 4);
            for (int c = 0; c < corruptions; c++) {
                corrupt(r, slot, txRing, capacity, producer.position(), start, what);
            }
            return new HostileSlot(slot.toArray(ValueLayout.JAVA_BYTE), what.toString());
        }
    }

    /**
     * An offloaded record from F: a virtio-net header asking for a checksum (or a small TCP
     * segmentation) and an IPv4 TCP frame it fits; the corruptions and the fuzzer's mutations
     * make the rest. False when the ring is full.
     */
    private static boolean offerOffloaded(final SourceOfRandomness r, final RingProducer producer, final MemorySegment buffer) {
        final byte[] header = r.nextBoolean() ? VnetSeeds.header(1, 0, 0, 0, 34, 16) : VnetSeeds.header(1, 1, 54, r.nextInt(40, 600), 34, 16);
        final byte[] frame = VnetSeeds.tcp(4, false, r.nextInt(0, 400));
        MemorySegment.copy(MemorySegment.ofArray(header), 0, buffer, 0, header.length);
        MemorySegment.copy(MemorySegment.ofArray(frame), 0, buffer, header.length, frame.length);
        EthernetFrame.writeHeader(buffer, header.length, ADDRESSES[r.nextInt(ADDRESSES.length)], FuzzRig.F, 0x0800);
        return producer.offer(SlotDescriptor.TYPE_VNET_FRAME, buffer, 0, header.length + frame.length) == 0;
    }

    private static void corrupt(final SourceOfRandomness r, final MemorySegment slot, final MemorySegment txRing,
                                final long capacity, final long tail, final long start, final StringBuilder what) {
        final long data = RingDescriptor.DATA_OFFSET;
        switch (r.nextInt(0, 8)) {
            case 0 -> {
                final long value = switch (r.nextInt(0, 4)) {
                    case 0 -> tail + capacity + 8;
                    case 1 -> start - 8;
                    case 2 -> tail + r.nextInt(1, 8);
                    default -> r.nextLong();
                };
                txRing.set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, value);
                what.append("; TX producer position ").append(value);
            }
            case 1 -> {
                final long value = r.nextBoolean() ? start + r.nextInt(1, 8) : r.nextLong();
                txRing.set(ValueLayout.JAVA_LONG, RingDescriptor.CONSUMER_POSITION_OFFSET, value);
                what.append("; TX consumer position ").append(value);
            }
            case 2, 3 -> {
                final long index = (start & (capacity - 1)) + 8L * r.nextInt(0, 64);
                final int value = switch (r.nextInt(0, 5)) {
                    case 0 -> -1;
                    case 1 -> FuzzRig.MAX_FRAME + 1;
                    case 2 -> Integer.MAX_VALUE;
                    case 3 -> r.nextInt(0, 4096);
                    default -> Integer.MIN_VALUE;
                };
                txRing.set(ValueLayout.JAVA_INT, data + (index & (capacity - 1)), value);
                what.append("; record length ").append(value);
            }
            case 4 -> {
                final long index = (start & (capacity - 1)) + 8L * r.nextInt(0, 64);
                final int value = r.nextInt(-1, 4);
                txRing.set(ValueLayout.JAVA_INT, data + (index & (capacity - 1)) + 4, value);
                what.append("; record type ").append(value);
            }
            case 5 -> {
                final MemorySegment rx = SlotDescriptor.rxRing(slot, FuzzRig.PAGES);
                final long value = r.nextBoolean() ? 8L * r.nextInt(1, 1024) : r.nextLong();
                rx.set(ValueLayout.JAVA_LONG, r.nextBoolean() ? RingDescriptor.CONSUMER_POSITION_OFFSET : RingDescriptor.PRODUCER_POSITION_OFFSET, value);
                what.append("; RX position ").append(value);
            }
            case 6 -> {
                final long[] fields = {RingDescriptor.MAGIC_OFFSET, RingDescriptor.VERSION_OFFSET, RingDescriptor.PAGES_OFFSET,
                        RingDescriptor.CAPACITY_OFFSET, RingDescriptor.MAX_PAYLOAD_OFFSET};
                final long field = fields[r.nextInt(fields.length)];
                txRing.set(ValueLayout.JAVA_INT, field, r.nextInt());
                what.append("; ring header field ").append(field);
            }
            default -> {
                final long at = r.nextLong(0, slot.byteSize() - 1); // both bounds inclusive
                slot.set(ValueLayout.JAVA_BYTE, at, r.nextByte(Byte.MIN_VALUE, Byte.MAX_VALUE));
                what.append("; byte ").append(at);
            }
        }
    }
}
