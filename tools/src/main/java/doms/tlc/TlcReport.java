package doms.tlc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The table rows and the JSON object that {@code ./doms tlc} prints for its results. */
public final class TlcReport {
    private TlcReport() {
    }

    public static String header() {
        return String.format("%-34s %-24s %-24s %12s %8s", "model", "expected", "result", "distinct", "seconds");
    }

    public static String row(final TlcResult r) {
        return String.format("%-34s %-24s %-24s %,12d %8.1f%s", r.model(), r.expected(), abbreviate(r.result()),
                r.distinctStates(), r.seconds(), r.matches() ? "" : "   MISMATCH: " + r.mismatch() + " (see " + r.log() + ")");
    }

    public static String summary(final List<TlcResult> results) {
        final long mismatches = mismatches(results);
        return String.format("tlc: %d of %d models as expected%s", results.size() - mismatches, results.size(),
                mismatches == 0 ? "" : "; " + mismatches + " MISMATCHED");
    }

    public static long mismatches(final List<TlcResult> results) {
        return results.stream().filter(r -> !r.matches()).count();
    }

    /** The JSON object of a run that did not happen. */
    public static Map<String, Object> skipped(final String reason) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("skipped", true);
        out.put("skipped_reason", reason);
        out.put("models", List.of());
        out.put("mismatches", 0);
        return out;
    }

    /** The JSON object of a run; {@code mode} is "local" or "distributed". */
    public static Map<String, Object> json(final List<TlcResult> results, final Path jar, final String mode) {
        final List<Object> rows = new ArrayList<>();
        for (final TlcResult r : results) {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", r.model());
            row.put("expected", r.expected());
            row.put("result", r.result());
            row.put("distinct_states", r.distinctStates());
            row.put("states_expected", r.statesExpected());
            row.put("unused_actions", r.unusedActions());
            if (!r.unchecked().isEmpty()) {
                row.put("unchecked", r.unchecked());
            }
            row.put("seconds", Math.round(r.seconds() * 10) / 10.0);
            row.put("log", r.log().toString());
            rows.add(row);
        }
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("skipped", false);
        out.put("tla2tools", jar.toString());
        out.put("mode", mode);
        out.put("models", rows);
        out.put("mismatches", mismatches(results));
        return out;
    }

    private static String abbreviate(final String s) {
        return s.length() <= 24 ? s : s.substring(0, 23) + "…";
    }
}
