package doms.fuzz;

import doms.net.EthernetFrame;
import doms.net.VirtioNetHeader;
import doms.pool.SlotDescriptor;
import doms.ring.RecordDescriptor;
import doms.ring.RingDescriptor;
import doms.ring.RingProducer;
import doms.ring.RingResult;
import doms.sw.SwitchPort;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The racing attacker of the {@code race} target. Slot F's TX ring holds honest frames (how many
 * and how long: from the input); an attacker thread then rewrites chosen fields of them (the
 * schedule: from the input, each write after a chosen spin delay) while the switch polls, so
 * the fuzzer searches the windows between the switch's reads instead of waiting for them.
 */
final class Race {
    /** What the attacker may rewrite. */
    enum Field { LENGTH, TYPE, DESTINATION, SOURCE, ETHERTYPE, PAYLOAD, PRODUCER_POSITION, CONSUMER_POSITION }

    record Write(int spins, Field field, int record, long value) {
    }

    /** What one race made the switch do. */
    record Outcome(int frames, List<Write> schedule, List<Long> sourcesAtP, int atO, SwitchPort f, SwitchPort p, SwitchPort o,
                   long framesOutOfO, int rounds, boolean ringRuleTouched) {
    }

    static final int MAX_FRAMES = 32;
    static final int MAX_WRITES = 16;
    private static final long[] ADDRESSES = {FuzzRig.F, FuzzRig.P, FuzzRig.O, 0xFFFF_FFFF_FFFFL, 0x0100_5E00_0001L, 0};

    private Race() {
    }

    /** Reads a race from the input: frame count and lengths, then the attacker's schedule. */
    static Outcome run(final InputStream in) throws IOException {
        final int frames = 1 + u8(in) % MAX_FRAMES;
        final int[] lengths = new int[frames];
        for (int i = 0; i < frames; i++) {
            lengths[i] = EthernetFrame.HEADER_LENGTH + u8(in) * 4; // 14..1034 bytes
        }
        final List<Write> schedule = new ArrayList<>();
        for (int i = 0, n = u8(in) % (MAX_WRITES + 1); i < n; i++) {
            final Field field = Field.values()[u8(in) % Field.values().length];
            final int spins = u8(in); // pauses before the write: windows of up to about 10 µs
            final int record = u8(in) % frames;
            final long raw = (long) u8(in) << 24 | u8(in) << 16 | u8(in) << 8 | u8(in);
            final long value = switch (field) {
                case DESTINATION, SOURCE -> ADDRESSES[(int) (raw % ADDRESSES.length)];
                case PRODUCER_POSITION, CONSUMER_POSITION -> raw % 2 == 0 ? raw >>> 1 << 3 : raw; // aligned or not
                default -> raw;
            };
            schedule.add(new Write(spins, field, record, value));
        }
        return race(lengths, schedule);
    }

    private static int u8(final InputStream in) throws IOException {
        final int b = in.read();
        return b < 0 ? 0 : b;
    }

    private static Outcome race(final int[] lengths, final List<Write> schedule) {
        final FuzzRig rig = FuzzRig.get();
        final MemorySegment slot = rig.slotF();
        final long oBefore = rig.port(FuzzRig.SLOT_O).framesOut(); // other targets (uplink) may have sent O frames
        SlotDescriptor.initialise(slot, FuzzRig.SLOT_F, FuzzRig.PAGES, FuzzRig.MAX_FRAME);
        rig.sw().renew(FuzzRig.SLOT_F);
        final MemorySegment tx = SlotDescriptor.txRing(slot, FuzzRig.PAGES);
        final long[] records = writeFrames(tx, lengths);
        final int frames = (int) records[records.length - 1];
        boolean ringRule = false;
        for (final Write w : schedule) {
            ringRule |= w.field() == Field.LENGTH || w.field() == Field.TYPE || w.field() == Field.PRODUCER_POSITION
                    || w.field() == Field.CONSUMER_POSITION;
        }
        final Attacker attacker = Attacker.get();
        attacker.start(() -> attack(tx, records, lengths, schedule));
        final int maxRounds = (int) (SlotDescriptor.fileLength(FuzzRig.PAGES) / 8 / FuzzRig.BUDGET) + 4;
        int rounds = 0;
        int idle = 0;
        // The switch polls while the attacker writes, then until it takes nothing more.
        while ((attacker.busy() || idle < 2) && rounds < maxRounds * 64) {
            idle = rig.sw().round() == 0 ? idle + 1 : 0;
            rounds++;
        }
        attacker.await();
        for (int more = 0; more < maxRounds && rig.sw().round() != 0; more++) {
            rounds++;
        }
        final List<Long> sources = new ArrayList<>();
        final int[] atO = new int[1];
        rig.peer().receive((type, buffer, offset, length) -> sources.add(EthernetFrame.source(buffer,
                offset + (type == SlotDescriptor.TYPE_VNET_FRAME ? VirtioNetHeader.LENGTH : 0))), Integer.MAX_VALUE);
        rig.otherTenant().receive((type, buffer, offset, length) -> atO[0]++, Integer.MAX_VALUE);
        return new Outcome(frames, schedule, sources, atO[0], rig.port(FuzzRig.SLOT_F), rig.port(FuzzRig.SLOT_P),
                rig.port(FuzzRig.SLOT_O), rig.port(FuzzRig.SLOT_O).framesOut() - oBefore, rounds, ringRule);
    }

    /** Honest frames from F to P; returns each record's offset in the data area, then the count. */
    private static long[] writeFrames(final MemorySegment tx, final int[] lengths) {
        final RingProducer producer = RingProducer.attach(tx);
        final long[] records = new long[lengths.length + 1];
        int written = 0;
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment frame = arena.allocate(FuzzRig.MAX_FRAME, 8);
            EthernetFrame.writeHeader(frame, 0, FuzzRig.P, FuzzRig.F, 0x0800);
            for (final int length : lengths) {
                if (producer.offer(SlotDescriptor.TYPE_FRAME, frame, 0, length) != RingResult.OK) {
                    break; // full: the rest stays unsent
                }
                // The record ends at the new position (a PAD, if any, went before it).
                records[written++] = (producer.position() - RecordDescriptor.alignedLength(length)) & (producer.capacity() - 1);
            }
        }
        records[lengths.length] = written;
        return records;
    }

    private static void attack(final MemorySegment tx, final long[] records, final int[] lengths, final List<Write> schedule) {
        final int frames = (int) records[records.length - 1];
        for (final Write w : schedule) {
            for (int i = 0; i < w.spins(); i++) {
                Thread.onSpinWait();
            }
            if (frames == 0) {
                continue;
            }
            final int r = w.record() % frames;
            final long record = RingDescriptor.DATA_OFFSET + records[r];
            final long frame = record + RecordDescriptor.HEADER_LENGTH;
            switch (w.field()) {
                case LENGTH -> tx.set(ValueLayout.JAVA_INT, record + RecordDescriptor.LENGTH_OFFSET, (int) w.value());
                case TYPE -> tx.set(ValueLayout.JAVA_INT, record + RecordDescriptor.TYPE_OFFSET, (int) w.value());
                case DESTINATION -> mac(tx, frame, w.value());
                case SOURCE -> mac(tx, frame + 6, w.value());
                case ETHERTYPE -> tx.set(ValueLayout.JAVA_BYTE, frame + 12, (byte) (w.value() >>> 8));
                case PAYLOAD -> tx.set(ValueLayout.JAVA_BYTE, frame + w.value() % lengths[r], (byte) w.value()); // inside the frame
                case PRODUCER_POSITION -> tx.set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, w.value());
                case CONSUMER_POSITION -> tx.set(ValueLayout.JAVA_LONG, RingDescriptor.CONSUMER_POSITION_OFFSET, w.value());
            }
        }
    }

    /**
     * The attacker's thread, one per JVM and waiting between races: starting a thread per input
     * cost more than the race itself. It spins for a while after a race (the next one usually
     * comes within microseconds), then parks.
     */
    private static final class Attacker implements Runnable {
        private static Attacker shared;
        private final Thread thread;
        private volatile Runnable job;
        private volatile Throwable failed;

        static synchronized Attacker get() {
            if (shared == null) {
                shared = new Attacker();
            }
            return shared;
        }

        private Attacker() {
            thread = Thread.ofPlatform().daemon().name("attacker").start(this);
        }

        void start(final Runnable attack) {
            job = attack;
            LockSupport.unpark(thread);
        }

        boolean busy() {
            return job != null;
        }

        /** Waits for the race's writes to finish; what the attacker threw is thrown here. */
        void await() {
            while (job != null) {
                Thread.onSpinWait();
            }
            final Throwable t = failed;
            if (t != null) {
                failed = null;
                throw new IllegalStateException("the attacker failed", t);
            }
        }

        @Override
        public void run() {
            for (long idle = 0; ; ) {
                final Runnable j = job;
                if (j == null) {
                    if (++idle < 100_000) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                    continue;
                }
                idle = 0;
                try {
                    j.run();
                } catch (Throwable t) {
                    failed = t;
                } finally {
                    job = null;
                }
            }
        }
    }

    private static void mac(final MemorySegment tx, final long at, final long address) {
        for (int i = 0; i < 6; i++) {
            tx.set(ValueLayout.JAVA_BYTE, at + i, (byte) (address >>> (40 - 8 * i)));
        }
    }
}
