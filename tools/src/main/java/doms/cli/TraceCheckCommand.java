package doms.cli;

import doms.evidence.Maven;
import doms.evidence.ProjectHome;
import doms.tlc.Tla2Tools;
import doms.trace.TraceCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Trace validation: traces of the running Java checked by TLC against spec/ring/Ring.tla and spec/pool/Pool.tla. */
@Command(name = "trace-check", mixinStandardHelpOptions = true,
        description = {"Checks traces of the running Java against the specs (TLC).", "",
                "Validates traces of the running Java against the TLA+ specs",
                "(spec/ring/TraceRing.tla, spec/pool/TracePool.tla) with TLC.",
                "Without --from it first generates them: ./mvnw runs the tracing tests",
                "(doms.trace.RingTraceTest, doms.trace.PoolTraceTest). Their two-process,",
                "hostile-producer and pool runs (control plane, switch processes killed and",
                "restarted, guests), their replay of the committed raw and guest fuzz inputs",
                "on the ring consumer, and a one-second demo with every process tracing write",
                "the project's traces (each demo ring end is checked alone); their",
                "bug-injected ring ends and switches (test code only) write the traces that",
                "must be rejected. See proofs-notes/trace-validation.md."},
        footer = {"", "Exit codes: 0 every project trace valid and every injected one rejected at",
                "its action, 1 otherwise, 2 bad usage, 3 skipped: no tla2tools.jar."})
final class TraceCheckCommand implements Callable<Integer> {
    @Option(names = "--from", paramLabel = "DIR", description = "check the traces in DIR (*.producer.ndjson, *.consumer.ndjson, *.pool-PID.ndjson) instead of generating them")
    Path from;

    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;

    @Option(names = "--no-download", description = "never download tla2tools.jar (as tlc: TLA2TOOLS_JAR, then the cache, then the pinned release)")
    boolean noDownload;

    @Override
    public Integer call() throws Exception {
        final Tla2Tools.Located tools = Tla2Tools.locate(System.getenv(), !noDownload);
        if (!tools.found()) {
            System.err.println("trace-check: skipped: " + tools.reason());
            return ExitCodes.SKIPPED;
        }
        final Path home = ProjectHome.dir();
        final java.io.PrintStream progress = json ? System.err : System.out;
        final long start = System.nanoTime();
        Path dir = from;
        if (dir == null) {
            dir = home.resolve("target").resolve("traces");
            if (Files.exists(dir)) {
                doms.shm.FileTrees.delete(dir);
            }
            progress.println("trace-check: generating traces into " + dir + " (./mvnw test -Dtest=RingTraceTest,PoolTraceTest) ...");
            if (!Maven.run(List.of("-pl", "tools", "-am", "test", "-Dtest=RingTraceTest,PoolTraceTest", "-Dsurefire.failIfNoSpecifiedTests=false",
                    "-Ddoms.trace.out=" + dir.toAbsolutePath()))) {
                System.err.println("trace-check: generating the traces failed");
                return ExitCodes.FAILED;
            }
        }
        if (!Files.isDirectory(dir)) {
            System.err.println("trace-check: no directory " + dir);
            return ExitCodes.USAGE;
        }
        final double generated = (System.nanoTime() - start) / 1e9;
        progress.printf("%-36s %7s %-8s %8s  %s%n", "trace", "events", "verdict", "seconds", "first divergence");
        final List<TraceCheck.Result> results = new TraceCheck(tools.jar(), home.resolve("spec")).checkAll(dir, r ->
                progress.printf("%-36s %7d %-8s %8.1f  %s%n", r.trace(), r.events(),
                        r.valid() ? "valid" : r.project() ? "INVALID" : r.caught() ? "caught" : "MISSED", r.seconds(), r.divergence()));
        long events = 0;
        int valid = 0;
        int invalid = 0;
        int injectedTotal = 0;
        int injectedCaught = 0;
        int traces = 0;
        for (final TraceCheck.Result r : results) {
            if (r.project()) {
                traces++;
                events += r.events();
                if (r.valid()) {
                    valid++;
                } else {
                    invalid++;
                }
            } else {
                injectedTotal++;
                if (r.caught()) {
                    injectedCaught++;
                }
            }
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final boolean ok = invalid == 0 && traces > 0 && injectedCaught == injectedTotal;
        if (json) {
            final List<Object> rows = new ArrayList<>();
            for (final TraceCheck.Result r : results) {
                final Map<String, Object> row = new LinkedHashMap<>();
                row.put("trace", r.trace());
                row.put("events", r.events());
                row.put("valid", r.valid());
                row.put("injected", r.injected());
                row.put("caught", r.caught());
                row.put("seconds", Math.round(r.seconds() * 100) / 100.0);
                row.put("first_divergence", r.divergence());
                row.put("action", r.action());
                rows.add(row);
            }
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("traces", traces);
            out.put("events", events);
            out.put("valid", valid);
            out.put("invalid", invalid);
            out.put("injected_caught", injectedCaught);
            out.put("injected_total", injectedTotal);
            out.put("seconds_generating", Math.round(generated * 10) / 10.0);
            out.put("seconds_total", Math.round(seconds * 10) / 10.0);
            out.put("from", dir.toString());
            out.put("results", rows);
            System.out.println(Json.write(out));
        } else {
            System.out.printf("trace-check: %d project traces, %,d events: %d valid, %d invalid; injected bugs caught %d of %d; %.0f s (%.0f s generating)%n",
                    traces, events, valid, invalid, injectedCaught, injectedTotal, seconds, generated);
        }
        return ok ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
