package doms.bench;

import doms.ring.RingConsumer;
import doms.ring.RingProducer;
import doms.ring.RingResult;
import doms.shm.SharedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * In-process microbenchmarks of the ring operations themselves: one offer (write) and one poll
 * (read) of one record per operation, on a 256-page ring mapped from /dev/shm, ours and Agrona's,
 * Agrona's twice: with its bounds checks off, as everywhere in the bench, and on (its default).
 * No second process, no cache-line transfer: what each call costs on its own. The batch
 * benchmarks write {@link #BATCH} records and then read them all, and report the time per record:
 * what the producer and the consumer each pay per record when neither waits for the other.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RingBenchmarks {
    /** Records per invocation of the batch benchmarks. */
    public static final int BATCH = 64;

    @Param({"64", "1024"})
    public int size;

    private Path dir;
    private SharedFile domsFile;
    private RingProducer producer;
    private RingConsumer consumer;
    private Arena arena;
    private MemorySegment payload;
    private MappedByteBuffer agronaMap;
    private OneToOneRingBuffer agrona;
    private UnsafeBuffer source;
    private final Tally tally = new Tally();

    @Setup(Level.Trial)
    public void setUp(final BenchmarkParams params) throws IOException {
        // The figure is only what its name says if the fork's flag took effect (Agrona reads it once).
        final boolean checked = params.getBenchmark().endsWith(".agronaCheckedWriteRead");
        if (UnsafeBuffer.SHOULD_BOUNDS_CHECK != checked) {
            throw new IllegalStateException("Agrona's bounds checks are " + (UnsafeBuffer.SHOULD_BOUNDS_CHECK ? "on" : "off")
                    + " in " + params.getBenchmark());
        }
        dir = Files.createTempDirectory(SharedFile.DEFAULT_DIRECTORY, "doms-jmh-");
        domsFile = SharedFile.open(RingFiles.doms(dir.resolve("doms.ring"), Plan.PAGES));
        producer = RingProducer.attach(domsFile.segment());
        consumer = RingConsumer.attach(domsFile.segment());
        arena = Arena.ofConfined();
        payload = arena.allocate(size, 8);
        agronaMap = StreamWorker.mapAgrona(RingFiles.agrona(dir.resolve("agrona.ring"), Plan.PAGES));
        agrona = new OneToOneRingBuffer(new UnsafeBuffer(agronaMap));
        source = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        domsFile.close();
        arena.close();
        IoUtil.unmap(agronaMap);
        try (var files = Files.list(dir)) {
            for (final Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public int domsOfferPoll() {
        producer.offer(Tally.TYPE_DATA, payload, 0, size);
        return consumer.poll(tally, 1);
    }

    @Benchmark
    public int agronaWriteRead() {
        agrona.write(Tally.TYPE_DATA, source, 0, size);
        return agrona.read(tally, 1);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int domsOfferPollBatch() {
        for (int i = 0; i < BATCH; i++) {
            if (producer.offer(Tally.TYPE_DATA, payload, 0, size) != RingResult.OK) {
                throw new IllegalStateException("offer failed");
            }
        }
        int polled = 0;
        while (polled < BATCH) {
            final int n = consumer.poll(tally, BATCH - polled); // 0 once per lap: the poll that ends at a PAD
            if (n < 0) {
                throw new IllegalStateException(RingResult.describe(n));
            }
            polled += n;
        }
        return polled;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int agronaWriteReadBatch() {
        for (int i = 0; i < BATCH; i++) {
            if (!agrona.write(Tally.TYPE_DATA, source, 0, size)) {
                throw new IllegalStateException("write failed");
            }
        }
        int read = 0;
        while (read < BATCH) {
            read += agrona.read(tally, BATCH - read);
        }
        return read;
    }

    /** The same, in a fork of its own with Agrona's bounds checks on (the last -D of a property wins). */
    @Benchmark
    @Fork(jvmArgsAppend = "-D" + UnsafeBuffer.DISABLE_BOUNDS_CHECKS_PROP_NAME + "=false")
    public int agronaCheckedWriteRead() {
        return agronaWriteRead();
    }
}
