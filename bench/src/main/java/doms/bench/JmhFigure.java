package doms.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs {@link RingBenchmarks} with JMH (one forked JVM per benchmark) and turns the scores into rows. */
final class JmhFigure {
    /** The series of Agrona with its bounds checks on (its default); Ratios.AGRONA runs with them off. */
    static final String AGRONA_CHECKED = "agrona-checked";
    /** The variant of the batch benchmarks: {@link RingBenchmarks#BATCH} writes, then the reads of all of them, per record. */
    static final String BATCH = "batch of " + RingBenchmarks.BATCH;
    /** What one run measures: 5 benchmark methods, each at the 2 sizes of {@link RingBenchmarks#size}. */
    static final int BENCHMARKS = 10;

    private JmhFigure() {
    }

    /**
     * The options of every JMH run of the bench: the {@link RingBenchmarks} methods whose name
     * starts with {@code method} (all for ""), one fork, the plan's iterations, the children's
     * JVM flags, the log in {@code log}.
     */
    static Options options(final Plan plan, final String method, final Path log) {
        final long millis = Math.round(plan.jmhSeconds() * 1000);
        return new OptionsBuilder()
                .include(RingBenchmarks.class.getName().replace(".", "\\.") + "\\." + method)
                .forks(1)
                .threads(1)
                .warmupIterations(plan.jmhWarmups())
                .warmupTime(TimeValue.milliseconds(millis))
                .measurementIterations(plan.jmhIterations())
                .measurementTime(TimeValue.milliseconds(millis))
                .jvmArgs(Jvm.FLAGS.toArray(String[]::new))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.NORMAL)
                .output(log.toString())
                .build();
    }

    static void run(final Plan plan, final Path work, final List<Row> rows) throws IOException {
        final Path log = work.resolve("jmh.log");
        final Options options = options(plan, "", log);
        Progress.say("jmh: %d benchmarks x %d warm-up + %d measured iterations of %.1f s, one fork each (log: %s)", BENCHMARKS,
                plan.jmhWarmups(), plan.jmhIterations(), plan.jmhSeconds(), log);
        final Collection<RunResult> results;
        try {
            results = new Runner(options).run();
        } catch (RunnerException e) {
            if (Files.isRegularFile(log)) {
                final List<String> lines = Files.readAllLines(log);
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(System.err::println);
            }
            throw new IOException("JMH failed: " + e.getMessage(), e);
        }
        for (final RunResult r : results) {
            final String benchmark = r.getParams().getBenchmark();
            final String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            final String impl = method.startsWith("doms") ? Ratios.OURS : method.startsWith("agronaChecked") ? AGRONA_CHECKED : Ratios.AGRONA;
            final int size = Integer.parseInt(r.getParams().getParam("size"));
            final double score = r.getPrimaryResult().getScore();
            final double error = r.getPrimaryResult().getScoreError();
            final boolean batch = method.endsWith("Batch");
            Progress.say("jmh %-18s %5d B: %7.2f %s%s", method, size, score, batch ? "ns/record" : "ns/op",
                    Double.isNaN(error) ? "" : String.format(java.util.Locale.ROOT, " (99.9%% error %.2f)", error));
            final Row row = Row.of("jmh", impl, batch ? BATCH : "offer+poll", size, score, batch ? "ns/record" : "ns/op").with("method", method)
                    .with("iterations", plan.jmhIterations());
            rows.add(Double.isNaN(error) ? row : row.with("error_ns", error));
        }
    }
}
