package doms.cli;

import doms.poll.IdleStrategies;
import doms.poll.IdleStrategy;
import doms.ring.RecordDescriptor;
import doms.ring.RingConsumer;
import doms.ring.RingProducer;
import doms.ring.RingResult;
import doms.shm.SharedFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One side of a ring benchmark, run as its own process by {@code ring-bench}. The consumer
 * prints {@code ready} once attached, and at the end one line of {@code key=value} figures.
 */
@Command(name = "ring-worker", hidden = true, mixinStandardHelpOptions = true,
        description = "One side of ring-bench (internal: started by ring-bench as a separate process).")
final class RingWorkerCommand implements Callable<Integer> {
    static final int TYPE_DATA = RecordDescriptor.TYPE_FIRST_USER;
    static final int TYPE_END = RecordDescriptor.TYPE_FIRST_USER + 1;

    @Option(names = "--role", paramLabel = "produce|consume", required = true, description = "produce or consume")
    String role;

    @Option(names = "--file", paramLabel = "FILE", required = true, description = "the ring file")
    Path file;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "64", description = "payload bytes per record")
    int size;

    @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "3", description = "how long the producer sends")
    double seconds;

    @Option(names = "--poll", paramLabel = "STRATEGY", defaultValue = "busy", description = IdleStrategies.SYNTAX)
    String poll;

    @Override
    public Integer call() throws Exception {
        final IdleStrategy idle = IdleStrategies.parse(poll);
        try (SharedFile shared = SharedFile.open(file)) {
            return switch (role) {
                case "produce" -> produce(shared.segment(), idle);
                case "consume" -> consume(shared.segment(), idle);
                default -> throw new IllegalArgumentException("--role must be produce or consume, got " + role);
            };
        }
    }

    private int produce(final MemorySegment ring, final IdleStrategy idle) {
        final RingProducer producer = RingProducer.attach(ring);
        final MemorySegment payload = Arena.ofAuto().allocate(Math.max(size, 8), 8);
        final long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long sent = 0;
        while (true) {
            if ((sent & 1023) == 0 && System.nanoTime() - deadline >= 0) {
                break;
            }
            final int result = producer.offer(TYPE_DATA, payload, 0, size);
            if (result == RingResult.OK) {
                sent++;
                idle.idle(1);
            } else if (result == RingResult.FULL) {
                idle.idle(0);
            } else {
                System.err.println("ring-worker: producer stopped: " + RingResult.describe(result));
                return ExitCodes.FAILED;
            }
        }
        while (producer.offer(TYPE_END, payload, 0, 0) == RingResult.FULL) {
            idle.idle(0);
        }
        System.out.println("sent=" + sent + " full_events=" + producer.fullEvents() + " cpu_ns=" + cpuNanos());
        return ExitCodes.OK;
    }

    private int consume(final MemorySegment ring, final IdleStrategy idle) {
        final RingConsumer consumer = RingConsumer.attach(ring);
        final long[] state = new long[4]; // records, bytes, first-record time, end seen
        System.out.println("ready");
        System.out.flush();
        while (state[3] == 0) {
            final int n = consumer.poll((type, buffer, offset, length) -> {
                if (type == TYPE_END) {
                    state[3] = System.nanoTime();
                    return;
                }
                if (state[0] == 0) {
                    state[2] = System.nanoTime();
                }
                state[0]++;
                state[1] += length;
            }, 256);
            if (n < 0) {
                System.err.println("ring-worker: consumer stopped: " + RingResult.describe(n));
                return ExitCodes.FAILED;
            }
            idle.idle(n);
        }
        final long nanos = state[0] == 0 ? 0 : state[3] - state[2];
        System.out.println("records=" + state[0] + " bytes=" + state[1] + " nanos=" + nanos + " cpu_ns=" + cpuNanos());
        return ExitCodes.OK;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
