package doms.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The CSV files and the markdown summary of a run. */
public final class Report {
    /** Title, and which way is better, of each figure. */
    public static final Map<String, String[]> FIGURES = new LinkedHashMap<>();

    static {
        FIGURES.put("fig3", new String[] {"Figure 3: throughput against ring size (1 KiB messages, 1 ms polling period)", "ring size (4 KiB pages)", "higher is better"});
        FIGURES.put("fig4", new String[] {"Figure 4: throughput against polling period (256 pages, 1 KiB messages)", "polling period (ms), or the strategy", "higher is better"});
        FIGURES.put("fig4-cpu", new String[] {"Figure 4: CPU burnt by each side during the trial", "polling period (ms), or the strategy", "lower is better"});
        FIGURES.put("fig5", new String[] {"Figure 5: throughput against message size (256 pages)", "message size (bytes)", "higher is better"});
        FIGURES.put("latency", new String[] {"Round trip of a 64 B message between two processes", "percentile", "lower is better"});
        FIGURES.put("switch", new String[] {"The switch: frames/s guest -> switch -> guest (all guests send, each to the next)", "guests", "higher is better"});
        FIGURES.put("idle", new String[] {"Idle cost: CPU of one consumer polling an empty ring", "polling period (ms), or the strategy", "lower is better"});
        FIGURES.put("jmh", new String[] {"JMH, in-process: one offer and one poll of one record (ns/op), and per record of a batch of 64 (ns/record)", "message size (bytes)", "lower is better"});
        FIGURES.put("trace", new String[] {"JMH: offer+poll with tracing off against the ring with its trace blocks cut out", "message size (bytes)", "lower is better"});
    }

    private Report() {
    }

    // ---- CSV

    /** Writes one CSV per figure present in {@code rows}; returns the files. */
    public static List<Path> writeCsv(final Path dir, final List<Row> rows) throws IOException {
        final Map<String, List<Row>> byFigure = new LinkedHashMap<>();
        for (final Row r : rows) {
            byFigure.computeIfAbsent(r.figure(), k -> new ArrayList<>()).add(r);
        }
        final List<Path> files = new ArrayList<>();
        for (final Map.Entry<String, List<Row>> e : byFigure.entrySet()) {
            final Path file = dir.resolve(e.getKey() + ".csv");
            Files.writeString(file, csv(e.getValue()));
            files.add(file);
        }
        return files;
    }

    /** The rows as CSV: fixed columns, then every extra column any row has, in order of appearance. */
    public static String csv(final List<Row> rows) {
        final Set<String> extras = new LinkedHashSet<>();
        rows.forEach(r -> extras.addAll(r.extras().keySet()));
        final StringBuilder out = new StringBuilder("figure,series,impl,variant,x,value,unit,ratio_vs_agrona,ratio_vs_tcp");
        extras.forEach(k -> out.append(',').append(cell(k)));
        out.append('\n');
        for (final Row r : rows) {
            out.append(cell(r.figure())).append(',').append(cell(r.series())).append(',').append(cell(r.impl())).append(',')
                    .append(cell(r.variant())).append(',').append(cell(Format.x(r.x()))).append(',')
                    .append(Format.round(r.value())).append(',').append(cell(r.unit())).append(',')
                    .append(r.ratioVsAgrona() == null ? "" : Format.ratio(r.ratioVsAgrona())).append(',')
                    .append(r.ratioVsTcp() == null ? "" : Format.ratio(r.ratioVsTcp()));
            for (final String k : extras) {
                final Object v = r.extras().get(k);
                out.append(',').append(v == null ? "" : cell(v instanceof Double d ? String.valueOf(Format.round(d)) : String.valueOf(v)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String cell(final String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    // ---- summary.md

    /** Everything the summary needs besides the rows. */
    public record Context(Machine machine, String command, boolean quick, double seconds, double loadStart, double loadEnd,
                          List<String> plots, List<String> failures, List<String> notes) {
    }

    public static String summary(final List<Row> rows, final List<Targets.Verdict> verdicts, final Context c) {
        final StringBuilder out = new StringBuilder();
        out.append("# doms bench: the paper's Section 5, against baselines\n\n");
        out.append(String.format(Locale.ROOT, "Run: `%s` (%s), %s, %.0f s in all.%n%n", c.command(), c.quick() ? "quick" : "full",
                c.machine().date(), c.seconds()));
        out.append("## Machine\n\n| nproc | CPU | memory | JDK | OS | load average (1 min) at start / end |\n|---|---|---|---|---|---|\n");
        out.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %.2f / %.2f |%n%n", c.machine().nproc(), c.machine().cpu(),
                c.machine().memory(), c.machine().jdk(), c.machine().os(), c.loadStart(), c.loadEnd()));
        out.append("""
                ## Method

                - Every throughput and latency figure comes from two processes (a producer and a consumer, or a pinger and a
                  ponger), each its own JVM on the same JDK and class path, started by the driver (a third, idle process).
                - Baselines run in the same run, interleaved point by point with ours (the order alternates), on equal terms:
                  - **agrona**: Agrona's `OneToOneRingBuffer` over a file under /dev/shm mapped by both processes, the same data
                    capacity as our ring, the same polling strategy, bounds checks off (its fastest setting);
                  - **agrona-checked** (JMH only): the same in process with its bounds checks on, its default;
                  - **tcp**: TCP over 127.0.0.1, blocking sockets, one `write` per message (Nagle on for streams, `TCP_NODELAY` for
                    round trips), the receiver reading 256 KiB at a time;
                  - **uds**: a Unix domain stream socket, the same way.
                - Ring consumers read each record in place (both rings hand out views of the shared memory) and check its
                  sequence number; socket receivers copy out of the kernel, as sockets must. Every trial checks that nothing
                  was lost or reordered.
                - A trial's throughput is measured by the consumer from a warm-up after its first message to the end marker.
                  The producer backs off with the same strategy as the consumer when the ring is full. Each point of
                  figures 3-5 is the median of `repeats` trials (3 by default in a full run, 1 in a quick one; see the CSV),
                  interleaved with the baseline's (A B, B A, A B), with the spread in the CSV (`min_mbit_per_s`,
                  `max_mbit_per_s`).
                - Each trial also measures how much CPU other work on the machine used meanwhile (/proc/stat minus our
                  processes); a point with more than 0.2 cores of it, or a busy-spin side that did not get its core, is run
                  again (once in a quick run, twice in a full one, at most 12 retries per figure) and the least disturbed
                  attempt is kept (`foreign_cpu_core` and `attempts` in the CSV).
                - Ratios are ours / baseline at the same point. For throughput higher is better; for latency, CPU and ns/op
                  lower is better. Absolute figures from a shared machine are not comparable across runs; the ratios are.
                - A size where the ring is below 1.0x Agrona counts as "beyond the spread of repeats" when even our fastest
                  repeat there was slower than Agrona's slowest; the other misses are within what repeats of the same point
                  vary by on this machine. Each repeat runs the two back to back, so their ratio per repeat (a pair) is
                  less moved by the machine's drift: the headline shows the lowest and highest pair ratio, and a miss
                  "below in every interleaved pair" held in each of them.
                - Before and after each ring trial the driver times one cache line moved between the two cores and back
                  (`line_rtt_before_ns`, `line_rtt_after_ns`): on a shared host it moves between steady levels. A pair whose
                  four probes are within 1.5x of each other ran "at one line level"; the headline gives those pairs'
                  ratios apart, since a pair across two levels compares two states of the host rather than the rings.

                """);
        out.append("## Targets\n\n| target | scope | verdict | worst point | shortfall |\n|---|---|---|---|---|\n");
        for (final Targets.Verdict v : verdicts) {
            out.append("| ").append(v.target()).append(" | ").append(v.scope().isEmpty() ? "all" : v.scope()).append(" | **")
                    .append(v.word()).append("** | ").append(v.worst()).append(" | ").append(v.shortfall()).append(" |\n");
        }
        out.append('\n');
        headline(rows, out);
        for (final Map.Entry<String, String[]> f : FIGURES.entrySet()) {
            final List<Row> list = ordered(rows.stream().filter(r -> r.figure().equals(f.getKey())).toList());
            if (list.isEmpty()) {
                continue;
            }
            out.append("## ").append(f.getValue()[0]).append("\n\n");
            out.append("x: ").append(f.getValue()[1]).append("; ").append(f.getValue()[2]).append(". CSV: `").append(f.getKey())
                    .append(".csv`\n\n");
            out.append("| series | x | value | unit | ours / Agrona | ours / TCP |\n|---|---|---|---|---|---|\n");
            for (final Row r : list) {
                out.append("| ").append(r.series()).append(" | ").append(Format.x(r.x())).append(" | ").append(Format.value(r.value()))
                        .append(" | ").append(r.unit()).append(" | ").append(Format.ratioCell(r.ratioVsAgrona())).append(" | ")
                        .append(Format.ratioCell(r.ratioVsTcp())).append(" |\n");
            }
            out.append('\n');
        }
        if (!c.plots().isEmpty()) {
            out.append("## Plots\n\n");
            for (final String p : c.plots()) {
                out.append("![").append(p).append("](").append(p).append(")\n\n");
            }
        }
        if (!c.failures().isEmpty()) {
            out.append("## Failures\n\n");
            c.failures().forEach(f -> out.append("- ").append(f).append('\n'));
            out.append('\n');
        }
        if (!c.notes().isEmpty()) {
            out.append("## Notes\n\n");
            c.notes().forEach(n -> out.append("- ").append(n).append('\n'));
            out.append('\n');
        }
        return out.toString();
    }

    /** Rows grouped by series (ours first, then Agrona, TCP, the Unix socket), points in the order they ran. */
    static List<Row> ordered(final List<Row> rows) {
        final List<String> series = rows.stream().map(Row::series).distinct().toList();
        final List<Object> xs = rows.stream().map(Row::x).distinct().toList();
        final List<String> impls = List.of(Ratios.OURS, Ratios.AGRONA, Ratios.TCP, "uds");
        final java.util.Comparator<Row> order = java.util.Comparator
                .comparingInt((Row r) -> impls.contains(r.impl()) ? impls.indexOf(r.impl()) : impls.size())
                .thenComparingInt(r -> series.indexOf(r.series()))
                .thenComparingInt(r -> xs.indexOf(r.x()));
        return rows.stream().sorted(order).toList();
    }

    /** Figure 5 side by side: one line per message size, ours against each baseline. */
    static void headline(final List<Row> rows, final StringBuilder out) {
        final List<Row> fig5 = rows.stream().filter(r -> r.figure().equals("fig5")).toList();
        if (fig5.isEmpty()) {
            return;
        }
        final List<String> polls = fig5.stream().filter(r -> r.impl().equals(Ratios.OURS)).map(Row::variant).distinct().toList();
        final List<Object> sizes = fig5.stream().map(Row::x).distinct().toList();
        out.append("## Headline: figure 5 in Mbit/s, ours against Agrona (same polling), TCP and a Unix socket\n\n| size | tcp | uds |");
        final StringBuilder rule = new StringBuilder("|---|---|---|");
        for (final String p : polls) {
            out.append(" doms ").append(p).append(" | agrona ").append(p).append(" | x Agrona | x TCP |");
            rule.append("---|---|---|---|");
        }
        out.append('\n').append(rule).append('\n');
        for (final Object x : sizes) {
            out.append("| ").append(x instanceof Number n ? Format.bytes(n.longValue()) : x).append(" | ")
                    .append(cellOf(fig5, "tcp", "", x)).append(" | ").append(cellOf(fig5, "uds", "", x)).append(" |");
            for (final String p : polls) {
                final Row ours = find(fig5, Ratios.OURS, p, x);
                out.append(' ').append(cellOf(fig5, Ratios.OURS, p, x)).append(" | ").append(cellOf(fig5, Ratios.AGRONA, p, x))
                        .append(" | ").append(ours == null ? "" : Format.ratioCell(ours.ratioVsAgrona()) + pairRange(ours)).append(" | ")
                        .append(ours == null ? "" : Format.ratioCell(ours.ratioVsTcp())).append(" |");
            }
            out.append('\n');
        }
        out.append('\n');
    }

    /**
     * " (0.62-1.10 in pairs; 0.95-1.10 in 2 at one line level)": the lowest and highest ours / Agrona
     * ratio of one interleaved repeat, when there were two or more, and of the repeats whose two
     * trials ran at one level of the cores' line round trip ({@link LineProbe}).
     */
    static String pairRange(final Row ours) {
        if (ours.extras().get(ThroughputFigures.PAIR_MIN) instanceof Number lo && ours.extras().get(ThroughputFigures.PAIR_MAX) instanceof Number hi
                && ours.extras().get("repeats") instanceof Number n && n.intValue() > 1) {
            return String.format(java.util.Locale.ROOT, " (%.2f-%.2f in pairs%s)", lo.doubleValue(), hi.doubleValue(), levelRange(ours));
        }
        return "";
    }

    private static String levelRange(final Row ours) {
        if (!(ours.extras().get(ThroughputFigures.PAIRS_ONE_LEVEL) instanceof Number k)) {
            return "";
        }
        if (ours.extras().get(ThroughputFigures.LEVEL_PAIR_MIN) instanceof Number lo
                && ours.extras().get(ThroughputFigures.LEVEL_PAIR_MAX) instanceof Number hi) {
            if (k.intValue() == 1) {
                return String.format(java.util.Locale.ROOT, "; %.2f in the 1 at one line level", lo.doubleValue());
            }
            return String.format(java.util.Locale.ROOT, "; %.2f-%.2f in %d at one line level", lo.doubleValue(), hi.doubleValue(),
                    k.intValue());
        }
        return "; none at one line level";
    }

    private static Row find(final List<Row> rows, final String impl, final String variant, final Object x) {
        return rows.stream().filter(r -> r.impl().equals(impl) && r.variant().equals(variant) && r.x().equals(x)).findFirst().orElse(null);
    }

    private static String cellOf(final List<Row> rows, final String impl, final String variant, final Object x) {
        final Row r = find(rows, impl, variant, x);
        return r == null ? "" : Format.value(r.value());
    }
}
