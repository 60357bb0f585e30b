package doms.bench;

import java.util.List;

/**
 * What one run measures and for how long: the sweeps of each figure and the durations. Two
 * presets, {@link #quickPlan()} (a few points, well under 3 minutes) and {@link #fullPlan()}.
 */
public record Plan(boolean quick, double warm, double measure,
                   List<Integer> fig3Pages, List<Double> fig4PeriodsMicros, List<Integer> fig5Sizes, List<String> fig5Polls,
                   int latencyRounds, double latencyWarm, double latencyMeasure, int latencySize,
                   List<Integer> switchGuests, List<Integer> switchSizes, double switchWarm, double switchMeasure,
                   List<String> idlePolls, double idleWarm, double idleMeasure,
                   int jmhWarmups, int jmhIterations, double jmhSeconds) {
    /** Every figure, in the order they run. */
    public static final List<String> FIGURES = List.of("fig3", "fig4", "fig5", "latency", "switch", "idle", "jmh", "trace");

    /** The ring size of figures 4 and 5, as in the paper: 256 pages (1 MiB). */
    public static final int PAGES = 256;
    /** The message size of figures 3 and 4, as in the paper. */
    public static final int FIG34_SIZE = 1024;
    /** The polling period of figure 3, as in the paper: 1 ms. */
    public static final String FIG3_POLL = "period:1000";

    public static Plan quickPlan() {
        return new Plan(true, 0.25, 0.5,
                List.of(1, 16, 256, 4096), List.of(10.0, 100.0, 1000.0, 10000.0), List.of(64, 1024, 8192, 65536),
                List.of("period:50", "period:1000", "busy", "adaptive"),
                2, 0.25, 0.5, 64,
                List.of(2, 4, 8), List.of(64, 1500), 0.3, 0.7,
                List.of("busy", "period:10", "period:50", "period:1000", "period:10000", "adaptive", "adaptive:100"), 0.5, 1.5,
                1, 2, 0.5);
    }

    public static Plan fullPlan() {
        return new Plan(false, 0.4, 0.8,
                powersOfTwo(1, 4096), List.of(10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0),
                powersOfTwo(64, 65536), List.of("period:50", "period:1000", "busy", "adaptive"),
                4, 0.5, 2.0, 64,
                List.of(2, 4, 8), List.of(64, 1500), 0.5, 2.0,
                List.of("busy", "period:10", "period:50", "period:1000", "period:10000", "adaptive", "adaptive:100"), 2.0, 10.0,
                3, 5, 1.0);
    }

    /** Seconds of unrecorded trials each fresh producer/consumer pair runs before its first point (JIT warm-up). */
    public double jitWarmup() {
        return quick ? 0.6 : 1.5;
    }

    /** Trials per point of figures 3, 4 and 5 (interleaved with the baseline's); the median is kept. */
    public int repeats() {
        return repeatsOverride > 0 ? repeatsOverride : quick ? 1 : 3;
    }

    private static int repeatsOverride;

    /** --repeats: trials per point instead of the preset's (1 quick, 3 full). */
    static void repeats(final int n) {
        if (n < 1 || n > 15) {
            throw new IllegalArgumentException("--repeats must be 1..15");
        }
        repeatsOverride = n;
    }

    /** How many times a disturbed point is measured again (see {@link Disturbance}). */
    public int retries() {
        return quick ? 1 : 2;
    }

    /** The same plan with other stream-trial durations (seconds). */
    public Plan withDurations(final double newWarm, final double newMeasure) {
        if (!(newWarm >= 0) || newWarm > 60 || !(newMeasure > 0) || newMeasure > 600) {
            throw new IllegalArgumentException("--warm must be 0..60 s and --measure more than 0 and at most 600 s");
        }
        return new Plan(quick, newWarm, newMeasure, fig3Pages, fig4PeriodsMicros, fig5Sizes, fig5Polls,
                latencyRounds, latencyWarm, latencyMeasure, latencySize, switchGuests, switchSizes, switchWarm, switchMeasure,
                idlePolls, idleWarm, idleMeasure, jmhWarmups, jmhIterations, jmhSeconds);
    }

    /** The same plan with figure 5's message sizes and polling strategies replaced (null keeps them). */
    public Plan withFig5(final List<Integer> sizes, final List<String> polls) {
        if (sizes != null) {
            for (final int size : sizes) {
                if (size < 8 || size > 65536) {
                    throw new IllegalArgumentException("--sizes must be 8..65536 bytes, got " + size);
                }
            }
        }
        if (polls != null) {
            polls.forEach(doms.poll.IdleStrategies::parse);
        }
        return new Plan(quick, warm, measure, fig3Pages, fig4PeriodsMicros, sizes == null ? fig5Sizes : List.copyOf(sizes),
                polls == null ? fig5Polls : List.copyOf(polls), latencyRounds, latencyWarm, latencyMeasure, latencySize, switchGuests,
                switchSizes, switchWarm, switchMeasure, idlePolls, idleWarm, idleMeasure, jmhWarmups, jmhIterations, jmhSeconds);
    }

    static List<Integer> powersOfTwo(final int from, final int to) {
        final List<Integer> out = new java.util.ArrayList<>();
        for (int v = from; v <= to; v *= 2) {
            out.add(v);
        }
        return List.copyOf(out);
    }

    /** Parses --only: a comma-separated subset of {@link #FIGURES}; null or empty means all. */
    public static List<String> figures(final String only) {
        if (only == null || only.isBlank()) {
            return FIGURES;
        }
        final List<String> wanted = new java.util.ArrayList<>();
        for (final String f : only.split(",")) {
            final String name = f.strip();
            if (!FIGURES.contains(name)) {
                throw new IllegalArgumentException("unknown figure '" + name + "': expected some of " + String.join(",", FIGURES));
            }
            if (!wanted.contains(name)) {
                wanted.add(name);
            }
        }
        return FIGURES.stream().filter(wanted::contains).toList();
    }

    /** The polling-period sweep of figure 4 as strategy specs, then busy-spin and adaptive. */
    public List<String> fig4Polls() {
        final List<String> out = new java.util.ArrayList<>();
        for (final double micros : fig4PeriodsMicros) {
            out.add("period:" + Format.x(micros));
        }
        out.add("busy");
        out.add("adaptive");
        return out;
    }

    /** Figure 4's x for a strategy: the period in milliseconds, or the strategy's name. */
    public static Object periodX(final String poll) {
        if (poll.startsWith("period:")) {
            return Double.parseDouble(poll.substring("period:".length())) / 1000.0;
        }
        return poll;
    }
}
