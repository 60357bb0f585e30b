package doms.bench;

import doms.report.Plots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/** The PNG plots of a run, drawn like the paper's figures (log-2 x axis for sizes and periods). */
public final class Charts {
    private Charts() {
    }

    /** Draws every plot the rows allow; returns the file names written into {@code dir}. */
    public static List<String> draw(final Path dir, final List<Row> runOrder) throws IOException {
        final List<Row> rows = Report.ordered(runOrder); // ours first, so that our series get the first colours
        final List<String> written = new ArrayList<>();
        chart(dir, written, "fig3.png", "Figure 3: ring size vs throughput (1 KiB messages, 1 ms polling)", "ring size (4 KiB pages, log 2)",
                "Mbit/s", select(rows, "fig3", r -> true, Row::value), true);
        chart(dir, written, "fig4.png", "Figure 4: polling period vs throughput (256 pages, 1 KiB); busy and adaptive as lines",
                "polling period (ms, log 2)", "Mbit/s", withFlats(rows, "fig4", r -> true), true);
        chart(dir, written, "fig4-cpu.png", "Figure 4: CPU burnt per side against polling period", "polling period (ms, log 2)",
                "% of a core", select(rows, "fig4-cpu", r -> r.x() instanceof Number, Row::value), true);
        chart(dir, written, "fig5.png", "Figure 5: message size vs throughput (256 pages, polling periods of 0.05 and 1 ms)",
                "message size (bytes, log 2)", "Mbit/s", select(rows, "fig5", r -> r.variant().isEmpty() || r.variant().startsWith("period:"),
                        Row::value), true);
        chart(dir, written, "fig5-busy-adaptive.png", "Figure 5 with busy-spin and adaptive polling (256 pages)",
                "message size (bytes, log 2)", "Mbit/s", select(rows, "fig5", r -> !r.variant().startsWith("period:"), Row::value), true);
        final Map<String, List<double[]>> vsTcp = select(rows, "fig5", r -> r.impl().equals(Ratios.OURS) && r.ratioVsTcp() != null,
                Row::ratioVsTcp);
        if (!vsTcp.isEmpty()) {
            final List<double[]> target = new ArrayList<>();
            for (final Row r : rows) {
                if (r.figure().equals("fig5") && r.impl().equals("tcp")) {
                    target.add(new double[] {r.xNumber(), Targets.tcpThreshold((long) r.xNumber())});
                }
            }
            vsTcp.put("target (10x to 4 KiB, 3x beyond)", target);
        }
        chart(dir, written, "fig5-vs-tcp.png", "Figure 5: ours / TCP loopback", "message size (bytes, log 2)", "ratio", vsTcp, true);
        final Map<String, List<double[]>> vsAgrona = select(rows, "fig5", r -> r.impl().equals(Ratios.OURS) && r.ratioVsAgrona() != null,
                Row::ratioVsAgrona);
        if (!vsAgrona.isEmpty()) {
            final double[] span = span(rows, "fig5");
            vsAgrona.put("target (1.0x)", List.of(new double[] {span[0], 1}, new double[] {span[1], 1}));
        }
        chart(dir, written, "fig5-vs-agrona.png", "Figure 5: ours / Agrona (same polling strategy)", "message size (bytes, log 2)", "ratio",
                vsAgrona, true);
        chart(dir, written, "latency.png", "Round trip of 64 B between two processes", "percentile (nines: 0.3 = p50, 1 = p90, 2 = p99, 3 = p99.9)",
                "microseconds", latency(rows), false);
        chart(dir, written, "switch.png", "The switch: frames/s guest -> switch -> guest", "guests", "frames/s",
                select(rows, "switch", r -> true, Row::value), false);
        chart(dir, written, "idle.png", "Idle cost of one polling consumer (busy-spin, 100%, not drawn)", "polling period (ms, log 2)",
                "% of a core", withFlats(rows, "idle", r -> !"busy".equals(r.x())), true);
        chart(dir, written, "trace.png", "JMH offer+poll: tracing off against the untraced ring (each round)", "message size (bytes, log 2)",
                "ns per offer+poll", select(rows, TraceCostFigure.FIGURE, r -> true, Row::value), true);
        return written;
    }

    private static void chart(final Path dir, final List<String> written, final String name, final String title, final String xLabel,
                              final String yLabel, final Map<String, List<double[]>> series, final boolean logX) throws IOException {
        if (series.isEmpty() || series.values().stream().allMatch(List::isEmpty)) {
            return;
        }
        final List<Plots.Series> list = new ArrayList<>();
        series.forEach((k, v) -> list.add(new Plots.Series(k, v)));
        Plots.line(dir.resolve(name), title, xLabel, yLabel, list, logX);
        written.add(name);
    }

    /** Points of each series of a figure with a numeric x. */
    static Map<String, List<double[]>> select(final List<Row> rows, final String figure, final Predicate<Row> keep,
                                              final Function<Row, Double> y) {
        final Map<String, List<double[]>> out = new LinkedHashMap<>();
        for (final Row r : rows) {
            if (r.figure().equals(figure) && keep.test(r) && !Double.isNaN(r.xNumber()) && y.apply(r) != null) {
                out.computeIfAbsent(r.series(), k -> new ArrayList<>()).add(new double[] {r.xNumber(), y.apply(r)});
            }
        }
        return out;
    }

    /**
     * Numeric points as lines, and each word-x point (busy, adaptive) as a flat line across the
     * numeric range, named after its series and word.
     */
    static Map<String, List<double[]>> withFlats(final List<Row> rows, final String figure, final Predicate<Row> keep) {
        final Map<String, List<double[]>> out = select(rows, figure, keep, Row::value);
        final double[] span = span(rows, figure);
        if (Double.isNaN(span[0])) {
            return out;
        }
        for (final Row r : rows) {
            if (r.figure().equals(figure) && keep.test(r) && r.x() instanceof String word) {
                out.put(r.series() + " " + word, List.of(new double[] {span[0], r.value()}, new double[] {span[1], r.value()}));
            }
        }
        return out;
    }

    private static double[] span(final List<Row> rows, final String figure) {
        final double min = rows.stream().filter(r -> r.figure().equals(figure)).mapToDouble(Row::xNumber).filter(d -> !Double.isNaN(d))
                .min().orElse(Double.NaN);
        final double max = rows.stream().filter(r -> r.figure().equals(figure)).mapToDouble(Row::xNumber).filter(d -> !Double.isNaN(d))
                .max().orElse(Double.NaN);
        return new double[] {min, max};
    }

    /** Percentile rows ("p50", "p99.9") placed at their number of nines. */
    static Map<String, List<double[]>> latency(final List<Row> rows) {
        final Map<String, List<double[]>> out = new LinkedHashMap<>();
        for (final Row r : rows) {
            if (r.figure().equals("latency") && r.x() instanceof String p && p.startsWith("p")) {
                final double percentile = Double.parseDouble(p.substring(1));
                out.computeIfAbsent(r.series(), k -> new ArrayList<>()).add(new double[] {-Math.log10(1 - percentile / 100), r.value()});
            }
        }
        return out;
    }
}
