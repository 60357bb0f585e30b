package doms.ring;

import static org.assertj.core.api.Assertions.assertThat;

import doms.shm.SharedFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two separate JVM processes on one ring file under /dev/shm. */
class RingCrossProcessTest {
    private static final long RECORDS = 1_000_000;

    @Test
    void aMillionRandomRecordsCrossBetweenProcessesIntact() throws Exception {
        final int pages = 64;
        final Path file = SharedFile.DEFAULT_DIRECTORY.resolve("doms-test-ring-" + ProcessHandle.current().pid() + ".ring");
        Files.deleteIfExists(file);
        try (SharedFile shared = SharedFile.create(file, RingDescriptor.regionLength(pages))) {
            RingDescriptor.initialise(shared.segment(), pages, TrafficWorker.MAX_LENGTH);
            final Process consumer = start("consume", file);
            final Process producer = start("produce", file);
            try {
                // Bounded waits, so that a stuck side fails the test instead of hanging it.
                assertThat(producer.waitFor(5, TimeUnit.MINUTES)).as("producer finished").isTrue();
                assertThat(consumer.waitFor(1, TimeUnit.MINUTES)).as("consumer saw the end marker").isTrue();
                final String summary;
                try (BufferedReader out = new BufferedReader(new InputStreamReader(consumer.getInputStream(), StandardCharsets.UTF_8))) {
                    summary = out.readLine();
                }
                assertThat(producer.exitValue()).isZero();
                assertThat(consumer.exitValue()).isZero();
                assertThat(summary).isEqualTo("received=" + RECORDS + " lost=0 duplicated=0 reordered=0 corrupted=0");
            } finally {
                producer.destroyForcibly();
                consumer.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Process start(final String role, final Path file) throws Exception {
        final List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC"));
        if (RingTrace.ON) {
            // a million records: a trace of millions of events, for a look by hand; the checked
            // traces are the short runs of doms.trace.RingTraceTest
            command.add("-Ddoms.trace=" + RingTrace.DIR);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                TrafficWorker.class.getName(), role, file.toString(), Long.toString(RECORDS)));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
