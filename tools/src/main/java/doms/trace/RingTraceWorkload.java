package doms.trace;

import doms.ring.RecordDescriptor;
import doms.ring.RingConsumer;
import doms.ring.RingDescriptor;
import doms.ring.RingProducer;
import doms.ring.RingResult;
import doms.ring.RingTrace;
import doms.shm.SharedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Where ring traces come from: many short runs on small rings, each its own trace.
 *
 * <ul>
 *   <li>{@code produce}/{@code consume}: two processes on the same sequence of one-page ring
 *       files (run k on file k), the producer offering {@code records} records of 1 to
 *       {@value #MAX_PAYLOAD} bytes, retrying each on FULL, the consumer polling with a limit of
 *       1 + k % 4 and checking every record's length and sequence number: traces
 *       {@code twoproc-K}.</li>
 *   <li>{@code hostile}: one process, the real consumer facing a hostile producer written by
 *       hand that behaves for a while and then writes one kind of garbage (a tail beyond the
 *       span, unaligned or backwards, a header of a bad type, a bad length, a PAD of the wrong
 *       length): traces {@code hostile-K}, consumer side only.</li>
 *   <li>{@code corpus}: the real consumer on the rings of the committed fuzz inputs of the
 *       {@code raw} target (a guest's TX ring as the switch finds it) and the {@code guest}
 *       target (a compromised switch's RX ring as the guest finds it), decoded as those targets
 *       decode them: traces {@code fuzz-TARGET-INPUT}, consumer side only.</li>
 * </ul>
 * Run with {@code -Ddoms.trace=DIR}; {@link #generate} starts these processes.
 */
public final class RingTraceWorkload {
    public static final int PAGES = 1;
    public static final int MAX_PAYLOAD = 1024;
    static final int TYPE_DATA = RecordDescriptor.TYPE_FIRST_USER;
    static final int TYPE_END = RecordDescriptor.TYPE_FIRST_USER + 1;

    private RingTraceWorkload() {
    }

    public static void main(final String[] args) throws Exception {
        final String role = args[0];
        switch (role) {
            case "produce" -> produce(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]));
            case "consume" -> consume(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]));
            case "hostile" -> hostile(Integer.parseInt(args[1]), Long.parseLong(args[2]));
            case "corpus" -> corpus(Path.of(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("role: produce, consume, hostile or corpus");
        }
        RingTrace.flushAll();
    }

    static int length(final long seed, final int run, final long seq) {
        final SplittableRandom r = new SplittableRandom(seed * 1_000_003L + run * 7919L + seq);
        // mostly small frames, sometimes large ones, so that PADs and FULLs are frequent
        return r.nextInt(8) == 0 ? 1 + r.nextInt(MAX_PAYLOAD) : 1 + r.nextInt(200);
    }

    static Path ringFile(final Path rings, final int run) {
        return rings.resolve("run-" + run + ".ring");
    }

    private static void produce(final Path rings, final int runs, final int records, final long seed) throws IOException {
        final MemorySegment buf = Arena.ofAuto().allocate(MAX_PAYLOAD, 8);
        for (int run = 0; run < runs; run++) {
            try (SharedFile shared = SharedFile.open(ringFile(rings, run))) {
                RingTrace.label("twoproc-" + run);
                final RingProducer producer = RingProducer.attach(shared.segment());
                final SplittableRandom jitter = new SplittableRandom(seed + run);
                for (long seq = 0; seq <= records; seq++) {
                    final boolean end = seq == records;
                    final int length = end ? 0 : length(seed, run, seq);
                    if (length >= 8) {
                        buf.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, seq);
                    }
                    int result;
                    while ((result = producer.offer(end ? TYPE_END : TYPE_DATA, buf, 0, length)) == RingResult.FULL) {
                        Thread.onSpinWait();
                    }
                    if (result != RingResult.OK) {
                        throw new IllegalStateException("offer failed: " + RingResult.describe(result));
                    }
                    if (jitter.nextInt(16) == 0) {
                        Thread.yield(); // vary the interleavings from run to run
                    }
                }
            }
        }
    }

    private static void consume(final Path rings, final int runs, final int records, final long seed) throws IOException {
        final MemorySegment scratch = Arena.ofAuto().allocate(MAX_PAYLOAD, 8);
        for (int run = 0; run < runs; run++) {
            try (SharedFile shared = SharedFile.open(ringFile(rings, run))) {
                RingTrace.label("twoproc-" + run);
                final RingConsumer consumer = RingConsumer.attach(shared.segment());
                final long[] state = new long[2]; // next seq, end seen
                final int r = run;
                final int limit = 1 + run % 4;
                while (state[1] == 0) {
                    final int n = consumer.pollCopy((type, buffer, offset, length) -> {
                        if (type == TYPE_END) {
                            state[1] = 1;
                            return;
                        }
                        final long seq = state[0]++;
                        if (length != length(seed, r, seq) || (length >= 8 && buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset) != seq)) {
                            throw new IllegalStateException("run " + r + ": record " + seq + " is wrong");
                        }
                    }, limit, scratch);
                    if (n < 0) {
                        throw new IllegalStateException("poll failed: " + RingResult.describe(n));
                    }
                    if (n == 0) {
                        Thread.onSpinWait();
                    }
                }
                if (state[0] != records) {
                    throw new IllegalStateException("run " + run + ": " + state[0] + " of " + records + " records");
                }
            }
        }
    }

    /** The real consumer against a hand-written producer that turns hostile (see the class comment). */
    private static void hostile(final int runs, final long seed) {
        final long capacity = RingDescriptor.capacity(PAGES);
        final MemorySegment scratch = Arena.ofAuto().allocate(MAX_PAYLOAD, 8);
        for (int run = 0; run < runs; run++) {
            final SplittableRandom r = new SplittableRandom(seed ^ (run * 0x9E3779B97F4A7C15L));
            try (Arena arena = Arena.ofConfined()) {
                final MemorySegment ring = arena.allocate(RingDescriptor.regionLength(PAGES), 4096);
                RingDescriptor.initialise(ring, PAGES, MAX_PAYLOAD);
                RingTrace.label("hostile-" + run);
                final RingConsumer consumer = RingConsumer.attach(ring);
                final HandWriter w = new HandWriter(ring, capacity);
                final int honest = 20 + r.nextInt(200);
                final int attack = run % 7;
                for (int step = 0; step < honest + 40; step++) {
                    if (step < honest || r.nextInt(3) != 0) {
                        while (w.fits(1 + r.nextInt(300)) && r.nextInt(3) != 0) {
                            w.record(w.pending, TYPE_DATA);
                        }
                        w.publish(w.tail);
                    } else {
                        w.attack(attack, r);
                    }
                    final int n = consumer.pollCopy((type, buffer, offset, length) -> { }, 1 + run % 3, scratch);
                    w.head = consumer.position();
                    if (n < 0) {
                        break;
                    }
                }
            }
        }
    }

    /** The fuzz rig's ring (one page) with its maximum frame, 1518, as the switch has it. */
    static final int CORPUS_MAX_PAYLOAD = doms.net.EthernetFrame.DEFAULT_MAX_FRAME;

    /** A target's input: {@code prefix} bytes (the first two the producer position), then the data area. */
    private record CorpusFormat(String target, int prefix) {
    }

    private static final List<CorpusFormat> CORPUS = List.of(new CorpusFormat("raw", 4), new CorpusFormat("guest", 2));

    /** The real consumer on the ring of each committed input (see the class comment), at most {@code limit} per target. */
    private static void corpus(final Path root, final int limit) throws IOException {
        final long capacity = RingDescriptor.capacity(PAGES);
        final MemorySegment scratch = Arena.ofAuto().allocate(CORPUS_MAX_PAYLOAD, 8);
        for (final CorpusFormat format : CORPUS) {
            final List<Path> inputs;
            try (var files = Files.list(root.resolve(format.target()))) {
                inputs = files.filter(Files::isRegularFile).sorted().limit(limit).toList();
            }
            for (final Path input : inputs) {
                final byte[] bytes = Files.readAllBytes(input);
                try (Arena arena = Arena.ofConfined()) {
                    final MemorySegment ring = arena.allocate(RingDescriptor.regionLength(PAGES), 4096);
                    RingDescriptor.initialise(ring, PAGES, CORPUS_MAX_PAYLOAD);
                    // Both targets put the producer position first, as a big-endian 16-bit value
                    // (raw's next two bytes are the consumer position, which the switch never reads).
                    final long producer = bytes.length < format.prefix() ? 0 : (bytes[0] & 0xFF) << 8 | (bytes[1] & 0xFF);
                    final int data = (int) Math.min(capacity, Math.max(0, bytes.length - format.prefix()));
                    MemorySegment.copy(MemorySegment.ofArray(bytes), format.prefix(), ring, RingDescriptor.DATA_OFFSET, data);
                    ring.set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, producer);
                    RingTrace.label("fuzz-" + format.target() + "-" + input.getFileName());
                    final RingConsumer consumer = RingConsumer.attach(ring);
                    for (long polls = 0; polls < capacity / 8 + 2; polls++) {
                        final long before = consumer.position();
                        final int n = consumer.pollCopy((type, buffer, offset, length) -> { }, 64, scratch);
                        if (n < 0 || n == 0 && consumer.position() == before) { // corrupt, or empty (not a padding-only poll)
                            break;
                        }
                    }
                }
            }
        }
    }

    /** Traces of the committed fuzz inputs under {@code corpusRoot} (at most {@code limit} per target) into traceDir. */
    public static void corpus(final Path traceDir, final Path corpusRoot, final int limit) throws IOException, InterruptedException {
        Files.createDirectories(traceDir);
        if (start(traceDir, "corpus", corpusRoot.toAbsolutePath().toString(), Integer.toString(limit)).waitFor() != 0) {
            throw new IllegalStateException("the corpus trace workload failed");
        }
    }

    /** A producer written by hand on raw memory: honest records, or one of seven attacks. */
    private static final class HandWriter {
        private final MemorySegment ring;
        private final long capacity;
        long tail;
        long head;
        int pending;

        HandWriter(final MemorySegment ring, final long capacity) {
            this.ring = ring;
            this.capacity = capacity;
        }

        boolean fits(final int length) {
            pending = length;
            final long size = RecordDescriptor.alignedLength(length);
            final long contiguous = capacity - (tail & (capacity - 1));
            final long need = size > contiguous ? contiguous + size : size;
            return tail + need - head <= capacity;
        }

        void record(final int length, final int type) {
            final long size = RecordDescriptor.alignedLength(length);
            long index = tail & (capacity - 1);
            if (size > capacity - index) {
                header(index, (int) (capacity - index - 8), RecordDescriptor.TYPE_PAD);
                tail += capacity - index;
                index = 0;
            }
            header(index, length, type);
            tail += size;
        }

        void header(final long index, final int length, final int type) {
            ring.set(ValueLayout.JAVA_INT, RingDescriptor.DATA_OFFSET + index + RecordDescriptor.LENGTH_OFFSET, length);
            ring.set(ValueLayout.JAVA_INT, RingDescriptor.DATA_OFFSET + index + RecordDescriptor.TYPE_OFFSET, type);
        }

        void publish(final long value) {
            ring.set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, value);
        }

        void attack(final int kind, final SplittableRandom r) {
            final long index = tail & (capacity - 1);
            switch (kind) {
                case 0 -> publish(head + capacity + 8 * (1 + r.nextInt(1000)));           // beyond one ring
                case 1 -> publish(tail + 1 + 2 * r.nextInt(3));                           // unaligned
                case 2 -> publish(head - 8 * (1 + r.nextInt(100)));                       // backwards
                case 3 -> { header(index, 16, r.nextBoolean() ? 0 : -5); tail += 24; publish(tail); }  // bad type
                case 4 -> { header(index, MAX_PAYLOAD + 1 + r.nextInt(1 << 20), TYPE_DATA); tail += 8; publish(tail); } // too long
                case 5 -> { header(index, 8 * r.nextInt(3), RecordDescriptor.TYPE_PAD); tail += 8; publish(tail); }   // PAD of wrong length
                default -> publish(r.nextLong());                                        // anything at all
            }
        }
    }

    /**
     * Writes the traces of {@code runs} two-process runs of {@code records} records each and of
     * {@code hostileRuns} hostile runs into {@code traceDir}, with child JVMs on this class path.
     */
    public static void generate(final Path traceDir, final int runs, final int records, final int hostileRuns, final long seed)
            throws IOException, InterruptedException {
        Files.createDirectories(traceDir);
        final Path rings = Files.createTempDirectory(SharedFile.DEFAULT_DIRECTORY, "doms-trace-rings-");
        try {
            for (int run = 0; run < runs; run++) {
                try (SharedFile f = SharedFile.create(ringFile(rings, run), RingDescriptor.regionLength(PAGES))) {
                    RingDescriptor.initialise(f.segment(), PAGES, MAX_PAYLOAD);
                }
            }
            final List<Process> children = new ArrayList<>();
            if (runs > 0) {
                children.add(start(traceDir, "consume", rings.toString(), Integer.toString(runs), Integer.toString(records), Long.toString(seed)));
                children.add(start(traceDir, "produce", rings.toString(), Integer.toString(runs), Integer.toString(records), Long.toString(seed)));
            }
            for (final Process p : children) {
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("a trace workload process failed (exit " + p.exitValue() + ")");
                }
            }
            if (hostileRuns > 0 && start(traceDir, "hostile", Integer.toString(hostileRuns), Long.toString(seed)).waitFor() != 0) {
                throw new IllegalStateException("the hostile trace workload failed");
            }
        } finally {
            try (var files = Files.list(rings)) {
                for (final Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(rings);
        }
    }

    /** Starts {@code mainClass} in a JVM on this class path with tracing into traceDir. */
    public static Process startTraced(final Path traceDir, final String mainClass, final String... args) throws IOException {
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Ddoms.trace=" + traceDir.toAbsolutePath(), "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static Process start(final Path traceDir, final String... args) throws IOException {
        return startTraced(traceDir, RingTraceWorkload.class.getName(), args);
    }
}
