package doms.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Figures 3, 4 and 5: throughput between a producer process and a consumer process. */
final class ThroughputFigures {
    private ThroughputFigures() {
    }

    /** The median trial of a point (by throughput), with the spread of its repeats and their trials in the order they ran. */
    record Point(StreamBench.Trial median, double minMbit, double maxMbit, int repeats, List<StreamBench.Trial> inOrder) {
        static Point of(final List<StreamBench.Trial> trials) {
            final List<StreamBench.Trial> sorted = new ArrayList<>(trials);
            sorted.sort(Comparator.comparingDouble(StreamBench.Trial::megabitsPerSecond));
            return new Point(sorted.get((sorted.size() - 1) / 2), sorted.getFirst().megabitsPerSecond(),
                    sorted.getLast().megabitsPerSecond(), sorted.size(), List.copyOf(trials));
        }

        List<Double> mbitInOrder() {
            return inOrder.stream().map(StreamBench.Trial::megabitsPerSecond).toList();
        }
    }

    /**
     * The pair ratios of the repeats whose two trials ran at one level of the cores' line round trip
     * (both probes of both trials within {@link LineProbe#SAME_LEVEL}): the pairs that compare the
     * rings and not two states of the host.
     */
    static double[] oneLevelPairRatios(final List<StreamBench.Trial> ours, final List<StreamBench.Trial> baseline) {
        final int n = Math.min(ours.size(), baseline.size());
        final List<Double> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final StreamBench.Trial a = ours.get(i);
            final StreamBench.Trial b = baseline.get(i);
            if (LineProbe.oneLevel(a.lineBefore(), a.lineAfter(), b.lineBefore(), b.lineAfter()) && b.megabitsPerSecond() > 0) {
                out.add(a.megabitsPerSecond() / b.megabitsPerSecond());
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Ours / baseline repeat by repeat: the two trials of a repeat ran back to back, so they shared
     * the machine's state more than any two trials further apart. The lowest and highest of these
     * pair ratios say whether a median ratio below (or above) 1.0 held in every pair; the machine's
     * noise moves both rings between bands of throughput from trial to trial.
     */
    static double[] pairRatios(final List<Double> ours, final List<Double> baseline) {
        final int n = Math.min(ours.size(), baseline.size());
        final double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = ours.get(i) / baseline.get(i);
        }
        return out;
    }

    /** The rows of one point, ours with the lowest and highest pair ratio against Agrona when both ran. */
    private static void addRows(final List<Row> rows, final String figure, final Function<String, String> variant, final Object x,
                                final Map<String, Point> points) {
        final Point agrona = points.get(Ratios.AGRONA);
        points.forEach((impl, p) -> {
            Row r = row(figure, impl, variant.apply(impl), x, p);
            if (impl.equals(Ratios.OURS) && agrona != null) {
                final double[] pairs = pairRatios(p.mbitInOrder(), agrona.mbitInOrder());
                if (pairs.length > 0) {
                    r = r.with(PAIR_MIN, java.util.Arrays.stream(pairs).min().orElseThrow())
                            .with(PAIR_MAX, java.util.Arrays.stream(pairs).max().orElseThrow());
                }
                final double[] level = oneLevelPairRatios(p.inOrder(), agrona.inOrder());
                r = r.with(PAIRS_ONE_LEVEL, level.length);
                if (level.length > 0) {
                    r = r.with(LEVEL_PAIR_MIN, java.util.Arrays.stream(level).min().orElseThrow())
                            .with(LEVEL_PAIR_MAX, java.util.Arrays.stream(level).max().orElseThrow());
                }
            }
            rows.add(r);
        });
    }

    /** Extra columns of our rows: the lowest and highest ours / Agrona ratio of one interleaved repeat. */
    static final String PAIR_MIN = "pair_ratio_min_vs_agrona";
    static final String PAIR_MAX = "pair_ratio_max_vs_agrona";
    /** How many of those pairs ran at one level of the line round trip, and their lowest and highest ratio. */
    static final String PAIRS_ONE_LEVEL = "pairs_at_one_line_level";
    static final String LEVEL_PAIR_MIN = "one_level_pair_ratio_min_vs_agrona";
    static final String LEVEL_PAIR_MAX = "one_level_pair_ratio_max_vs_agrona";

    /** Alternates which of ours and the baseline goes first, point by point and repeat by repeat. */
    private static List<String> order(final int turn, final List<String> impls) {
        final List<String> out = new ArrayList<>(impls);
        java.util.Collections.rotate(out, turn % impls.size());
        return out;
    }

    /**
     * One point of each implementation: {@code plan.repeats()} trials each, interleaved (A B, B A, A B ...),
     * each retried while disturbed; the median is kept.
     */
    private static Map<String, Point> point(final StreamBench bench, final Plan plan, final int turn, final List<String> impls,
                                            final int pages, final int size, final Function<String, String> poll, final String figure,
                                            final String x) throws IOException {
        final Map<String, List<StreamBench.Trial>> trials = new LinkedHashMap<>();
        for (int repeat = 0; repeat < plan.repeats(); repeat++) {
            for (final String impl : order(turn + repeat, impls)) {
                final StreamBench.Trial t = bench.measure(impl, pages, size, poll.apply(impl), plan.warm(), plan.measure(), plan.retries());
                report(figure, impl, poll.apply(impl), x, t);
                trials.computeIfAbsent(impl, k -> new ArrayList<>()).add(t);
            }
        }
        final Map<String, Point> out = new LinkedHashMap<>();
        for (final String impl : impls) {
            out.put(impl, Point.of(trials.get(impl)));
        }
        return out;
    }

    private static Row row(final String figure, final String impl, final String variant, final Object x, final Point p) {
        final StreamBench.Trial t = p.median();
        final Row r = Row.of(figure, impl, variant, x, t.megabitsPerSecond(), "Mbit/s")
                .with("messages_per_s", Math.round(t.messagesPerSecond()))
                .with("repeats", p.repeats())
                .with("min_mbit_per_s", p.minMbit())
                .with("max_mbit_per_s", p.maxMbit())
                .with("seconds", t.seconds())
                .with("producer_cpu_core", t.senderCpu())
                .with("consumer_cpu_core", t.receiverCpu())
                .with("producer_cpu_s", t.senderCpuSeconds())
                .with("consumer_cpu_s", t.receiverCpuSeconds())
                .with("producer_full_events", t.full())
                .with("foreign_cpu_core", t.foreignCores())
                .with("attempts", t.attempts());
        return Double.isNaN(t.lineBefore()) ? r : r.with("line_rtt_before_ns", t.lineBefore()).with("line_rtt_after_ns", t.lineAfter());
    }

    private static void report(final String figure, final String impl, final String poll, final String x, final StreamBench.Trial t) {
        final String series = impl + (poll.isEmpty() ? "" : " " + poll);
        Progress.say("%-4s %-22s %-9s %,11.0f Mbit/s %,12.0f msg/s  cpu producer %3.0f%% consumer %3.0f%%  other work %.2f%s", figure,
                series, x, t.megabitsPerSecond(), t.messagesPerSecond(), t.senderCpu() * 100, t.receiverCpu() * 100, t.foreignCores(),
                StreamBench.disturbed(t, poll, impl) ? " (DISTURBED)" : "");
    }

    /** Figure 3: ring size 1..4096 pages at a 1 ms polling period, 1 KiB messages; ours and Agrona. */
    static void fig3(final Plan plan, final Path work, final List<Row> rows, final List<String> notes) throws IOException {
        try (StreamBench bench = new StreamBench(work)) {
            bench.start(List.of("doms", "agrona"));
            bench.warmUp(plan.jitWarmup());
            int turn = 0;
            for (final int pages : plan.fig3Pages()) {
                final List<String> impls = new ArrayList<>(List.of("doms", "agrona"));
                if (Plan.FIG34_SIZE > RingFiles.agronaMaxMessage(pages)) {
                    impls.remove("agrona");
                    notes.add("fig3: Agrona has no point at " + pages + " page(s): its OneToOneRingBuffer takes messages of at most "
                            + "an eighth of its capacity (" + RingFiles.agronaMaxMessage(pages) + " B), less than 1 KiB.");
                }
                final Map<String, Point> points = point(bench, plan, turn++, impls, pages, Plan.FIG34_SIZE, i -> Plan.FIG3_POLL, "fig3",
                        pages + "p");
                addRows(rows, "fig3", i -> Plan.FIG3_POLL, pages, points);
            }
        }
    }

    /** Figure 4: polling period 0.01..10 ms, busy-spin and adaptive, at 256 pages and 1 KiB; with each side's CPU. */
    static void fig4(final Plan plan, final Path work, final List<Row> rows) throws IOException {
        try (StreamBench bench = new StreamBench(work)) {
            bench.start(List.of("doms", "agrona"));
            bench.warmUp(plan.jitWarmup());
            int turn = 0;
            for (final String poll : plan.fig4Polls()) {
                final Object x = Plan.periodX(poll);
                final Map<String, Point> points = point(bench, plan, turn++, List.of("doms", "agrona"), Plan.PAGES, Plan.FIG34_SIZE,
                        i -> poll, "fig4", "");
                addRows(rows, "fig4", i -> "", x, points);
                points.forEach((impl, p) -> {
                    rows.add(Row.of("fig4-cpu", impl, "producer", x, p.median().senderCpu() * 100, "% of a core")
                            .with("cpu_s", p.median().senderCpuSeconds()));
                    rows.add(Row.of("fig4-cpu", impl, "consumer", x, p.median().receiverCpu() * 100, "% of a core")
                            .with("cpu_s", p.median().receiverCpuSeconds()));
                });
            }
        }
    }

    /** Figure 5: message size 64 B..64 KiB at each polling strategy, ours and Agrona, then TCP and a Unix socket. */
    static void fig5(final Plan plan, final Path work, final List<Row> rows) throws IOException {
        try (StreamBench bench = new StreamBench(work)) {
            bench.start(List.of("doms", "agrona", "tcp", "uds"));
            bench.warmUp(plan.jitWarmup());
            int turn = 0;
            for (final int size : plan.fig5Sizes()) {
                for (final String poll : plan.fig5Polls()) {
                    final Map<String, Point> points = point(bench, plan, turn++, List.of("doms", "agrona"), Plan.PAGES, size, i -> poll,
                            "fig5", Format.bytes(size));
                    addRows(rows, "fig5", i -> poll, size, points);
                }
                final Map<String, Point> sockets = point(bench, plan, turn++, List.of("tcp", "uds"), Plan.PAGES, size, i -> "",
                        "fig5", Format.bytes(size));
                addRows(rows, "fig5", i -> "", size, sockets);
            }
        }
    }
}
