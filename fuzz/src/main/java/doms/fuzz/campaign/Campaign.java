package doms.fuzz.campaign;

import edu.berkeley.cs.jqf.fuzz.junit.GuidedFuzzing;
import edu.berkeley.cs.jqf.instrument.InstrumentingClassLoader;
import edu.berkeley.cs.jqf.instrument.tracing.FastCoverageSnoop;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One fuzzing campaign of one {@code @Fuzz} target, in this JVM, with {@link LeanGuidance}.
 * The targets and the code under test are loaded through JQF's instrumenting class loader from
 * {@code --instrument}; JQF itself and this engine come from the class path, uninstrumented.
 * Exit status: 0 no failure, 1 failures saved, 2 bad arguments or an error of the campaign.
 */
public final class Campaign {
    private static final String USAGE = """
            usage: Campaign --class CLASS --method METHOD --instrument PATH[:PATH...] --out DIR
                            [--seeds DIR] [--time SECONDS] [--executions N] [--max-length BYTES] [--random-seed N]
            Runs a coverage-guided campaign of one JQF @Fuzz method until the time or the number of
            executions is reached. DIR receives corpus/, failures/, failures.log, plot_data,
            outcomes.tsv (when the target class counts its outcomes) and summary.properties.""";

    private Campaign() {
    }

    public static void main(final String[] args) {
        final Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println(USAGE);
                return;
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                fail("bad argument '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        for (final String required : List.of("class", "method", "instrument", "out")) {
            if (!options.containsKey(required)) {
                fail("missing --" + required);
            }
        }
        try {
            System.exit(run(options));
        } catch (NumberFormatException e) {
            fail("a number was expected: " + e.getMessage());
        } catch (Exception e) {
            System.err.println("campaign: " + e);
            e.printStackTrace();
            System.exit(2);
        }
    }

    private static void fail(final String why) {
        System.err.println("campaign: " + why + " (--help for usage)");
        System.exit(2);
    }

    private static int run(final Map<String, String> o) throws Exception {
        final String className = o.get("class");
        final String method = o.get("method");
        final Path out = Path.of(o.get("out"));
        Files.createDirectories(out);
        // Read by JQF's instrumenter when it first loads: branch ids to FastCoverageSnoop, not events.
        System.setProperty("useFastNonCollidingCoverageInstrumentation", "true");
        final EdgeCounts edges = new EdgeCounts();
        FastCoverageSnoop.setFastCoverageListener(edges);
        final ClassLoader loader = new InstrumentingClassLoader(o.get("instrument").split(File.pathSeparator), Campaign.class.getClassLoader());
        final LeanGuidance guidance = new LeanGuidance(edges, out, seeds(o.get("seeds")),
                Long.parseLong(o.getOrDefault("time", "60")), Long.parseLong(o.getOrDefault("executions", String.valueOf(Long.MAX_VALUE))),
                Integer.parseInt(o.getOrDefault("max-length", "8192")), Long.parseLong(o.getOrDefault("random-seed", String.valueOf(System.nanoTime()))));
        GuidedFuzzing.run(className, method, loader, guidance, null);
        final double seconds = guidance.seconds();
        outcomes(Class.forName(className, false, loader), method, out.resolve("outcomes.tsv"));
        final String summary = String.format("executions=%d%nseconds=%.3f%nexecutions_per_s=%.0f%nbranches_covered=%d%ncorpus=%d%nfailures=%d%nskipped=%d%n",
                guidance.executions(), seconds, guidance.executions() / seconds, guidance.sites(), guidance.corpusSize(),
                guidance.failures(), guidance.skipped());
        Files.writeString(out.resolve("summary.properties"), summary);
        System.out.printf("%s#%s: %,d executions in %.0f s (%,.0f/s), %,d branches, corpus %,d, %d failures%n", className, method,
                guidance.executions(), seconds, guidance.executions() / seconds, guidance.sites(), guidance.corpusSize(), guidance.failures());
        return guidance.failures() == 0 ? 0 : 1;
    }

    private static List<byte[]> seeds(final String dir) throws IOException {
        final List<byte[]> seeds = new ArrayList<>();
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            return seeds;
        }
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (final Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                seeds.add(Files.readAllBytes(f));
            }
        }
        return seeds;
    }

    /**
     * The outcomes the target counted ({@code static Map<String, Long> outcomes(String method)}
     * on its class, when it has one): every outcome it can name, with how often it was reached.
     */
    private static void outcomes(final Class<?> targets, final String method, final Path file) throws Exception {
        final Method counts;
        try {
            counts = targets.getMethod("outcomes", String.class);
        } catch (NoSuchMethodException e) {
            return;
        }
        final StringBuilder tsv = new StringBuilder();
        for (final Map.Entry<?, ?> e : ((Map<?, ?>) counts.invoke(null, method)).entrySet()) {
            tsv.append(e.getValue()).append('\t').append(e.getKey()).append('\n');
        }
        Files.writeString(file, tsv);
    }
}
