package doms.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import doms.cli.JavaProcess;
import doms.cli.Main;
import doms.pool.Mac;
import doms.shm.SharedFile;
import doms.net.EthernetFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Slots as capabilities, across processes under their own uids (needs root and setpriv to start
 * processes under other uids; skipped with the reason otherwise): a guest gets its own slot's
 * memfd from the control socket and nobody else's, cannot resize or chmod it, and cannot open
 * the binding table.
 */
class IsolationTest {
    static final long A = Mac.parse("02:00:00:00:01:0a");
    static final long B = Mac.parse("02:00:00:00:02:0b");
    private ControlPlane cp;

    @BeforeEach
    void boot() throws Exception {
        try {
            Isolation.on();
        } catch (IllegalStateException e) {
            Assumptions.abort("isolation test skipped: " + e.getMessage());
        }
        ReadableClassPath.install();
        final Isolation isolation = Isolation.auto(JavaProcess.command(Main.class.getName(), List.of("--version")));
        assertThat(isolation.enabled()).as("root with setpriv and a readable class path isolates").isTrue();
        final Path dir = SharedFile.DEFAULT_DIRECTORY.resolve("doms-isolation-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        cp = ControlPlane.boot(doms.cli.JavaProcess.DOMS, dir, 2, 1, EthernetFrame.DEFAULT_MAX_FRAME, isolation, List.of("--poll", "adaptive:50"));
    }

    @AfterEach
    void shutdown() {
        if (cp != null) {
            cp.close();
        }
    }

    private static String output(final Process p) throws Exception {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the process ends").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void aGuestGetsItsOwnSlotOnlyAndCannotResizeOrChmodIt() throws Exception {
        final PoolAdmin.Assignment a = cp.assign(A, 1);
        final PoolAdmin.Assignment b = cp.assign(B, 2);

        // A's uid asks for B's slot: refused by the control socket (SO_PEERCRED), before any descriptor moves.
        final List<String> thief = new ArrayList<>(Isolation.asUser(Isolation.GUEST_UID_BASE + a.slot(), Isolation.GUEST_UID_BASE + a.slot()));
        thief.addAll(JavaProcess.command(Main.class.getName(), List.of("guest", "--pool", cp.pool().dir().toString(),
                "--slot", Integer.toString(b.slot()), "--mac", Mac.format(B), "--seconds", "0", "--deadline", "1")));
        final Process p = new ProcessBuilder(thief).redirectErrorStream(true).start();
        final String said = output(p);
        assertThat(p.exitValue()).isNotZero();
        assertThat(said).contains("refused: uid " + (Isolation.GUEST_UID_BASE + a.slot()) + " may not take slot " + b.slot());
        assertThat(cp.refusedRequests()).isEqualTo(1);

        // A's own guest, under its uid, gets its slot and tries to resize, extend and chmod it.
        final Process guest = cp.startGuest(a, List.of("--mac", Mac.format(A), "--seconds", "0", "--deadline", "2", "--tamper"));
        final String line = output(guest);
        assertThat(guest.exitValue()).as(line).isZero();
        final JsonNode figures = new ObjectMapper().readTree(line.lines().reduce((x, y) -> y).orElseThrow());
        for (final String refused : List.of("shrink", "grow", "extend", "chmod")) {
            assertThat(figures.path("tamper").path(refused).asText()).as(refused).contains("Operation not permitted");
        }
        assertThat(figures.path("tamper_refused").asInt()).isGreaterThanOrEqualTo(4);

        // And it cannot open the binding table.
        final List<String> probe = new ArrayList<>(Isolation.asUser(Isolation.GUEST_UID_BASE, Isolation.GUEST_UID_BASE));
        probe.addAll(List.of("/bin/sh", "-c", "cat " + cp.pool().bindings() + " >/dev/null 2>&1 && echo opened || echo denied"));
        assertThat(output(new ProcessBuilder(probe).start())).isEqualTo("denied");
        assertThat(Files.exists(cp.pool().bindings())).isTrue();
    }
}
