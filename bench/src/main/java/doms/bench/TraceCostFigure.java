package doms.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;

/**
 * What the trace calls cost with tracing off: JMH's one offer and one poll of one record
 * ({@link RingBenchmarks#domsOfferPoll}) on the ring as built, tracing off, against the same
 * ring with every trace block cut out of its bytecode ({@link UntracedRing}), in alternating
 * forks of the same run. The untraced fork gets the cut classes first on its class path.
 */
final class TraceCostFigure {
    static final String FIGURE = "trace";
    static final String TRACING_OFF = "tracing off";
    static final String UNTRACED = "untraced";

    private TraceCostFigure() {
    }

    static void run(final Plan plan, final Path work, final List<Row> rows, final List<String> notes) throws IOException {
        final Path untraced = work.resolve("untraced-classes");
        final int cut = UntracedRing.write(untraced);
        final List<Row> mine = new ArrayList<>();
        final int rounds = 3;
        Progress.say("trace: %d rounds of tracing off against the untraced ring (%d trace blocks cut), alternating forks", rounds, cut);
        for (int round = 1; round <= rounds; round++) {
            for (final String variant : List.of(TRACING_OFF, UNTRACED)) {
                final Path log = work.resolve("jmh-trace-" + round + "-" + variant.replace(' ', '-') + ".log");
                final Options options = JmhFigure.options(plan, "domsOfferPoll$", log);
                // JMH starts its fork with the class path in this property.
                final String classPath = System.getProperty("java.class.path");
                if (variant.equals(UNTRACED)) {
                    System.setProperty("java.class.path", untraced + java.io.File.pathSeparator + classPath);
                }
                try {
                    for (final RunResult r : new Runner(options).run()) {
                        final int size = Integer.parseInt(r.getParams().getParam("size"));
                        final double score = r.getPrimaryResult().getScore();
                        Progress.say("trace round %d %-11s %5d B: %7.2f ns/op", round, variant, size, score);
                        mine.add(Row.of(FIGURE, variant, "offer+poll", size, score, "ns/op").with("round", round));
                    }
                } catch (RunnerException e) {
                    throw new IOException("JMH failed (" + variant + "): " + e.getMessage() + "; log " + log, e);
                } finally {
                    System.setProperty("java.class.path", classPath);
                }
                if (!Files.isRegularFile(log)) {
                    throw new IOException("no JMH log " + log);
                }
            }
        }
        rows.addAll(mine);
        notes.add(note(mine));
    }

    /** Tracing off / untraced per size, from the mean of each variant's rounds. */
    static String note(final List<Row> rows) {
        final StringBuilder s = new StringBuilder("tracing off against the untraced ring (JMH offer+poll, mean of the rounds,"
                + " alternating forks; ratio above 1 = slower with the trace calls in the code):");
        rows.stream().map(Row::x).distinct().sorted().forEach(x -> {
            final double off = mean(rows, TRACING_OFF, x);
            final double base = mean(rows, UNTRACED, x);
            s.append(String.format(Locale.ROOT, " %s B %.2f ns against %.2f ns, ratio %.3f;", x, off, base, off / base));
        });
        return s.substring(0, s.length() - 1) + ".";
    }

    private static double mean(final List<Row> rows, final String variant, final Object x) {
        return rows.stream().filter(r -> r.impl().equals(variant) && r.x().equals(x)).mapToDouble(Row::value).average().orElse(Double.NaN);
    }
}
