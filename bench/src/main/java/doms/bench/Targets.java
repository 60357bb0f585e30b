package doms.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The targets, read from the rows of a run (never asserted anywhere): each is judged
 * per polling strategy where that applies, with the worst point and, when missed, by how much.
 */
public final class Targets {
    /** One verdict. {@code met} is null when the run has no rows for it. */
    public record Verdict(String target, String scope, Boolean met, String worst, String shortfall) {
        public String word() {
            return met == null ? "no data" : met ? "met" : "MISSED";
        }
    }

    private Targets() {
    }

    public static List<Verdict> evaluate(final List<Row> rows) {
        final List<Verdict> out = new ArrayList<>();
        agrona(rows, out);
        tcp(rows, out);
        latency(rows, out);
        adaptiveUnderLoad(rows, out);
        adaptiveIdle(rows, out);
        return out;
    }

    private static Map<String, List<Row>> byVariant(final List<Row> rows, final String figure) {
        final Map<String, List<Row>> out = new LinkedHashMap<>();
        for (final Row r : rows) {
            if (r.figure().equals(figure) && r.impl().equals(Ratios.OURS)) {
                out.computeIfAbsent(r.variant(), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    private static String at(final Row r) {
        return r.x() instanceof Number n ? Format.bytes(n.longValue()) : String.valueOf(r.x());
    }

    private static void agrona(final List<Row> rows, final List<Verdict> out) {
        final String name = "ring throughput >= 1.0x Agrona at every message size (fig5)";
        final Map<String, List<Row>> variants = byVariant(rows, "fig5");
        if (variants.isEmpty()) {
            out.add(new Verdict(name, "", null, "", ""));
        }
        variants.forEach((variant, list) -> {
            Row worst = null;
            int misses = 0;
            int clear = 0;
            int everyPair = 0;
            int points = 0;
            for (final Row r : list) {
                if (r.ratioVsAgrona() == null) {
                    continue;
                }
                points++;
                if (r.ratioVsAgrona() < 1.0) {
                    misses++;
                    clear += belowEveryRepeat(r, find(rows, "fig5", "agrona", variant, r.x())) ? 1 : 0;
                    everyPair += belowInEveryPair(r) ? 1 : 0;
                }
                if (worst == null || r.ratioVsAgrona() < worst.ratioVsAgrona()) {
                    worst = r;
                }
            }
            if (worst == null) {
                out.add(new Verdict(name, variant, null, "", ""));
                return;
            }
            final String w = String.format(Locale.ROOT, "%.2fx at %s", worst.ratioVsAgrona(), at(worst));
            out.add(new Verdict(name, variant, misses == 0, w, misses == 0 ? ""
                    : String.format(Locale.ROOT, "below 1.0x at %d of %d sizes (%d beyond the spread of repeats, %d below in every "
                    + "interleaved pair); worst %.0f%% short", misses, points, clear, everyPair, (1 - worst.ratioVsAgrona()) * 100)));
        });
    }

    /**
     * True when ours was slower than the baseline in every repeat, each repeat's two trials taken
     * back to back (the highest pair ratio below 1.0). Weaker than {@link #belowEveryRepeat}, which
     * compares our fastest trial with the baseline's slowest of any repeat, and less fooled by a
     * machine whose speed drifts between repeats. False without the pair columns.
     */
    static boolean belowInEveryPair(final Row ours) {
        return ours.extras().get(ThroughputFigures.PAIR_MAX) instanceof Number max && max.doubleValue() < 1.0;
    }

    /**
     * True when every repeat of ours was slower than every repeat of the baseline at this point
     * (our fastest below its slowest): a miss that the run-to-run spread does not explain. False
     * without repeats or spread columns, when nothing says so.
     */
    static boolean belowEveryRepeat(final Row ours, final Row baseline) {
        if (baseline == null || !(ours.extras().get("max_mbit_per_s") instanceof Number oursMax)
                || !(baseline.extras().get("min_mbit_per_s") instanceof Number baseMin)
                || !(ours.extras().get("repeats") instanceof Number n) || n.intValue() < 2) {
            return false;
        }
        return oursMax.doubleValue() < baseMin.doubleValue();
    }

    /** The TCP threshold at a message size: 10x up to 4 KiB, 3x beyond. */
    public static double tcpThreshold(final long size) {
        return size <= 4096 ? 10.0 : 3.0;
    }

    private static void tcp(final List<Row> rows, final List<Verdict> out) {
        final String name = ">= 10x TCP loopback from 64 B to 4 KiB, >= 3x beyond (fig5)";
        final Map<String, List<Row>> variants = byVariant(rows, "fig5");
        if (variants.isEmpty()) {
            out.add(new Verdict(name, "", null, "", ""));
        }
        variants.forEach((variant, list) -> {
            Row worst = null;
            double worstShare = Double.MAX_VALUE;
            int misses = 0;
            int points = 0;
            for (final Row r : list) {
                if (r.ratioVsTcp() == null || !(r.x() instanceof Number n)) {
                    continue;
                }
                points++;
                final double share = r.ratioVsTcp() / tcpThreshold(n.longValue());
                misses += share < 1 ? 1 : 0;
                if (share < worstShare) {
                    worstShare = share;
                    worst = r;
                }
            }
            if (worst == null) {
                out.add(new Verdict(name, variant, null, "", ""));
                return;
            }
            final double threshold = tcpThreshold(((Number) worst.x()).longValue());
            final String w = String.format(Locale.ROOT, "%.1fx at %s (needs %.0fx)", worst.ratioVsTcp(), at(worst), threshold);
            out.add(new Verdict(name, variant, misses == 0, w, misses == 0 ? ""
                    : String.format(Locale.ROOT, "short at %d of %d sizes; worst %.0f%% below its threshold", misses, points,
                    (1 - worstShare) * 100)));
        });
    }

    private static void latency(final List<Row> rows, final List<Verdict> out) {
        final String name = "round-trip latency <= 1.0x Agrona (latency, 64 B)";
        final List<Row> list = rows.stream().filter(r -> r.figure().equals("latency") && r.impl().equals(Ratios.OURS)
                && r.ratioVsAgrona() != null).toList();
        if (list.isEmpty()) {
            out.add(new Verdict(name, "", null, "", ""));
            return;
        }
        Row worst = list.getFirst();
        int misses = 0;
        for (final Row r : list) {
            misses += r.ratioVsAgrona() > 1.0 ? 1 : 0;
            if (r.ratioVsAgrona() > worst.ratioVsAgrona()) {
                worst = r;
            }
        }
        final String w = String.format(Locale.ROOT, "%.2fx at %s", worst.ratioVsAgrona(), worst.x());
        out.add(new Verdict(name, list.getFirst().variant(), misses == 0, w, misses == 0 ? ""
                : String.format(Locale.ROOT, "above 1.0x at %d of %d percentiles; worst %.0f%% slower", misses, list.size(),
                (worst.ratioVsAgrona() - 1) * 100)));
    }

    private static void adaptiveUnderLoad(final List<Row> rows, final List<Verdict> out) {
        final String name = "adaptive polling within 10% of busy-spin throughput under load (fig4, fig5)";
        double worstShare = Double.MAX_VALUE;
        String worstAt = "";
        int misses = 0;
        int points = 0;
        for (final Row a : rows) {
            if (!a.impl().equals(Ratios.OURS)) {
                continue;
            }
            Row busy = null;
            String where = null;
            if (a.figure().equals("fig4") && "adaptive".equals(a.x())) {
                busy = find(rows, "fig4", a.variant(), "busy");
                where = "fig4 (1 KiB)";
            } else if (a.figure().equals("fig5") && a.variant().equals("adaptive")) {
                busy = findVariant(rows, "fig5", "busy", a.x());
                where = "fig5 " + at(a);
            }
            if (busy == null || !(busy.value() > 0)) {
                continue;
            }
            points++;
            final double share = a.value() / busy.value();
            misses += share < 0.9 ? 1 : 0;
            if (share < worstShare) {
                worstShare = share;
                worstAt = where;
            }
        }
        if (points == 0) {
            out.add(new Verdict(name, "adaptive", null, "", ""));
            return;
        }
        final String w = String.format(Locale.ROOT, "%.0f%% of busy at %s", worstShare * 100, worstAt);
        out.add(new Verdict(name, "adaptive", misses == 0, w, misses == 0 ? ""
                : String.format(Locale.ROOT, "below 90%% at %d of %d points; worst %.0f points short", misses, points,
                (0.9 - worstShare) * 100)));
    }

    private static void adaptiveIdle(final List<Row> rows, final List<Verdict> out) {
        final String name = "adaptive polling under 2% of a core when idle (idle)";
        boolean any = false;
        for (final Row r : rows) {
            if (r.figure().equals("idle") && r.x() instanceof String s && s.startsWith("adaptive")) {
                any = true;
                final boolean met = r.value() < 2.0;
                out.add(new Verdict(name, s, met, String.format(Locale.ROOT, "%.2f%% of a core", r.value()), met ? ""
                        : String.format(Locale.ROOT, "%.2f points over", r.value() - 2.0)));
            }
        }
        if (!any) {
            out.add(new Verdict(name, "adaptive", null, "", ""));
        }
    }

    private static Row find(final List<Row> rows, final String figure, final String variant, final Object x) {
        return find(rows, figure, Ratios.OURS, variant, x);
    }

    private static Row find(final List<Row> rows, final String figure, final String impl, final String variant, final Object x) {
        for (final Row r : rows) {
            if (r.figure().equals(figure) && r.impl().equals(impl) && r.variant().equals(variant) && Objects.equals(r.x(), x)) {
                return r;
            }
        }
        return null;
    }

    private static Row findVariant(final List<Row> rows, final String figure, final String variant, final Object x) {
        return find(rows, figure, variant, x);
    }
}
