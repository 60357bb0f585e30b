package doms.bench;

import doms.cli.BenchOptions;
import doms.evidence.ProjectHome;
import doms.shm.FileTrees;
import doms.shm.SharedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The benchmark driver: runs each figure's processes, interleaving ours and the baselines,
 * then writes CSV files, PNG plots and summary.md into the results folder, and with --json
 * prints one object with every row. Progress goes to standard error.
 */
@Command(name = "doms bench", mixinStandardHelpOptions = true,
        description = {"Reproduces the paper's Section 5 (Figures 3, 4 and 5) against baselines",
                "run in the same run: Agrona's OneToOneRingBuffer over /dev/shm, TCP over",
                "loopback and a Unix domain socket, each between two processes; plus round-trip",
                "latency, the switch's frames/s, the idle cost of each polling strategy and JMH",
                "microbenchmarks. Writes CSV files, PNG plots and summary.md into the results",
                "folder."},
        footer = {"", "Figures: " + "fig3, fig4, fig5, latency, switch, idle, jmh, trace.",
                "Exit codes: 0 every figure ran, 1 a figure failed, 2 bad usage."})
public final class BenchMain implements Callable<Integer> {
    @Mixin
    BenchOptions options = new BenchOptions();

    private static String[] arguments = new String[0];

    public static void main(final String[] args) {
        arguments = args.clone();
        System.exit(run(args));
    }

    static int run(final String... args) {
        final CommandLine cli = new CommandLine(new BenchMain());
        cli.setParameterExceptionHandler((e, a) -> {
            System.err.println("doms bench: " + e.getMessage() + " (see 'doms bench --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                System.err.println("doms bench: " + e.getMessage());
                return 2;
            }
            System.err.println("doms bench: failed: " + e);
            e.printStackTrace();
            return 1;
        });
        return cli.execute(args);
    }

    /** The plan the options ask for (quick or full, durations overridden). */
    Plan plan() {
        final Double warm = options.warm;
        final Double measure = options.measure;
        Plan plan = options.quick ? Plan.quickPlan() : Plan.fullPlan();
        if (warm != null || measure != null) {
            plan = plan.withDurations(warm != null ? warm : plan.warm(), measure != null ? measure : plan.measure());
        }
        if (options.sizes != null || options.polls != null) {
            plan = plan.withFig5(options.sizes, options.polls);
        }
        if (options.repeats != null) {
            Plan.repeats(options.repeats);
        }
        return plan;
    }

    @Override
    public Integer call() throws Exception {
        final Plan plan = plan();
        final List<String> figures = Plan.figures(options.only);
        final boolean quick = options.quick;
        final Path report = (options.out != null ? options.out : ProjectHome.dir().resolve("bench").resolve("results")
                .resolve(ProjectHome.stamp() + (quick ? "-quick" : "")))
                .toAbsolutePath().normalize();
        Files.createDirectories(report);
        final Path work = Files.createTempDirectory(SharedFile.DEFAULT_DIRECTORY, "doms-bench-");
        final Thread cleanup = new Thread(() -> {
            Jvm.destroyAll();
            deleteTree(work);
        }, "doms-bench-files");
        Runtime.getRuntime().addShutdownHook(cleanup);
        final double loadStart = Machine.load();
        if (loadStart > 1.0) {
            Progress.say("warning: the load average is %.2f: other work is running and the figures will be noisy", loadStart);
        }
        final Machine machine = Machine.here();
        Progress.say("%s run of %s on %d cores (%s), %s; results in %s", quick ? "quick" : "full", String.join(", ", figures),
                machine.nproc(), machine.cpu(), machine.jdk(), report);
        final List<Row> raw = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        for (final String figure : figures) {
            final double t0 = Progress.elapsed();
            final int before = raw.size();
            try {
                switch (figure) {
                    case "fig3" -> ThroughputFigures.fig3(plan, work, raw, notes);
                    case "fig4" -> ThroughputFigures.fig4(plan, work, raw);
                    case "fig5" -> ThroughputFigures.fig5(plan, work, raw);
                    case "latency" -> OtherFigures.latency(plan, work, raw);
                    case "switch" -> OtherFigures.switchFigure(plan, work, raw);
                    case "idle" -> OtherFigures.idle(plan, work, raw);
                    case "jmh" -> JmhFigure.run(plan, work, raw);
                    case "trace" -> TraceCostFigure.run(plan, work, raw, notes);
                    default -> throw new IllegalStateException(figure);
                }
                Progress.say("%s done in %.0f s", figure, Progress.elapsed() - t0);
            } catch (Exception e) {
                failures.add(figure + ": " + e.getMessage());
                Progress.say("%s FAILED after %.0f s: %s (%d of its points kept)", figure, Progress.elapsed() - t0, e, raw.size() - before);
            }
        }
        final List<Row> rows = Ratios.apply(raw);
        final List<Targets.Verdict> verdicts = Targets.evaluate(rows);
        Report.writeCsv(report, rows);
        final List<String> plots = Charts.draw(report, rows);
        notes.addAll(Notes.explain(plan, rows, verdicts));
        final double loadEnd = Machine.load();
        final double seconds = Progress.elapsed();
        final String command = "./doms bench" + (arguments.length == 0 ? "" : " " + String.join(" ", arguments));
        Files.writeString(report.resolve("summary.md"), Report.summary(rows, verdicts,
                new Report.Context(machine, command, quick, seconds, loadStart, loadEnd, plots, failures, notes)));
        Runtime.getRuntime().removeShutdownHook(cleanup);
        cleanup.run();
        if (options.json) {
            final Map<String, Object> object = new LinkedHashMap<>();
            object.put("rows", rows.stream().map(Row::json).toList());
            object.put("report", report.toString());
            object.put("targets", verdicts.stream().map(v -> {
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("target", v.target());
                m.put("scope", v.scope());
                m.put("verdict", v.word().toLowerCase(Locale.ROOT));
                m.put("worst", v.worst());
                m.put("shortfall", v.shortfall());
                return m;
            }).toList());
            object.put("plots", plots);
            object.put("failures", failures);
            object.put("seconds", Math.round(seconds * 10) / 10.0);
            System.out.println(doms.cli.Json.write(object));
        } else {
            System.out.println("targets:");
            for (final Targets.Verdict v : verdicts) {
                System.out.printf(Locale.ROOT, "  %-7s %s [%s] %s%s%n", v.word(), v.target(), v.scope().isEmpty() ? "all" : v.scope(), v.worst(),
                        v.shortfall().isEmpty() ? "" : " (" + v.shortfall() + ")");
            }
            System.out.printf(Locale.ROOT, "bench: %d rows, %d plots, summary in %s (%.0f s)%s%n", rows.size(), plots.size(),
                    report.resolve("summary.md"), seconds, failures.isEmpty() ? "" : "; FAILED: " + String.join("; ", failures));
        }
        return failures.isEmpty() ? 0 : 1;
    }

    static void deleteTree(final Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            FileTrees.delete(root);
        } catch (IOException e) {
            System.err.println("doms bench: could not delete " + root + ": " + e.getMessage());
        }
    }
}
