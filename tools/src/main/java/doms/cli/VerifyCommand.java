package doms.cli;

import doms.evidence.ProjectHome;
import doms.report.EvidenceReport;
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
        description = {"All the evidence in one run, and one report.", "",
                "Runs, in order, the TLC models (against spec/manifest.json), the jcstress",
                "suite, a JQF campaign per fuzz target, trace validation, PIT mutation",
                "testing and the demo's invariants, then writes one report (Markdown and a",
                "self-contained HTML page) ending with the evidence ledger of proofs-notes/",
                "filled with this run's figures. A part that cannot run here (no",
                "tla2tools.jar, say) is reported as skipped with its reason, never as passed.",
                "On 2 cores --quick took 24 minutes (TLC 6, fuzzing 8, trace validation 5,",
                "PIT 3, jcstress 2); the default fuzzes 10 minutes per target: about 1 h 40;",
                "--deep fuzzes an hour per target and runs jcstress's default: over 10 h."},
        footer = {"", "Exit codes: 0 no part failed, 1 a part failed, 2 bad usage."})
final class VerifyCommand implements Callable<Integer> {
    static final class Depth {
        @Option(names = "--quick", description = "about 25 minutes: non-deep TLC models, jcstress quick, 60 s of fuzzing per target, a 6 s demo")
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

    List<VerifyPlan.Part> plan() {
        return VerifyPlan.plan(depth.quick, depth.deep);
    }

    @Override
    public Integer call() throws Exception {
        final Path home = ProjectHome.dir();
        final Path report = out != null ? out : ProjectHome.timestamped(home.resolve("reports").resolve("verify"));
        Files.createDirectories(report.resolve("parts"));
        final List<EvidenceReport.PartResult> results = new ArrayList<>();
        final List<VerifyPlan.Part> parts = plan();
        for (int i = 0; i < parts.size(); i++) {
            final VerifyPlan.Part part = parts.get(i);
            System.err.printf("verify: [%d/%d] %s: %s%n", i + 1, parts.size(), part.name(), part.what());
            final EvidenceReport.PartResult r = VerifyPlan.run(part, report.resolve("parts"));
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
}
