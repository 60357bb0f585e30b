package doms.cli;

import doms.poll.IdleStrategies;
import doms.ring.RingDescriptor;
import doms.shm.SharedFile;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A producer process and a consumer process on one ring file: records/s and MB/s. */
@Command(name = "ring-bench", mixinStandardHelpOptions = true,
        description = {"Throughput of one ring between two processes.", "",
                "Moves records of one size from a producer process to a consumer process through one "
                        + "shared-memory ring and prints the throughput the consumer saw."})
final class RingBenchCommand implements Callable<Integer> {
    @Option(names = "--size", required = true, paramLabel = "BYTES", description = "payload bytes per record")
    int size;

    @Option(names = "--pages", defaultValue = "256", paramLabel = "N", description = "ring size in 4 KiB pages, a power of two (default ${DEFAULT-VALUE})")
    int pages;

    @Option(names = "--poll", defaultValue = "busy", paramLabel = "STRATEGY", description = IdleStrategies.SYNTAX + " (default ${DEFAULT-VALUE})")
    String poll;

    @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "3", description = "how long the producer sends (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--dir", paramLabel = "DIR", description = "where the ring file goes (default /dev/shm)")
    Path dir = SharedFile.DEFAULT_DIRECTORY;

    @Option(names = "--json", description = "print one JSON object instead of the summary")
    boolean json;

    @Override
    public Integer call() throws Exception {
        final long capacity = RingDescriptor.capacity(pages);
        final String pollSpec = IdleStrategies.parse(poll).spec();
        if (size < 0 || size > RingDescriptor.largestPayload(pages)) {
            throw new IllegalArgumentException("--size must be 0.." + RingDescriptor.largestPayload(pages) + " for " + pages + " pages");
        }
        if (!(seconds > 0) || seconds > 3600) {
            throw new IllegalArgumentException("--seconds must be more than 0 and at most 3600");
        }
        final Path file = dir.resolve("doms-ring-bench-" + ProcessHandle.current().pid() + ".ring");
        try (SharedFile shared = SharedFile.create(file, RingDescriptor.regionLength(pages))) {
            RingDescriptor.initialise(shared.segment(), pages, RingDescriptor.largestPayload(pages));
            if (!json) {
                System.err.printf("ring-bench: %d B records, %d pages (%d KiB), poll %s, %.1f s ...%n",
                        size, pages, capacity / 1024, pollSpec, seconds);
            }
            final List<String> common = List.of("ring-worker", "--file", file.toString(), "--poll", pollSpec);
            final Process consumer = JavaProcess.startCli(RingWorkers.concat(common, "--role", "consume"));
            final BufferedReader consumerOut = RingWorkers.reader(consumer);
            final String ready = consumerOut.readLine();
            if (!"ready".equals(ready)) {
                System.err.println("ring-bench: the consumer did not start");
                consumer.destroyForcibly();
                return ExitCodes.FAILED;
            }
            final Process producer = JavaProcess.startCli(RingWorkers.concat(common, "--role", "produce",
                    "--size", Integer.toString(size), "--seconds", Double.toString(seconds)));
            final BufferedReader producerOut = RingWorkers.reader(producer);
            final Map<String, Long> produced = RingWorkers.figures(producerOut.readLine());
            if (!produced.containsKey("sent")) {
                // The producer died: its end marker will never come, so the consumer would wait forever.
                consumer.destroyForcibly();
                producer.destroyForcibly();
                System.err.println("ring-bench: the producer failed (see its message above)");
                return ExitCodes.FAILED;
            }
            final Map<String, Long> consumed = RingWorkers.figures(consumerOut.readLine());
            final boolean exited = producer.waitFor(60, TimeUnit.SECONDS) & consumer.waitFor(60, TimeUnit.SECONDS);
            if (!exited || producer.exitValue() != 0 || consumer.exitValue() != 0 || !consumed.containsKey("records")) {
                producer.destroyForcibly();
                consumer.destroyForcibly();
                System.err.println("ring-bench: a worker failed (see its message above)");
                return ExitCodes.FAILED;
            }
            final long records = consumed.get("records");
            final double secs = consumed.get("nanos") / 1e9;
            final double recordsPerS = secs > 0 ? records / secs : 0;
            final double mbPerS = secs > 0 ? consumed.get("bytes") / secs / 1e6 : 0;
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("size", size);
            out.put("pages", pages);
            out.put("poll", pollSpec);
            out.put("records", records);
            out.put("records_per_s", Math.round(recordsPerS));
            out.put("mb_per_s", Math.round(mbPerS * 10) / 10.0);
            out.put("sent", produced.getOrDefault("sent", -1L));
            out.put("full_events", produced.getOrDefault("full_events", -1L));
            out.put("producer_cpu_s", produced.getOrDefault("cpu_ns", 0L) / 1e9);
            out.put("consumer_cpu_s", consumed.getOrDefault("cpu_ns", 0L) / 1e9);
            if (json) {
                System.out.println(Json.write(out));
            } else {
                System.out.printf("%,d records of %d B in %.2f s: %,.0f records/s, %,.1f MB/s (producer full %,d times)%n",
                        records, size, secs, recordsPerS, mbPerS, produced.getOrDefault("full_events", 0L));
            }
            return records == produced.getOrDefault("sent", -1L) ? ExitCodes.OK : ExitCodes.FAILED;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
