package doms.trace;

import doms.shm.FileTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates traces with TLC: each ring trace of a directory becomes a TraceRingLog module and
 * a TraceRing.cfg, each pool trace a TracePoolLog module and a TracePool.cfg, in a temporary
 * directory next to copies of the specs, one trace after the other, and TLC searches for a
 * behaviour of Ring (or Pool) that matches it.
 *
 * <p>Traces whose label starts with {@code injected-BUG-} come from a Java end with a bug
 * injected in test code; they must be rejected, at the action {@link #EXPECTED} names.
 */
public final class TraceCheck {
    /** For each injected bug, the spec action at which the check must reject its traces. */
    public static final Map<String, String> EXPECTED = Map.of(
            "publishBeforeWrite", "ProducerPublish",
            "noSpanCheck", "PollBegin",
            "releaseBeforeForward", "SaveTx",
            "staleGeneration", "Forward");

    /** The verdict on one trace. */
    public record Result(String trace, int events, boolean valid, double seconds, String divergence,
            String action, String injected, boolean caught) {
        public boolean project() {
            return injected == null;
        }
    }

    private static final Pattern DIVERGES = Pattern.compile("TRACE DIVERGES at event\", (\\d+)");
    private static final Pattern INVARIANT = Pattern.compile("Error: Invariant (\\w+) is violated");
    private static final Pattern STATE = Pattern.compile("^State (\\d+):", Pattern.MULTILINE);

    private final Path jar;
    private final Path spec;

    /** spec: the spec directory (its ring/ and pool/). */
    public TraceCheck(final Path jar, final Path spec) {
        this.jar = jar;
        this.spec = spec;
    }

    /** The labels of the traces in dir: ring traces (a .producer and/or .consumer file) and pool traces. */
    public static List<String> labels(final Path dir) throws IOException {
        final TreeSet<String> labels = new TreeSet<>(PoolTraceModel.labels(dir));
        try (var files = Files.list(dir)) {
            for (final Path p : files.toList()) {
                final String n = p.getFileName().toString();
                if (n.endsWith(".producer.ndjson")) {
                    labels.add(n.substring(0, n.length() - ".producer.ndjson".length()));
                } else if (n.endsWith(".consumer.ndjson")) {
                    labels.add(n.substring(0, n.length() - ".consumer.ndjson".length()));
                }
            }
        }
        return new ArrayList<>(labels);
    }

    /** The injected bug a label names, or null for a project trace. */
    public static String injectedBug(final String label) {
        if (!label.startsWith("injected-")) {
            return null;
        }
        final String rest = label.substring("injected-".length());
        final int dash = rest.indexOf('-');
        return dash < 0 ? rest : rest.substring(0, dash);
    }

    /** Checks every trace of traceDir; work files go to a temporary directory, deleted afterwards. */
    public List<Result> checkAll(final Path traceDir, final java.util.function.Consumer<Result> progress)
            throws IOException, InterruptedException {
        final Path work = Files.createTempDirectory("doms-trace-check-");
        try {
            for (final String module : List.of("Ring.tla", "FifoChannel.tla", "TraceRing.tla")) {
                Files.copy(spec.resolve("ring").resolve(module), work.resolve(module));
            }
            for (final String module : List.of("Pool.tla", "TracePool.tla")) {
                Files.copy(spec.resolve("pool").resolve(module), work.resolve(module));
            }
            final List<Result> results = new ArrayList<>();
            for (final String label : labels(traceDir)) {
                final Result r = check(traceDir, label, work);
                results.add(r);
                progress.accept(r);
            }
            return results;
        } finally {
            FileTrees.delete(work);
        }
    }

    Result check(final Path traceDir, final String label, final Path work) throws IOException, InterruptedException {
        final long start = System.nanoTime();
        final String bug = injectedBug(label);
        final boolean pool = PoolTraceModel.labels(traceDir).contains(label);
        final List<RingTraceModel.Event> ev;
        try {
            if (pool) {
                final PoolTraceModel model = PoolTraceModel.load(traceDir, label);
                model.write(work);
                ev = model.events();
                model.notes().forEach(n -> System.err.println("trace-check: " + label + ": " + n));
            } else {
                final RingTraceModel model = RingTraceModel.load(traceDir, label);
                model.write(work);
                ev = model.events();
                model.notes().forEach(n -> System.err.println("trace-check: " + label + ": " + n));
            }
        } catch (RuntimeException | IOException e) {
            return result(label, 0, false, start, "unreadable: " + e.getMessage(), null, bug);
        }
        final String module = pool ? "TracePool" : "TraceRing";
        final String spec = pool ? "Pool" : "Ring";
        final Path metadir = work.resolve("states");
        final List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss4m", "-cp", jar.toString(), "tlc2.TLC",
                "-workers", "1", "-noGenerateSpecTE", "-cleanup", "-metadir", metadir.toString(),
                "-config", module + ".cfg", module + ".tla");
        final Path log = work.resolve(module + ".out");
        final Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        final String out = Files.readString(log, StandardCharsets.UTF_8);
        FileTrees.delete(metadir);
        Files.deleteIfExists(work.resolve(module + "Log.tla"));
        Files.deleteIfExists(work.resolve(module + ".cfg"));
        final int events = ev.size();
        if (out.contains("Model checking completed. No error has been found.")) {
            return result(label, events, true, start, "", null, bug);
        }
        final Matcher d = DIVERGES.matcher(out);
        if (d.find()) {
            final int index = Integer.parseInt(d.group(1));
            return diverged(label, ev, index, start, "no behaviour of " + spec + " matches", bug);
        }
        final Matcher inv = INVARIANT.matcher(out);
        if (inv.find()) {
            int last = 1;
            final Matcher s = STATE.matcher(out);
            while (s.find()) {
                last = Integer.parseInt(s.group(1));
            }
            return diverged(label, ev, last - 1, start, "invariant " + inv.group(1) + " violated", bug);
        }
        final String tail = out.length() > 600 ? out.substring(out.length() - 600) : out;
        return result(label, events, false, start, "TLC failed: " + tail.strip().replace('\n', ' '), null, bug);
    }

    private static Result diverged(final String label, final List<RingTraceModel.Event> ev, final int index, final long start,
            final String why, final String bug) {
        if (index < 1 || index > ev.size()) {
            return result(label, ev.size(), false, start, why + " (event " + index + ")", null, bug);
        }
        final RingTraceModel.Event e = ev.get(index - 1);
        return result(label, ev.size(), false, start,
                "event " + index + " " + e.action() + " (" + e.source() + ":" + e.line() + "): " + why, e.action(), bug);
    }

    private static Result result(final String label, final int events, final boolean valid, final long start,
            final String divergence, final String action, final String bug) {
        final double seconds = (System.nanoTime() - start) / 1e9;
        final boolean caught = bug != null && !valid && action != null && action.equals(EXPECTED.get(bug));
        return new Result(label, events, valid, seconds, divergence, action, bug, caught);
    }
}
