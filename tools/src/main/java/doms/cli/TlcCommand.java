package doms.cli;

import doms.evidence.ProjectHome;
import doms.tlc.DistributedRunner;
import doms.tlc.Manifest;
import doms.tlc.ModelCheck;
import doms.tlc.Tla2Tools;
import doms.tlc.TlcReport;
import doms.tlc.TlcResult;
import doms.tlc.TlcRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs the TLC models of spec/ and compares each verdict with spec/manifest.json. */
@Command(name = "tlc", mixinStandardHelpOptions = true,
        description = {"Model-checks the TLA+ specifications against spec/manifest.json.", "",
                "Model-checks the TLA+ specifications with TLC and compares each result with",
                "spec/manifest.json. Correct models must pass; each bug model must fail on",
                "the property the manifest names. tla2tools.jar comes from $TLA2TOOLS_JAR,",
                "else the cache folder ($DOMS_CACHE_DIR, $XDG_CACHE_HOME/doms or",
                "~/.cache/doms), else a download of the pinned release " + Tla2Tools.PINNED_VERSION,
                "into that cache."},
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

    @Option(names = "--distributed", description = "run TLC's distributed mode: a TLCServer here and TLCWorker processes (RMI; the same "
            + "tla2tools.jar on every host). It checks invariants and action properties, not liveness nor coverage. Without --workers "
            + "it prints the command to run on each worker host and waits (once per model: a worker exits when its model is done).")
    boolean distributed;

    @Option(names = "--workers", paramLabel = "N", description = "with --distributed: also start N local TLCWorker processes of one thread each")
    int workers;

    @Option(names = "--listen", paramLabel = "HOST:PORT|PORT", description = "with --distributed: the name workers reach the server by, "
            + "and its RMI registry port (default: localhost with --workers, else this host's name; port " + DistributedRunner.TLC_PORT + ")")
    String listen;

    @Override
    public Integer call() throws Exception {
        if (!distributed && (workers != 0 || listen != null)) {
            throw new IllegalArgumentException("--workers and --listen go with --distributed");
        }
        final Path home = ProjectHome.dir();
        final Path specRoot = home.resolve("spec");
        final Manifest manifest = Manifest.load(specRoot.resolve("manifest.json"));
        final List<Manifest.Model> models = choose(manifest.models());
        final Tla2Tools.Located tools = Tla2Tools.locate(System.getenv(), !noDownload);
        if (!tools.found()) {
            if (json) {
                System.out.println(Json.write(TlcReport.skipped(tools.reason())));
            }
            System.err.println("tlc: skipped: " + tools.reason());
            return ExitCodes.SKIPPED;
        }
        final Path logDir = home.resolve("reports").resolve("tlc");
        final java.io.PrintStream progress = json ? System.err : System.out;
        final ModelCheck check = distributed ? distributedRunner(tools.jar(), specRoot, logDir, progress)
                : new TlcRunner(tools.jar(), specRoot, logDir);
        progress.printf("tlc: %d models with %s (%s); logs in %s%n", models.size(), tools.jar(), tools.source(), logDir);
        progress.println(TlcReport.header());
        final List<TlcResult> results = new ArrayList<>();
        for (final Manifest.Model model : models) {
            final TlcResult r = check.run(model);
            results.add(r);
            progress.println(TlcReport.row(r));
        }
        if (updateManifest && !distributed && results.stream().allMatch(r -> r.verdictMatches() && (r.unusedActions().isEmpty() || !"pass".equals(r.expected())))) {
            manifest.recordDistinctStates(results);
        }
        if (json) {
            System.out.println(Json.write(TlcReport.json(results, tools.jar(), distributed ? "distributed" : "local")));
        } else {
            System.out.println(TlcReport.summary(results));
        }
        return TlcReport.mismatches(results) == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private DistributedRunner distributedRunner(final Path jar, final Path specRoot, final Path logDir, final java.io.PrintStream progress) {
        final DistributedRunner.Listen at = DistributedRunner.Listen.parse(listen, workers > 0 ? "localhost" : DistributedRunner.thisHost());
        final DistributedRunner runner = new DistributedRunner(jar, specRoot, logDir, at, workers, progress);
        if (workers == 0) {
            progress.println("tlc: on each worker host run (same tla2tools.jar version): " + runner.remoteWorkerCommand());
        }
        return runner;
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
}
