package doms.trace;

import static org.assertj.core.api.Assertions.assertThat;

import doms.tlc.Tla2Tools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trace validation of the pool protocol: real control plane, switch processes (one SIGKILLed
 * and restarted) and guests. With {@code -Ddoms.trace.out=DIR} (what {@code ./doms trace-check}
 * runs) it writes the full set of pool traces into DIR and leaves checking them to the
 * command; otherwise it writes one project trace and one per injected bug into a temporary
 * directory and checks them with TLC when a tla2tools.jar is there (skipped with the reason
 * when not).
 */
class PoolTraceTest {
    static final String[] BUGS = {"releaseBeforeForward", "staleGeneration"};

    @Test
    void positionsBecomeFrameCounts() {
        final List<Long> ends = List.of(72L, 144L, 4096L + 72);
        assertThat(PoolTraceModel.frames(ends, 0)).isZero();
        assertThat(PoolTraceModel.frames(ends, 144)).isEqualTo(2);
        assertThat(PoolTraceModel.frames(ends, 4096)).as("a PAD alone after the second record").isEqualTo(2);
        assertThat(PoolTraceModel.frames(ends, 4096 + 72)).isEqualTo(3);
        assertThat(PoolTraceModel.frames(null, 8)).as("a position in a generation nobody wrote to").isEqualTo(-1);
    }

    @Test
    void mergeOrdersReadsAfterTheWritesTheySaw() {
        final var cp = log("t.pool-1.ndjson",
                "{\"e\":\"AllocatePool\",\"slots\":1}",
                "{\"e\":\"Assign\",\"slot\":0,\"gen\":1,\"mac\":11,\"tenant\":1}",
                "{\"e\":\"GuestSend\",\"slot\":0,\"n\":1,\"smac\":11,\"dst\":12,\"tag\":1,\"tail\":72}",
                "{\"e\":\"Retire\",\"slot\":0,\"gen\":1}",
                "{\"e\":\"Scrub\",\"slot\":0,\"gen\":1,\"acked\":true}");
        final var sw = log("t.pool-2.ndjson",
                "{\"e\":\"StartSwitch\",\"boot\":1,\"pid\":2}",
                "{\"e\":\"Discover\",\"kind\":\"attach\",\"slot\":0,\"gen\":1,\"mac\":11,\"tenant\":1,\"txh\":0,\"quarantined\":false}",
                "{\"e\":\"Forward\",\"slot\":0,\"gen\":1,\"smac\":11,\"dst\":12,\"tag\":1,\"targets\":0}",
                "{\"e\":\"SaveTx\",\"slot\":0,\"head\":72}",
                "{\"e\":\"PublishTx\",\"slot\":0,\"head\":72}",
                "{\"e\":\"Discover\",\"kind\":\"detach\",\"slot\":0,\"state\":2,\"gen\":1,\"pgen\":1}");
        final PoolTraceModel m = PoolTraceModel.build("t", List.of(sw, cp));
        // The control plane's events go first as far as the switch's reads allow.
        assertThat(actions(m)).containsExactly("StartSwitch", "AllocatePool", "Assign", "GuestSend", "Discover/attach", "Retire",
                "Forward", "SaveTx", "PublishTx", "Discover/detach", "Scrub");
        final Map<String, Object> forward = m.events().get(6).fields();
        assertThat(forward).containsEntry("writer", "00:00:00:00:00:0b").containsEntry("id", 1L);
        assertThat(m.events().get(7).fields()).as("72 bytes: one frame").containsEntry("head", 1L);
    }

    @Test
    void mergePutsACrashAfterTheDeadSwitchAndBeforeItsSuccessor() {
        final var cp = log("t.pool-1.ndjson",
                "{\"e\":\"AllocatePool\",\"slots\":1}",
                "{\"e\":\"Assign\",\"slot\":0,\"gen\":1,\"mac\":11,\"tenant\":1}",
                "{\"e\":\"SwitchCrash\",\"pid\":2}",
                "{\"e\":\"GuestSend\",\"slot\":0,\"n\":1,\"smac\":11,\"dst\":12,\"tag\":5,\"tail\":72}");
        final var first = log("t.pool-2.ndjson",
                "{\"e\":\"StartSwitch\",\"boot\":1,\"pid\":2}",
                "{\"e\":\"Discover\",\"kind\":\"attach\",\"slot\":0,\"gen\":1,\"mac\":11,\"tenant\":1,\"txh\":0,\"quarantined\":false}");
        final var second = log("t.pool-3.ndjson",
                "{\"e\":\"StartSwitch\",\"boot\":2,\"pid\":3}",
                "{\"e\":\"Discover\",\"kind\":\"attach\",\"slot\":0,\"gen\":1,\"mac\":11,\"tenant\":1,\"txh\":0,\"quarantined\":false}",
                "{\"e\":\"Forward\",\"slot\":0,\"gen\":1,\"smac\":11,\"dst\":12,\"tag\":5,\"targets\":0}");
        final PoolTraceModel m = PoolTraceModel.build("t", List.of(second, cp, first));
        assertThat(actions(m)).containsExactly("StartSwitch", "AllocatePool", "Assign", "Discover/attach", "SwitchCrash",
                "GuestSend", "StartSwitch", "Discover/attach", "Forward");
        assertThat(m.events().get(8).fields()).as("tag 5 is the guest's first frame").containsEntry("id", 1L);
    }

    @Test
    void aSaveTxLostToTheKillIsRestoredFromTheSuccessorsResumePosition() {
        // The first switch saved 72 and logged it, then saved 216 and was killed before the line;
        // the second resumes slot 0 from 216 (the status), slot 1 from where it was logged.
        final var first = log("t.pool-2.ndjson",
                "{\"e\":\"StartSwitch\",\"boot\":1,\"pid\":2}",
                "{\"e\":\"Discover\",\"kind\":\"attach\",\"slot\":0,\"gen\":1,\"mac\":11,\"tenant\":1,\"txh\":0,\"quarantined\":false}",
                "{\"e\":\"Discover\",\"kind\":\"attach\",\"slot\":1,\"gen\":1,\"mac\":12,\"tenant\":1,\"txh\":0,\"quarantined\":false}",
                "{\"e\":\"SaveTx\",\"slot\":0,\"head\":72}",
                "{\"e\":\"SaveTx\",\"slot\":1,\"head\":144}");
        final var second = log("t.pool-3.ndjson",
                "{\"e\":\"StartSwitch\",\"boot\":2,\"pid\":3}",
                "{\"e\":\"Discover\",\"kind\":\"attach\",\"slot\":0,\"gen\":1,\"mac\":11,\"tenant\":1,\"txh\":216,\"quarantined\":false}",
                "{\"e\":\"Discover\",\"kind\":\"attach\",\"slot\":1,\"gen\":1,\"mac\":12,\"tenant\":1,\"txh\":144,\"quarantined\":false}");
        final List<String> notes = new ArrayList<>();
        PoolTraceModel.restoreLostSaves("t", new ArrayList<>(List.of(first, second)), notes);
        assertThat(first.lines()).hasSize(6);
        assertThat(first.lines().getLast()).containsEntry("e", "SaveTx").containsEntry("slot", 0L).containsEntry("head", 216L)
                .containsEntry("#line", 6L);
        assertThat(notes).singleElement().asString().contains("slot 0 at 216");
        // a resume position behind the last one logged is not explained by a lost line: left for TLC
        final var behind = log("t.pool-4.ndjson",
                "{\"e\":\"StartSwitch\",\"boot\":3,\"pid\":4}",
                "{\"e\":\"Discover\",\"kind\":\"attach\",\"slot\":0,\"gen\":1,\"mac\":11,\"tenant\":1,\"txh\":0,\"quarantined\":false}");
        PoolTraceModel.restoreLostSaves("t", new ArrayList<>(List.of(second, behind)), notes);
        assertThat(second.lines()).hasSize(3);
        assertThat(notes).hasSize(1);
    }

    @Test
    void whenNoOrderFitsTheRestIsKeptAsLogged() {
        // The switch saw generation 1 RETIRING and then still ASSIGNED: no order explains both.
        final var cp = log("t.pool-1.ndjson", "{\"e\":\"AllocatePool\",\"slots\":1}",
                "{\"e\":\"Assign\",\"slot\":0,\"gen\":1,\"mac\":11,\"tenant\":1}",
                "{\"e\":\"Retire\",\"slot\":0,\"gen\":1}");
        final var sw = log("t.pool-2.ndjson", "{\"e\":\"StartSwitch\",\"boot\":1,\"pid\":2}",
                "{\"e\":\"Discover\",\"kind\":\"ack\",\"slot\":0,\"gen\":1}",
                "{\"e\":\"Discover\",\"kind\":\"attach\",\"slot\":0,\"gen\":1,\"mac\":11,\"tenant\":1,\"txh\":0,\"quarantined\":false}");
        assertThat(actions(PoolTraceModel.build("t", List.of(cp, sw)))).containsExactly("StartSwitch", "AllocatePool", "Assign",
                "Retire", "Discover/ack", "Discover/attach");
    }

    private static PoolTraceModel.Log log(final String source, final String... lines) {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            final Map<String, Object> m = Ndjson.parse(lines[i]);
            m.put("#line", (long) i + 1);
            out.add(m);
        }
        return new PoolTraceModel.Log(source, out);
    }

    private static List<String> actions(final PoolTraceModel m) {
        final List<String> out = new ArrayList<>();
        m.events().forEach(e -> out.add(e.action() + (e.fields().containsKey("kind") ? "/" + e.fields().get("kind") : "")));
        return out;
    }

    @Test
    void projectTracesAreValidAndInjectedBugsAreCaught(@TempDir final Path temp) throws Exception {
        final String out = System.getProperty("doms.trace.out");
        final boolean full = out != null && !out.isBlank();
        final Path dir = full ? Path.of(out) : temp.resolve("traces");
        final int frames = full ? 120 : 48;
        PoolTraceWorkload.generate(dir, full ? 6 : 1, frames, 2026);
        for (final String bug : BUGS) {
            for (int k = 0; k < (full ? 2 : 1); k++) {
                final Process p = PoolTraceWorkload.start(dir, "injected-" + bug + "-" + k, frames / 2, 7 + k,
                        bug.equals("staleGeneration") ? "retire" : "short", List.of("doms.sw.InjectedPoolBugs", bug));
                assertThat(p.waitFor()).as(bug + " run").isZero();
            }
        }
        assertThat(PoolTraceModel.labels(dir)).contains("pool-0", "injected-releaseBeforeForward-0", "injected-staleGeneration-0");
        if (full) {
            return; // ./doms trace-check checks them
        }
        final Tla2Tools.Located tools = Tla2Tools.locate(System.getenv(), false);
        Assumptions.assumeTrue(tools.found(), () -> "TLC skipped: " + tools.reason());
        final Path home = Path.of(System.getProperty("doms.home", "..")).toAbsolutePath().normalize();
        final List<String> wrong = new ArrayList<>();
        final List<TraceCheck.Result> results = new TraceCheck(tools.jar(), home.resolve("spec")).checkAll(dir, r -> {
            System.out.printf("trace %-40s %6d events %-7s %s%n", r.trace(), r.events(), r.valid() ? "valid" : "invalid", r.divergence());
            if (r.project() ? !r.valid() : !r.caught()) {
                wrong.add(r.trace() + ": " + r.divergence());
            }
        });
        assertThat(results).hasSize(3);
        assertThat(wrong).isEmpty();
    }
}
