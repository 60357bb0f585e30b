package doms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's "by hand" walkthrough, command for command, each one its own process: a control
 * plane, two assigns, two guests, {@code pool show}, a retire, and the control plane's stop.
 * (Only A's sending time is shorter than the README's 5 s.)
 */
@Timeout(180) // every read below blocks on a process: a hung one fails the test instead of the build
class ByHandTest {
    private static final String A = "02:00:00:00:00:0a";
    private static final String B = "02:00:00:00:00:0b";

    private final Path pool = Path.of("/dev/shm", "doms-byhand-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws IOException {
        started.forEach(Process::destroyForcibly);
        if (Files.exists(pool)) {
            try (Stream<Path> all = Files.walk(pool)) {
                for (final Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private Process start(final String... args) throws IOException {
        final Process p = JavaProcess.startCli(List.of(args));
        started.add(p);
        return p;
    }

    /** Runs a command to its end: its standard output, after checking its exit code. */
    private String run(final int expectedExit, final String... args) throws Exception {
        final Process p = start(args);
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s ended", String.join(" ", args)).isTrue();
        assertThat(p.exitValue()).as("exit of %s: %s", String.join(" ", args), out).isEqualTo(expectedExit);
        return out;
    }

    private static String firstLine(final InputStream in) throws IOException {
        final StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static JsonNode lastJsonLine(final Process guest) throws Exception {
        final String out = new String(guest.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(guest.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(guest.exitValue()).as(out).isZero();
        return new ObjectMapper().readTree(out.lines().reduce((x, y) -> y).orElseThrow());
    }

    private JsonNode show() throws Exception {
        return new ObjectMapper().readTree(run(0, "pool", "show", "--dir", pool.toString(), "--json"));
    }

    @Test
    void theReadmesWalkthroughWorksCommandForCommand() throws Exception {
        final Process control = start("control", "--pool", pool.toString(), "--slots", "4");
        assertThat(firstLine(control.getInputStream())).startsWith("ready pool=" + pool);

        assertThat(run(0, "pool", "assign", "--dir", pool.toString(), "--mac", B, "--tenant", "1")).startsWith("slot 0 generation 1");
        final Process guestB = start("guest", "--pool", pool.toString(), "--slot", "0", "--mac", B, "--expect-end-from", A);
        assertThat(firstLine(guestB.getInputStream())).isEqualTo("ready slot=0"); // B reads its ring before A sends
        assertThat(run(0, "pool", "assign", "--dir", pool.toString(), "--mac", A, "--tenant", "1")).startsWith("slot 1 generation 1");
        final Process guestA = start("guest", "--pool", pool.toString(), "--slot", "1", "--mac", A, "--send-to", B, "--seconds", "1");

        final JsonNode sent = lastJsonLine(guestA);
        final JsonNode got = lastJsonLine(guestB);
        assertThat(sent.path("sent").asLong()).isPositive();
        assertThat(got.path("end_seen").asBoolean()).as("B saw A's end marker").isTrue();
        assertThat(got.path("data_received").asLong()).isPositive();
        assertThat(got.path("corrupted").asLong()).isZero();

        final JsonNode before = show();
        assertThat(before.path("switch_boots").asLong()).isEqualTo(1);
        assertThat(before.path("slots").get(0).path("state").asText()).isEqualTo("assigned");
        assertThat(before.path("slots").get(0).path("frames_out").asLong()).as("B's port delivered").isPositive();
        assertThat(before.path("slots").get(1).path("frames_in").asLong()).as("A's port took frames").isPositive();
        assertThat(before.path("slots").get(1).path("quarantined").asBoolean()).isFalse();
        assertThat(run(0, "pool", "show", "--dir", pool.toString())).contains("boots 1").contains("uplink");

        assertThat(run(0, "pool", "retire", "--dir", pool.toString(), "--slot", "1")).isEqualTo("slot 1 generation 1 retired and free");
        final JsonNode after = show();
        assertThat(after.path("slots").get(1).path("state").asText()).isEqualTo("free");
        assertThat(after.path("slots").get(1).path("released").asLong()).as("the switch released generation 1").isEqualTo(1);
        assertThat(after.path("slots").get(0).path("state").asText()).isEqualTo("assigned");

        // A slot that is not assigned cannot be retired: a refusal, exit 1 (its one line is on stderr).
        assertThat(run(ExitCodes.FAILED, "pool", "retire", "--dir", pool.toString(), "--slot", "1")).isEmpty();

        control.destroy(); // SIGTERM, as Ctrl-C would: it stops the switch and deletes the pool
        assertThat(control.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(pool).doesNotExist();
    }
}
