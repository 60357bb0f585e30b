package doms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import doms.report.EvidenceReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** All the evidence in one run: TLC models, jcstress, fuzzing, and the demo's invariants, with one report. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Runs, in order, the TLC models (against spec/manifest.json), the jcstress suite, a JQF campaign per",
                "fuzz target, trace validation, PIT mutation testing and the demo's invariants, then writes one report (Markdown and a self-contained HTML page)",
                "ending with the evidence ledger of proofs-notes/ filled with this run's figures. A part that cannot run",
                "here (no tla2tools.jar, say) is reported as skipped with its reason, never as passed.",
                "--quick takes about 10 minutes on 2 cores, the default about an hour, --deep several hours."},
        footer = {"", "Exit codes: 0 no part failed, 1 a part failed, 2 bad usage."})
final class VerifyCommand implements Callable<Integer> {
    static final class Depth {
        @Option(names = "--quick", description = "about 10 minutes: non-deep TLC models, jcstress quick, 60 s of fuzzing per target, a 6 s demo")
        boolean quick;

        @Option(names = "--deep", description = "deep TLC models, jcstress default, an hour of fuzzing per target, a 2-minute demo")
        boolean deep;
    }

    @ArgGroup(exclusive = true)
    Depth depth = new Depth();

    @Option(names = "--out", paramLabel = "DIR", description = "report folder (default reports/verify/TIMESTAMP)")
    Path out;

    @Option(names = "--json", description = "print one JSON object at the end")
    boolean json;

    /** One part of the evidence: the doms command that produces it, with --json. */
    record Part(String name, String what, List<String> command) {
    }

    List<Part> plan() {
        final String level = depth.deep ? "deep" : depth.quick ? "quick" : "default";
        final List<String> tlc = new ArrayList<>(List.of("tlc", "--json"));
        if (depth.deep) {
            tlc.add("--deep");
        }
        // jcstress's own default preset takes 1-2 hours on 2 cores and tough about a day: the
        // default verify keeps quick for jcstress and spends its hour on fuzzing.
        final String jcstressMode = depth.deep ? "default" : "quick";
        final String fuzzTime = depth.deep ? "1h" : depth.quick ? "60s" : "10m";
        final String demoSeconds = depth.deep ? "120" : depth.quick ? "6" : "30";
        return List.of(
                new Part("tlc", "TLC model checking of spec/ring and spec/pool, each result against the manifest (" + level + ")", tlc),
                new Part("jcstress", "jcstress " + jcstressMode + " on the real ring over mapped memory", List.of("jcstress", "--mode", jcstressMode, "--json")),
                new Part("fuzz", "JQF Zest, " + fuzzTime + " per target, against the switch's ingress", List.of("fuzz", "--time", fuzzTime, "--json")),
                new Part("trace-check", "traces of the two-process ring runs checked against spec/ring with TLC; injected bugs rejected",
                        List.of("trace-check", "--json")),
                new Part("mutate", "PIT mutation testing of doms.ring, doms.pool and doms.sw with the in-process unit tests",
                        List.of("mutate", "--json")),
                new Part("demo", "the demo's invariants over " + demoSeconds + " s with a SIGKILL of the switch", List.of("demo", "--seconds", demoSeconds, "--json")));
    }

    @Override
    public Integer call() throws Exception {
        final Path home = MavenRunner.home();
        final Path report = out != null ? out : MavenRunner.timestamped(home.resolve("reports").resolve("verify"));
        Files.createDirectories(report.resolve("parts"));
        final List<EvidenceReport.PartResult> results = new ArrayList<>();
        final List<Part> parts = plan();
        for (int i = 0; i < parts.size(); i++) {
            final Part part = parts.get(i);
            System.err.printf("verify: [%d/%d] %s: %s%n", i + 1, parts.size(), part.name(), part.what());
            final EvidenceReport.PartResult r = run(part, report.resolve("parts"));
            results.add(r);
            System.err.printf("verify: [%d/%d] %s: %s%s (%.0f s)%n", i + 1, parts.size(), part.name(), r.verdict(),
                    r.skippedReason() == null ? "" : " (" + r.skippedReason() + ")", r.seconds());
        }
        final EvidenceReport evidence = new EvidenceReport(results, home.resolve("proofs-notes").resolve("ledger.md"));
        final Path md = report.resolve("report.md");
        final Path html = report.resolve("report.html");
        Files.writeString(md, evidence.markdown());
        Files.writeString(html, evidence.html());
        final boolean failed = results.stream().anyMatch(r -> r.verdict().equals("fail"));
        if (json) {
            final List<Object> rows = new ArrayList<>();
            for (final EvidenceReport.PartResult r : results) {
                final Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", r.name());
                row.put("verdict", r.verdict());
                row.put("skipped_reason", r.skippedReason());
                row.put("seconds", Math.round(r.seconds()));
                row.put("figures", r.figures());
                rows.add(row);
            }
            final Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("parts", rows);
            summary.put("report", html.toString());
            summary.put("markdown", md.toString());
            System.out.println(Json.write(summary));
        } else {
            for (final EvidenceReport.PartResult r : results) {
                System.out.printf("%-9s %-8s %s%n", r.name(), r.verdict(), r.skippedReason() == null ? r.figures() : r.skippedReason());
            }
            System.out.println("verify: report in " + html);
        }
        return failed ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private EvidenceReport.PartResult run(final Part part, final Path dir) throws IOException, InterruptedException {
        final List<String> command = JavaProcess.command(Main.class.getName(), part.command());
        command.add(command.indexOf(Main.class.getName()), "-Ddoms.home=" + MavenRunner.home());
        final long start = System.nanoTime();
        final Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        final int exit = p.waitFor();
        final double seconds = (System.nanoTime() - start) / 1e9;
        final Path raw = dir.resolve(part.name() + ".json");
        Files.writeString(raw, stdout);
        final JsonNode node = lastJson(stdout);
        final Map<String, Object> figures = figures(part.name(), node);
        if (exit == ExitCodes.SKIPPED) {
            final String reason = node == null ? "skipped" : node.path("skipped_reason").asText("skipped");
            return new EvidenceReport.PartResult(part.name(), part.what(), "skipped", reason, figures, seconds, raw, node);
        }
        final String verdict = exit == 0 && node != null ? "pass" : "fail";
        return new EvidenceReport.PartResult(part.name(), part.what(), verdict, null, figures, seconds, raw, node);
    }

    private static JsonNode lastJson(final String stdout) {
        final List<String> lines = stdout.lines().filter(l -> l.startsWith("{")).toList();
        if (lines.isEmpty()) {
            return null;
        }
        try {
            return new ObjectMapper().readTree(lines.getLast());
        } catch (IOException e) {
            return null;
        }
    }

    /** The headline figures of each part, for the summary and the ledger. */
    static Map<String, Object> figures(final String part, final JsonNode n) {
        final Map<String, Object> f = new LinkedHashMap<>();
        if (n == null) {
            return f;
        }
        switch (part) {
            case "tlc" -> {
                long states = 0;
                int models = 0;
                for (final JsonNode m : n.path("models")) {
                    models++;
                    states += Math.max(0, m.path("distinct_states").asLong());
                }
                f.put("models", models);
                f.put("distinct_states", states);
                f.put("mismatches", n.path("mismatches").asLong());
            }
            case "jcstress" -> {
                for (final String k : new String[] {"mode", "tests", "passed", "failed", "interesting"}) {
                    f.put(k, n.path(k).isNumber() ? n.path(k).asLong() : n.path(k).asText());
                }
            }
            case "fuzz" -> {
                f.put("executions", n.path("executions").asLong());
                f.put("branches_covered", n.path("branches_covered").asLong());
                f.put("failures", n.path("failures").asLong());
            }
            case "trace-check" -> {
                for (final String k : new String[] {"traces", "events", "valid", "invalid", "injected_caught", "injected_total"}) {
                    f.put(k, n.path(k).asLong());
                }
            }
            case "mutate" -> {
                for (final JsonNode p : n.path("packages")) {
                    f.put(p.path("name").asText(), String.format("%d/%d killed (%.0f%%)", p.path("killed").asLong(),
                            p.path("mutants").asLong(), 100 * p.path("score").asDouble()));
                }
            }
            case "demo" -> {
                for (final String k : new String[] {"sent", "received", "dropped_rx_full", "lost", "duplicated", "cross_tenant_delivered",
                        "spoofed_delivered", "quarantined_ports", "wrongly_quarantined_ports", "slot_tamper_attempts", "slot_tamper_refused",
                        "restarts", "restart_downtime_ms"}) {
                    f.put(k, n.path(k).asLong());
                }
            }
            default -> {
            }
        }
        return f;
    }
}
