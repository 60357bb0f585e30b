package doms.fuzz.campaign;

import edu.berkeley.cs.jqf.fuzz.guidance.Guidance;
import edu.berkeley.cs.jqf.fuzz.guidance.Result;
import edu.berkeley.cs.jqf.instrument.tracing.events.TraceEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A coverage-guided campaign on raw byte inputs, as JQF's {@link Guidance}: JQF instruments the
 * targets and runs the {@code @Fuzz} method; this picks each input, reads the branch counts of
 * its execution ({@link EdgeCounts}) and keeps the inputs that covered something new.
 *
 * <p>It does what Zest does per input with less: an input is a {@code byte[]} read through a
 * plain stream that ends where the input ends (as JQF's repro does), coverage is a fixed array,
 * and nothing is written per input unless it is kept. Its files follow Zest's layout, so
 * {@code jqf:repro} and the corpus replay take them: {@code corpus/id_N}, {@code failures/id_N},
 * {@code plot_data}.
 */
final class LeanGuidance implements Guidance, InputBytes {
    /** How often a row goes to plot_data and a progress line to stdout. */
    private static final long REPORT_NANOS = 1_000_000_000L;

    private final EdgeCounts edges;
    private final CoverageMap coverage = new CoverageMap();
    private final Mutator mutator;
    private final SplittableRandom random;
    private final Path out;
    private final long deadline;
    private final long maxExecutions;
    private final ArrayDeque<byte[]> seeds;
    private final List<byte[]> corpus = new ArrayList<>();
    private final Map<String, Integer> failureKinds = new HashMap<>();
    private final long start = System.nanoTime();

    private byte[] current;
    private boolean currentIsSeed;
    private long executions;
    private long invalid;
    private long skipped;
    private int failures;
    private long lastReport = start;
    private long executionsAtLastReport;

    LeanGuidance(final EdgeCounts edges, final Path out, final List<byte[]> seeds, final long seconds, final long maxExecutions,
                 final int maxLength, final long randomSeed) throws IOException {
        this.edges = edges;
        this.out = out;
        this.random = new SplittableRandom(randomSeed);
        this.mutator = new Mutator(random.split(), maxLength);
        this.deadline = start + seconds * 1_000_000_000L;
        this.maxExecutions = maxExecutions;
        this.seeds = new ArrayDeque<>(seeds);
        Files.createDirectories(out.resolve("corpus"));
        Files.createDirectories(out.resolve("failures"));
        Files.writeString(out.resolve("plot_data"), "# unix_time, cycles_done, cur_path, paths_total, pending_total, pending_favs, "
                + "map_size, unique_crashes, unique_hangs, max_depth, execs_per_sec, valid_inputs, invalid_inputs, valid_cov, "
                + "all_covered_probes, valid_covered_probes\n");
    }

    @Override
    public boolean hasInput() {
        return executions < maxExecutions && System.nanoTime() < deadline;
    }

    @Override
    public InputStream getInput() {
        if (current != null) {
            skipped++; // the last input ended before the target's generator had its arguments
        }
        edges.clear();
        currentIsSeed = !seeds.isEmpty();
        if (currentIsSeed) {
            current = seeds.poll();
        } else if (corpus.isEmpty()) {
            current = new byte[1 + random.nextInt(256)]; // every seed ended too early: start from noise
            random.nextBytes(current);
        } else {
            // Half the time one of the latest finds: new coverage is where more usually hides.
            final int n = corpus.size();
            final int pick = random.nextBoolean() ? n - 1 - random.nextInt(Math.min(n, 16)) : random.nextInt(n);
            current = mutator.mutate(corpus.get(pick), corpus.get(random.nextInt(n)));
        }
        return new ByteArrayInputStream(current);
    }

    @Override
    public byte[] currentInput() {
        return current;
    }

    @Override
    public void handleResult(final Result result, final Throwable error) {
        executions++;
        final boolean fresh = coverage.absorb(edges);
        if (result == Result.FAILURE) {
            failure(current, error);
        } else {
            if (result == Result.INVALID) {
                invalid++;
            }
            if (fresh || currentIsSeed) {
                keep(current);
            }
        }
        current = null;
        final long now = System.nanoTime();
        if (now - lastReport >= REPORT_NANOS || !hasInput()) {
            report(now);
        }
    }

    @Override
    public Consumer<TraceEvent> generateCallBack(final Thread thread) {
        return event -> { }; // fast instrumentation reports to EdgeCounts, not through events
    }

    private void keep(final byte[] input) {
        corpus.add(input);
        write(out.resolve("corpus").resolve(String.format("id_%06d", corpus.size() - 1)), input);
    }

    private void failure(final byte[] input, final Throwable error) {
        final StackTraceElement[] stack = error.getStackTrace();
        final String kind = error.getClass().getName() + (stack.length > 0 ? " at " + stack[0] : "");
        if (failureKinds.containsKey(kind) || failureKinds.size() >= 100) {
            return; // the same failure again: one input per kind is enough to reproduce it
        }
        final int id = failureKinds.size();
        failureKinds.put(kind, id);
        failures++;
        write(out.resolve("failures").resolve(String.format("id_%06d", id)), input);
        final StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        try {
            Files.writeString(out.resolve("failures.log"), String.format("id_%06d%n%s%n", id, trace),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.printf("failure id_%06d: %s%n", id, error);
    }

    private void report(final long now) {
        final double perSecond = (executions - executionsAtLastReport) * 1e9 / Math.max(1, now - lastReport);
        lastReport = now;
        executionsAtLastReport = executions;
        final String row = String.format("%d, 0, 0, %d, 0, 0, 0.00%%, %d, 0, 0, %.2f, %d, %d, 0.00%%, %d, %d%n",
                System.currentTimeMillis() / 1000, corpus.size(), failures, perSecond, executions - invalid, invalid,
                coverage.sites(), coverage.sites());
        try {
            Files.writeString(out.resolve("plot_data"), row, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(final Path file, final byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long executions() {
        return executions;
    }

    long skipped() {
        return skipped;
    }

    int failures() {
        return failures;
    }

    int corpusSize() {
        return corpus.size();
    }

    int sites() {
        return coverage.sites();
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
