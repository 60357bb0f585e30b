package doms.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The closing notes of a summary: what kind of run it was, and, for each missed target, the
 * reason the run's own figures point at (computed from the rows, not asserted).
 */
final class Notes {
    private Notes() {
    }

    static List<String> explain(final Plan plan, final List<Row> rows, final List<Targets.Verdict> verdicts) {
        final List<String> notes = new ArrayList<>();
        if (plan.quick()) {
            notes.add(String.format(Locale.ROOT, "Quick run: a few points per figure, trials of %.2f s warm-up + %.2f s measured; "
                    + "for the record, use the full run.", plan.warm(), plan.measure()));
        }
        for (final Targets.Verdict v : verdicts) {
            if (!Boolean.FALSE.equals(v.met())) {
                continue;
            }
            if (v.target().startsWith(">= 10x TCP") && v.scope().startsWith("period:")) {
                periodBound(v.scope(), rows, notes);
            }
            if (v.scope().equals("busy") && (v.target().startsWith(">= 10x TCP") || v.target().startsWith("ring throughput"))) {
                busyStarved(rows, notes);
            }
            if (v.target().startsWith("adaptive polling under 2%")) {
                idleOverhead(v.scope(), rows, notes);
            }
            if (v.target().startsWith("round-trip latency")) {
                latency(rows, notes);
            }
            if (v.target().startsWith("ring throughput")) {
                perRecordCost(rows, notes);
            }
            if (v.target().startsWith("adaptive polling within")) {
                adaptiveFill(rows, notes);
            }
        }
        lineLevels(rows, notes);
        disturbed(rows, notes);
        return notes.stream().distinct().toList();
    }

    private static Row find(final List<Row> rows, final String figure, final String impl, final String variant, final Object x) {
        for (final Row r : rows) {
            if (r.figure().equals(figure) && r.impl().equals(impl) && r.variant().equals(variant) && java.util.Objects.equals(r.x(), x)) {
                return r;
            }
        }
        return null;
    }

    /**
     * Both consumers learn of a record from its own header (ours from a signalled header since
     * 2026-12-03); what is left per hop is the cost of the calls, which the JMH rows measure.
     */
    private static void latency(final List<Row> rows, final List<String> notes) {
        final Row ours = find(rows, "latency", Ratios.OURS, "busy", "p50");
        final Row agrona = find(rows, "latency", Ratios.AGRONA, "busy", "p50");
        if (ours == null || agrona == null) {
            return;
        }
        final Row jmhOurs = find(rows, "jmh", Ratios.OURS, "offer+poll", 64);
        final Row jmhAgrona = find(rows, "jmh", Ratios.AGRONA, "offer+poll", 64);
        final String calls = jmhOurs == null || jmhAgrona == null ? ""
                : String.format(Locale.ROOT, " In process (JMH) one offer and one poll of a 64 B record cost %.1f ns more on ours "
                        + "than on Agrona in this run.", jmhOurs.value() - jmhAgrona.value());
        notes.add(String.format(Locale.ROOT, "latency: both consumers spin on the header of the next record (ours takes a record "
                + "whose header the producer stored with its signal bit, one cache line per record, and never loads the producer's "
                + "position on this path; Agrona's spins on the length word and zeroes what it consumed). Ours minus Agrona: %.0f ns "
                + "per hop here (p50 %.2f us against %.2f us per round trip). What is left is the cost of the calls, where every "
                + "access of ours goes through a checked MemorySegment and every header is validated against a hostile peer, and "
                + "the line level each ring's rounds ran at (`line_rtt_min_ns`, `line_rtt_max_ns` in the CSV).%s",
                (ours.value() - agrona.value()) * 1000 / 2, ours.value(), agrona.value(), calls));
    }

    /** The CPU cost of one offer and one poll, in process, from the JMH rows. */
    private static void perRecordCost(final List<Row> rows, final List<String> notes) {
        final Row ours = find(rows, "jmh", Ratios.OURS, "offer+poll", 64);
        final Row agrona = find(rows, "jmh", Ratios.AGRONA, "offer+poll", 64);
        if (ours == null || agrona == null) {
            return;
        }
        final Row checked = find(rows, "jmh", JmhFigure.AGRONA_CHECKED, "offer+poll", 64);
        final String withChecks = checked == null ? ""
                : String.format(Locale.ROOT, " (with them on, its default, %.1f ns)", checked.value());
        final Row oursBatch = find(rows, "jmh", Ratios.OURS, JmhFigure.BATCH, 64);
        final Row agronaBatch = find(rows, "jmh", Ratios.AGRONA, JmhFigure.BATCH, 64);
        final String batch = oursBatch == null || agronaBatch == null ? ""
                : String.format(Locale.ROOT, " Written and read %d at a time, a record costs %.1f ns on ours against %.1f ns on "
                        + "Agrona.", RingBenchmarks.BATCH, oursBatch.value(), agronaBatch.value());
        notes.add(String.format(Locale.ROOT, "ring throughput against Agrona: in process (JMH), one offer and one poll of a 64 B "
                + "record cost %.1f ns on ours against %.1f ns on Agrona: every access of ours goes through a MemorySegment "
                + "(bounds and liveness checked) and every header is validated against a hostile peer, while Agrona runs with "
                + "its bounds checks off%s.%s Where the consumer keeps pace with the producer (busy-spin, adaptive under load) "
                + "that per-record cost and the cores' line level (the line note) set the pace; with 1 ms polling the period "
                + "does, and both rings are within the run's noise.", ours.value(), agrona.value(), withChecks, batch));
    }

    /** Where adaptive fell behind busy-spin: how long the ring takes to fill against the shortest park. */
    private static void adaptiveFill(final List<Row> rows, final List<String> notes) {
        for (final Row a : rows) {
            if (!a.figure().equals("fig5") || !a.impl().equals(Ratios.OURS) || !a.variant().equals("adaptive")) {
                continue;
            }
            final Row busy = find(rows, "fig5", Ratios.OURS, "busy", a.x());
            if (busy == null || !(busy.value() > 0) || a.value() / busy.value() >= 0.9 || !(a.x() instanceof Number n)) {
                continue;
            }
            final double fillMicros = Plan.PAGES * 4096.0 * 8 / (busy.value() * 1e6) * 1e6;
            notes.add(String.format(Locale.ROOT, "adaptive at %s reached %.0f%% of busy-spin: at the busy-spin rate the producer "
                    + "fills the 1 MiB ring (%d messages) in %.0f us, and once the consumer parks, Linux wakes it no sooner than its "
                    + "timer slack (about 50 us) allows; a producer that finds the ring full backs off the same way.",
                    Format.bytes(n.longValue()), a.value() / busy.value() * 100, Plan.PAGES * 4096 / n.intValue(), fillMicros));
        }
    }

    /** The cores' line round trip across the run's ring trials, and how many fig5 pairs ran at one level of it. */
    private static void lineLevels(final List<Row> rows, final List<String> notes) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        int pairs = 0;
        int oneLevel = 0;
        for (final Row r : rows) {
            for (final String key : List.of("line_rtt_before_ns", "line_rtt_after_ns")) {
                if (r.extras().get(key) instanceof Double d && d > 0) {
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                }
            }
            if (r.figure().equals("fig5") && r.impl().equals(Ratios.OURS) && r.extras().get(ThroughputFigures.PAIRS_ONE_LEVEL) instanceof Number k
                    && r.extras().get("repeats") instanceof Number n) {
                pairs += n.intValue();
                oneLevel += k.intValue();
            }
        }
        if (hi == 0) {
            return;
        }
        notes.add(String.format(Locale.ROOT, "line round trip: moving one cache line between the two cores and back took %.0f to %.0f ns "
                + "in this run (probed before and after each ring trial kept as a median; `line_rtt_*_ns` in the CSV). Both rings pay "
                + "it on every record they hand over, so a ratio of two trials at different levels compares two states of the host, "
                + "not the rings.%s", lo, hi, pairs == 0 ? ""
                        : String.format(Locale.ROOT, " In figure 5, %d of %d interleaved pairs ran both trials at one level (within %.1fx); "
                                + "the table gives their ratios.", oneLevel, pairs, LineProbe.SAME_LEVEL)));
    }

    /** Points that stayed disturbed after their retries. */
    private static void disturbed(final List<Row> rows, final List<String> notes) {
        final List<String> points = new ArrayList<>();
        for (final Row r : rows) {
            if (r.extras().get("foreign_cpu_core") instanceof Double f && Disturbance.disturbed(f)) {
                points.add(String.format(Locale.ROOT, "%s %s at %s (%.2f cores)", r.figure(), r.series(), Format.x(r.x()), f));
            }
        }
        if (!points.isEmpty()) {
            notes.add("Still disturbed by other work on the machine after " + "their retries (treat with care): "
                    + String.join("; ", points) + ".");
        }
    }

    /** A period strategy moves at most one ring per period: when that is below the TCP threshold, it cannot win. */
    private static void periodBound(final String poll, final List<Row> rows, final List<String> notes) {
        final double micros = Double.parseDouble(poll.substring("period:".length()));
        final double bound = (double) Plan.PAGES * 4096 * 8 / (micros / 1e6) / 1e6;
        final List<String> below = new ArrayList<>();
        for (final Row r : rows) {
            if (r.figure().equals("fig5") && r.impl().equals(Ratios.TCP) && r.x() instanceof Number n
                    && bound < Targets.tcpThreshold(n.longValue()) * r.value()) {
                below.add(Format.bytes(n.longValue()));
            }
        }
        notes.add(String.format(Locale.ROOT, "%s: a consumer that parks %.0f us whenever it finds the ring empty, and a producer that "
                + "parks as long whenever it finds it full, move at most one ring (%d pages, 1 MiB) per period: %,.0f Mbit/s at "
                + "best, less in practice since Linux adds its timer slack (50 us by default) to every park.%s", poll, micros,
                Plan.PAGES, bound, below.isEmpty() ? "" : " That bound is itself below the TCP target at " + String.join(", ", below)
                        + ": the ring would have to be larger, or the period shorter."));
    }

    /** Busy-spin needs a core per side: the CPU the busy trials got says whether they had one. */
    private static void busyStarved(final List<Row> rows, final List<String> notes) {
        final OptionalDouble cpu = rows.stream().filter(r -> r.figure().equals("fig5") && r.variant().equals("busy")
                && r.extras().get("consumer_cpu_core") instanceof Double).mapToDouble(r -> (Double) r.extras().get("consumer_cpu_core")
                + (Double) r.extras().get("producer_cpu_core")).average();
        if (cpu.isEmpty()) {
            return;
        }
        notes.add(String.format(Locale.ROOT, "busy: busy-spin needs a whole core on each side. With %d cores, the two spinning "
                + "processes got %.2f cores between them on average in figure 5 (2.00 if undisturbed): whenever one of them is "
                + "descheduled, its peer spins through its time slice waiting for it, and a round of the ring costs a scheduler "
                + "tick instead of a cache-line transfer. Adaptive polling, which yields and parks, does not suffer from this.",
                Runtime.getRuntime().availableProcessors(), cpu.getAsDouble()));
    }

    private static void idleOverhead(final String poll, final List<Row> rows, final List<String> notes) {
        for (final Row r : rows) {
            if (r.figure().equals("idle") && poll.equals(r.x()) && r.extras().get("polling_thread_pct") instanceof Double thread
                    && r.extras().get("polls_per_s") instanceof Long polls && polls > 0) {
                notes.add(String.format(Locale.ROOT, "%s idle: the process used %.2f%% of a core, the polling thread %.2f%% of it "
                        + "for %,d wake-ups a second, i.e. %.0f us of CPU per wake-up (a park that times out, one poll of an "
                        + "empty ring, the next park); the rest is the JVM's own threads. The wake-up is what costs, so a longer "
                        + "cap (adaptive:CAP_MICROS) lowers the idle cost in proportion, at the price of a later first wake-up "
                        + "when traffic resumes.", poll, r.value(), thread, polls, thread / 100 * 1e6 / polls));
            }
        }
    }
}
