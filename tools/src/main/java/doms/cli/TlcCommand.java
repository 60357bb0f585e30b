package doms.cli;

import doms.evidence.ProjectHome;
import doms.tlc.Manifest;
import doms.tlc.Tla2Tools;
import doms.tlc.TlcResult;
import doms.tlc.TlcRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs the TLC models of spec/ and compares each verdict with spec/manifest.json. */
@Command(name = "tlc", mixinStandardHelpOptions = true,
        description = {"Model-checks the TLA+ specifications with TLC and compares each result with spec/manifest.json.",
                "Correct models must pass; each bug model must fail on the property the manifest names.",
                "tla2tools.jar comes from $TLA2TOOLS_JAR, else the cache folder ($DOMS_CACHE_DIR, $XDG_CACHE_HOME/doms",
                "or ~/.cache/doms), else a download of the pinned release " + Tla2Tools.PINNED_VERSION + " into that cache."},
        footer = {"", "Exit codes: 0 every result as expected, 1 a mismatch, 2 bad usage, 3 skipped: no tla2tools.jar to be had."})
final class TlcCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MODEL", description = "models to run, by manifest name or prefix (e.g. ring/MCRing, pool); default all")
    List<String> selected = new ArrayList<>();

    @Option(names = "--deep", description = "also run the models marked deep (larger constants; minutes to hours)")
    boolean deep;

    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;

    @Option(names = "--update-manifest", description = "write this run's distinct-state counts into the manifest")
    boolean updateManifest;

    @Option(names = "--no-download", description = "never download tla2tools.jar")
    boolean noDownload;

    @Override
    public Integer call() throws Exception {
        final Path home = ProjectHome.dir();
        final Path specRoot = home.resolve("spec");
        final Manifest manifest = Manifest.load(specRoot.resolve("manifest.json"));
        final List<Manifest.Model> models = choose(manifest.models());
        final Tla2Tools.Located tools = Tla2Tools.locate(System.getenv(), !noDownload);
        if (!tools.found()) {
            if (json) {
                final Map<String, Object> out = new LinkedHashMap<>();
                out.put("skipped", true);
                out.put("skipped_reason", tools.reason());
                out.put("models", List.of());
                out.put("mismatches", 0);
                System.out.println(Json.write(out));
            }
            System.err.println("tlc: skipped: " + tools.reason());
            return ExitCodes.SKIPPED;
        }
        final Path logDir = home.resolve("reports").resolve("tlc");
        final TlcRunner runner = new TlcRunner(tools.jar(), specRoot, logDir);
        final java.io.PrintStream progress = json ? System.err : System.out;
        progress.printf("tlc: %d models with %s (%s); logs in %s%n", models.size(), tools.jar(), tools.source(), logDir);
        progress.printf("%-34s %-24s %-24s %12s %8s%n", "model", "expected", "result", "distinct", "seconds");
        final List<TlcResult> results = new ArrayList<>();
        for (final Manifest.Model model : models) {
            final TlcResult r = runner.run(model);
            results.add(r);
            progress.printf("%-34s %-24s %-24s %,12d %8.1f%s%n", r.model(), r.expected(), abbreviate(r.result()),
                    r.distinctStates(), r.seconds(), r.matches() ? "" : "   MISMATCH: " + r.mismatch() + " (see " + r.log() + ")");
        }
        final long mismatches = results.stream().filter(r -> !r.matches()).count();
        if (updateManifest && results.stream().allMatch(r -> r.verdictMatches() && (r.unusedActions().isEmpty() || !"pass".equals(r.expected())))) {
            manifest.recordDistinctStates(results);
        }
        if (json) {
            final List<Object> rows = new ArrayList<>();
            for (final TlcResult r : results) {
                final Map<String, Object> row = new LinkedHashMap<>();
                row.put("model", r.model());
                row.put("expected", r.expected());
                row.put("result", r.result());
                row.put("distinct_states", r.distinctStates());
                row.put("states_expected", r.statesExpected());
                row.put("unused_actions", r.unusedActions());
                row.put("seconds", Math.round(r.seconds() * 10) / 10.0);
                row.put("log", r.log().toString());
                rows.add(row);
            }
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("skipped", false);
            out.put("tla2tools", tools.jar().toString());
            out.put("models", rows);
            out.put("mismatches", mismatches);
            System.out.println(Json.write(out));
        } else {
            System.out.printf("tlc: %d of %d models as expected%s%n", results.size() - mismatches, results.size(),
                    mismatches == 0 ? "" : "; " + mismatches + " MISMATCHED");
        }
        return mismatches == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private List<Manifest.Model> choose(final List<Manifest.Model> all) {
        final List<Manifest.Model> chosen = new ArrayList<>();
        for (final Manifest.Model m : all) {
            final boolean named = selected.isEmpty() || selected.stream().anyMatch(s -> m.name().equals(s) || m.name().startsWith(s));
            if (named && (deep || !m.deep() || !selected.isEmpty())) {
                chosen.add(m);
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no model matches " + selected + " (see spec/manifest.json)");
        }
        return chosen;
    }

    private static String abbreviate(final String s) {
        return s.length() <= 24 ? s : s.substring(0, 23) + "…";
    }
}
