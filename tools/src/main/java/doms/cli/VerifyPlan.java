package doms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import doms.evidence.Fuzz;
import doms.evidence.FuzzResult;
import doms.evidence.Jcstress;
import doms.evidence.JcstressResult;
import doms.evidence.Pit;
import doms.evidence.ProjectHome;
import doms.report.EvidenceReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of {@code doms verify} and how each runs: jcstress, fuzz and mutate in this JVM
 * through their typed runners (doms.evidence); TLC, trace validation and the demo as their
 * commands in a child JVM, read back from their --json output.
 */
final class VerifyPlan {
    private VerifyPlan() {
    }

    /**
     * One part of the evidence: run in this JVM by its typed runner, or (tlc, trace-check, demo) as
     * the doms command that produces it, with --json, in a child JVM.
     */
    record Part(String name, String what, List<String> command, Runner runner) {
        Part(final String name, final String what, final List<String> command) {
            this(name, what, command, null);
        }

        Part(final String name, final String what, final Runner runner) {
            this(name, what, null, runner);
        }
    }

    /** What a runner found: its verdict, its --json object (null if none) and its headline figures. */
    record Outcome(boolean passed, Map<String, Object> json, Map<String, Object> figures) {
        static final Outcome FAILED = new Outcome(false, null, Map.of());
    }

    interface Runner {
        Outcome run() throws Exception;
    }

    static List<Part> plan(final boolean quick, final boolean deep) {
        final String level = deep ? "deep" : quick ? "quick" : "default";
        final List<String> tlc = new ArrayList<>(List.of("tlc", "--json"));
        if (deep) {
            tlc.add("--deep");
        }
        // jcstress's own default preset takes 1-2 hours on 2 cores and tough about a day: the
        // default verify keeps quick for jcstress and spends its hour on fuzzing.
        final String jcstressMode = deep ? "default" : "quick";
        final String fuzzTime = deep ? "1h" : quick ? "60s" : "10m";
        final String demoSeconds = deep ? "120" : quick ? "6" : "30";
        return List.of(
                new Part("tlc", "TLC model checking of spec/ring and spec/pool, each result against the manifest (" + level + ")", tlc),
                new Part("jcstress", "jcstress " + jcstressMode + " on the real ring over mapped memory", () -> jcstress(jcstressMode)),
                new Part("fuzz", "JQF, " + fuzzTime + " per target, against the switch's ingress and the guest's side", () -> {
                    final FuzzResult r = FuzzCommand.run(null, Fuzz.seconds(fuzzTime), Long.MAX_VALUE, null);
                    return new Outcome(r.failures() == 0, r.json(), r.figures());
                }),
                new Part("trace-check", "traces of the ring runs and of the pool runs (control plane, switch processes, guests) checked against spec/ring and spec/pool with TLC; injected bugs rejected",
                        List.of("trace-check", "--json")),
                new Part("mutate", "PIT mutation testing of doms.ring, doms.pool and doms.sw with the in-process unit tests",
                        VerifyPlan::mutate),
                new Part("demo", "the demo's invariants over " + demoSeconds + " s with a SIGKILL of the switch", List.of("demo", "--seconds", demoSeconds, "--json")));
    }

    private static Outcome jcstress(final String mode) throws Exception {
        final JcstressResult r = Jcstress.run(mode, Jcstress.DEFAULT_TESTS, false);
        if (r.summary() == null) {
            System.err.println("jcstress: " + r.problem());
            return Outcome.FAILED;
        }
        return new Outcome(r.ok(), r.json(), r.figures());
    }

    private static Outcome mutate() throws Exception {
        System.err.println("mutate: building impl and running PIT over " + String.join(", ", Pit.PACKAGES) + " (several minutes) ...");
        final Pit.Result r = Pit.runAndRead(ProjectHome.dir(), line -> System.err.println("mutate: " + line), 30);
        if (r == null) {
            System.err.println("mutate: the build or PIT failed (see above)");
            return Outcome.FAILED;
        }
        return new Outcome(true, r.json(), r.figures());
    }

    /** A part run in this JVM: a runner's exception fails the part, as a failed child would. */
    private static EvidenceReport.PartResult runHere(final Part part, final Path dir) throws IOException {
        final long start = System.nanoTime();
        Outcome outcome;
        try {
            outcome = part.runner().run();
        } catch (Exception e) {
            System.err.println(part.name() + ": failed: " + e);
            outcome = Outcome.FAILED;
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final Path raw = dir.resolve(part.name() + ".json");
        final String json = outcome.json() == null ? "" : Json.write(outcome.json()) + "\n";
        Files.writeString(raw, json);
        final JsonNode node = lastJson(json);
        final String verdict = outcome.passed() && node != null ? "pass" : "fail";
        return new EvidenceReport.PartResult(part.name(), part.what(), verdict, null, outcome.figures(), seconds, raw, node);
    }

    static EvidenceReport.PartResult run(final Part part, final Path dir) throws IOException, InterruptedException {
        if (part.runner() != null) {
            return runHere(part, dir);
        }
        final List<String> command = JavaProcess.command(Main.class.getName(), part.command());
        command.add(command.indexOf(Main.class.getName()), "-Ddoms.home=" + ProjectHome.dir());
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

    /** The headline figures of each part run as a child, read from its --json object, for the summary and the ledger. */
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
            case "trace-check" -> {
                for (final String k : new String[] {"traces", "events", "valid", "invalid", "injected_caught", "injected_total"}) {
                    f.put(k, n.path(k).asLong());
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
