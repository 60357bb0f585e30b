package doms.trace;

import static org.assertj.core.api.Assertions.assertThat;

import doms.tlc.Tla2Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trace validation of the ring. With {@code -Ddoms.trace.out=DIR} (what {@code ./doms trace-check}
 * runs) it writes the full set of traces into DIR and leaves checking them to the command;
 * otherwise it writes a few into a temporary directory and checks them with TLC when a
 * tla2tools.jar is there (skipped with the reason when not).
 */
class RingTraceTest {
    static final String[] BUGS = {"publishBeforeWrite", "noSpanCheck"};

    @Test
    void parsesTraceLines() {
        final Map<String, Object> m = Ndjson.parse("{\"e\":\"PollBegin\",\"head\":-8,\"read\":true,\"ok\":false}");
        assertThat(m).containsEntry("e", "PollBegin").containsEntry("head", -8L).containsEntry("read", true).containsEntry("ok", false);
    }

    @Test
    void abstractsBytesIntoCells() {
        assertThat(RingTraceModel.pos(4096)).isEqualTo(512);
        assertThat(RingTraceModel.pos(4097)).as("unaligned: rejected like the Java does").isEqualTo(-1);
        assertThat(RingTraceModel.pos(Long.MAX_VALUE & ~7L)).isEqualTo(1L << 30);
        assertThat(RingTraceModel.type(-3)).isEqualTo(-1);
        assertThat(RingTraceModel.type(7)).isEqualTo(2);
        assertThat(RingTraceModel.length(2, 1, 512, 4088)).isEqualTo(1);
        assertThat(RingTraceModel.length(2, 9, 512, 4088)).isEqualTo(2);
        assertThat(RingTraceModel.length(1, 12, 512, 4088)).as("a PAD length not a multiple of 8").isEqualTo(-1);
        assertThat(RingTraceModel.length(1, 16, 512, 4088)).isEqualTo(2);
        // The switch's maximum frame, 1518: Ring's MaxRec - 1 is 190 cells, which 1519 and 1520 round to as well
        assertThat(RingTraceModel.length(2, 1518, 512, 1518)).isEqualTo(190);
        assertThat(RingTraceModel.length(2, 1519, 512, 1518)).as("above the maximum: beyond MaxRec - 1").isEqualTo(191);
        assertThat(RingTraceModel.length(2, 1520, 512, 1518)).isEqualTo(191);
        assertThat(RingTraceModel.length(2, 1528, 512, 1518)).isEqualTo(191);
        assertThat(RingTraceModel.length(2, 9999, 512, 4088)).as("clamped to the ring").isEqualTo(512);
    }

    @Test
    void aProducerLogEndingInALonePadAllowsTheRecordItWasFor(@TempDir final Path dir) throws Exception {
        // the switch's RX producer for a guest that stopped reading: records to the end, then
        // a PAD alone (FULL) for a record that is never written; with a batch of three
        Files.writeString(dir.resolve("t.producer.ndjson"), String.join("\n",
                "{\"e\":\"Attach\",\"role\":\"producer\",\"capacity\":64,\"maxPayload\":24,\"at\":16,\"cache\":8}",
                "{\"e\":\"ProducerWrite\",\"kind\":\"rec\",\"at\":16,\"size\":16,\"len\":8,\"type\":2,\"sig\":true,\"tail\":32}",
                "{\"e\":\"ProducerWrite\",\"kind\":\"rec\",\"at\":32,\"size\":16,\"len\":8,\"type\":2,\"sig\":true,\"tail\":48}",
                "{\"e\":\"ProducerWrite\",\"kind\":\"pad\",\"at\":48,\"size\":32,\"len\":24,\"type\":2,\"sig\":true,\"tail\":64}",
                "{\"e\":\"ProducerPublish\",\"tail\":64}", "{\"e\":\"ProducerPu"));
        final RingTraceModel model = RingTraceModel.load(dir, "t");
        assertThat(model.hostile()).isEqualTo("consumer");
        assertThat(model.notes()).anyMatch(n -> n.contains("incomplete last line dropped"));
        model.write(dir);
        assertThat(Files.readString(dir.resolve("TraceRing.cfg"))).contains("N = 3", "BatchMax = 3");
        assertThat(Files.readString(dir.resolve("TraceRingLog.tla"))).contains("StartAt == 2", "StartCache == 1");
    }

    /**
     * A consumer facing a hostile producer on a ring whose maximum payload (1518) is not a
     * multiple of 8: accepting a length of 1519, which rounds to the same 190 cells as 1518, is
     * rejected by TLC; refusing it is a behaviour of Ring. (With lengths rounded alone, both were
     * valid: the check could not fail there.)
     */
    @Test
    void aLengthJustAboveAMaximumThatIsNotAMultipleOf8IsCheckedExactly(@TempDir final Path dir) throws Exception {
        final Tla2Tools.Located tools = Tla2Tools.locate(System.getenv(), false);
        Assumptions.assumeTrue(tools.found(), () -> "TLC skipped: " + tools.reason());
        final String attach = "{\"e\":\"Attach\",\"role\":\"consumer\",\"capacity\":4096,\"maxPayload\":1518,\"at\":0,\"cache\":0}";
        final String begin = "{\"e\":\"PollBegin\",\"head\":0,\"read\":true,\"tail\":2048,\"ok\":true,\"limit\":1,\"type\":0,\"len\":0,\"sig\":false}";
        Files.writeString(dir.resolve("accepts.consumer.ndjson"), String.join("\n", attach, begin,
                "{\"e\":\"ConsumerRead\",\"at\":0,\"type\":2,\"len\":1519,\"sig\":false,\"ok\":true,\"head\":1528}",
                "{\"e\":\"PollEnd\",\"head\":1528}") + "\n");
        Files.writeString(dir.resolve("refuses.consumer.ndjson"), String.join("\n", attach, begin,
                "{\"e\":\"ConsumerRead\",\"at\":0,\"type\":2,\"len\":1519,\"sig\":false,\"ok\":false,\"head\":0}") + "\n");
        final Path home = Path.of(System.getProperty("doms.home", "..")).toAbsolutePath().normalize();
        final Map<String, Boolean> valid = new LinkedHashMap<>();
        new TraceCheck(tools.jar(), home.resolve("spec")).checkAll(dir, r -> valid.put(r.trace(), r.valid()));
        assertThat(valid).containsEntry("accepts", false).containsEntry("refuses", true);
    }

    @Test
    void mergeOrdersLoadsAfterTheStoresTheyRead() {
        // producer: write, publish 1; refresh sees head 1 (after the consumer's PollEnd)
        final List<RingTraceModel.Event> prod = List.of(ev("W", "at", 0L, "tail", 1L), ev("P", "tail", 1L),
                ev("R", "head", 1L, "ok", true));
        final List<RingTraceModel.Event> cons = List.of(ev("B", "head", 0L, "read", true, "tail", 1L, "ok", true),
                ev("D", "at", 0L, "head", 1L), ev("E", "head", 1L));
        assertThat(codes(RingTraceModel.merge(prod, cons))).isEqualTo("WPBDER");
    }

    @Test
    void mergeUndoesAStoreLoadReordering() {
        // Each side stores, then loads the other's old value: no interleaving of program order
        // explains it, the hardware's store-load reordering does; the merge takes the load first.
        final List<RingTraceModel.Event> prod = List.of(ev("W", "at", 0L, "tail", 1L), ev("P", "tail", 1L),
                ev("W", "at", 1L, "tail", 2L), ev("P", "tail", 2L), ev("R", "head", 0L, "ok", true));
        final List<RingTraceModel.Event> cons = List.of(ev("B", "head", 0L, "read", true, "tail", 1L, "ok", true),
                ev("D", "at", 0L, "head", 1L), ev("E", "head", 1L), ev("B", "head", 1L, "read", true, "tail", 1L, "ok", true));
        final String merged = codes(RingTraceModel.merge(prod, cons));
        assertThat(merged).hasSize(9);
        assertThat(merged.indexOf('R')).isLessThan(merged.lastIndexOf('E'));
    }

    /**
     * Runs {@code ./doms demo} (control plane, switch, four guests, the switch SIGKILLed and
     * restarted mid-run) with every child JVM tracing, and keeps the ring ends' logs as traces
     * {@code demo-PID-N}. Each file is one end (the peer is another process, and a killed
     * switch's ends cannot be paired with one log of the peer): TraceRing checks it against a
     * Ring whose other end may do anything. The processes' pool logs are not kept: TracePool
     * does not model the demo's hostile guest. Returns how many ring ends were kept.
     */
    private static int demoTraces(final Path dir) throws Exception {
        final Path scratch = Files.createTempDirectory("doms-demo-trace-");
        final doms.control.Launcher traced = args -> doms.cli.JavaProcess.command(
                List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Ddoms.trace=" + scratch.toAbsolutePath()),
                doms.cli.JavaProcess.classPath(), doms.cli.Main.class.getName(), args);
        // 4 pages a ring (the smallest that holds a 9216-byte frame): Ring.tla's memory has a cell per 8 bytes
        final doms.demo.ProcessDemo.Report report = doms.demo.ProcessDemo.run(new doms.demo.ProcessDemo.Options(traced, 1, 2000, 128, 4,
                true, doms.control.Isolation.off(), scratch, line -> { }));
        // Not report.passed(): this run only has to leave the traces; ./doms demo and
        // ProcessDemoTest check the verdict. (Its first versions did see D not quarantined: D's
        // own END frames rewrote what it had forged before a switch looked; D now stops at its
        // forgery.)
        assertThat((Long) report.json().get("sent")).as("frames A sent in the traced demo").isPositive();
        int kept = 0;
        try (var files = Files.list(scratch)) {
            for (final Path f : files.toList()) {
                final String n = f.getFileName().toString();
                // A log without one whole line is of a switch killed while it opened it: no event to check.
                if ((n.endsWith(".producer.ndjson") || n.endsWith(".consumer.ndjson")) && Files.readString(f).contains("\n")) {
                    Files.copy(f, dir.resolve("demo-" + n.substring("ring-".length())));
                    kept++;
                }
            }
        }
        doms.shm.FileTrees.delete(scratch);
        return kept;
    }

    private static RingTraceModel.Event ev(final String code, final Object... kv) {
        final Map<String, Object> f = new LinkedHashMap<>();
        f.put("e", code);
        for (int i = 0; i < kv.length; i += 2) {
            f.put((String) kv[i], kv[i + 1]);
        }
        return new RingTraceModel.Event("t", 1, code, f);
    }

    private static String codes(final List<RingTraceModel.Event> events) {
        final StringBuilder s = new StringBuilder();
        events.forEach(e -> s.append(e.fields().get("e")));
        return s.toString();
    }

    @Test
    void projectTracesAreValidAndInjectedBugsAreCaught(@TempDir final Path temp) throws Exception {
        final String out = System.getProperty("doms.trace.out");
        final boolean full = out != null && !out.isBlank();
        final Path dir = full ? Path.of(out) : temp.resolve("traces");
        RingTraceWorkload.generate(dir, full ? 60 : 3, full ? 400 : 100, full ? 12 : 3, 2026);
        final Path home = Path.of(System.getProperty("doms.home", "..")).toAbsolutePath().normalize();
        RingTraceWorkload.corpus(dir, home.resolve("fuzz/src/test/resources/corpus"), full ? 1000 : 2);
        for (final String bug : BUGS) {
            final Process p = RingTraceWorkload.startTraced(dir, "doms.ring.InjectedRingBugs", bug, full ? "3" : "1");
            assertThat(p.waitFor()).as(bug + " run").isZero();
        }
        final List<String> labels = TraceCheck.labels(dir);
        assertThat(labels).contains("twoproc-0", "hostile-0", "injected-publishBeforeWrite-0", "injected-noSpanCheck-0")
                .anyMatch(l -> l.startsWith("fuzz-raw-")).anyMatch(l -> l.startsWith("fuzz-guest-"));
        if (full) {
            assertThat(demoTraces(dir)).as("ring ends the traced demo wrote").isGreaterThanOrEqualTo(8);
            return; // ./doms trace-check checks them
        }
        final Tla2Tools.Located tools = Tla2Tools.locate(System.getenv(), false);
        Assumptions.assumeTrue(tools.found(), () -> "TLC skipped: " + tools.reason());
        final List<String> wrong = new ArrayList<>();
        final List<TraceCheck.Result> results = new TraceCheck(tools.jar(), home.resolve("spec")).checkAll(dir, r -> {
            System.out.printf("trace %-32s %6d events %-7s %s%n", r.trace(), r.events(), r.valid() ? "valid" : "invalid", r.divergence());
            if (r.project() ? !r.valid() : !r.caught()) {
                wrong.add(r.trace() + ": " + r.divergence());
            }
        });
        assertThat(results).hasSize(labels.size());
        assertThat(wrong).isEmpty();
        assertThat(Files.list(dir).count()).isPositive();
    }
}
