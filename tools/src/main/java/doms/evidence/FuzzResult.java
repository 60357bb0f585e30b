package doms.evidence;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fuzzing run: one campaign per target, and the report folder. {@code target} is the one asked for, or "all". */
public record FuzzResult(String target, List<Campaign> campaigns, Path report) {
    /**
     * One target's campaign; {@code outcomes} counts each validation outcome the target names
     * (in its order; empty when it names none) and {@code repro} holds the command that runs
     * each saved failure again.
     */
    public record Campaign(String target, long executions, long branchesCovered, double seconds, long executionsPerSecond,
                           Map<String, Long> outcomes, Path report, Path plot, List<String> repro) {
        public long failures() {
            return repro.size();
        }

        /** The outcomes the target names that no input of the campaign reached. */
        public List<String> neverReached() {
            return outcomes.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
        }

        public Map<String, Object> json() {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("target", target);
            row.put("executions", executions);
            row.put("executions_per_s", executionsPerSecond);
            row.put("branches_covered", branchesCovered);
            row.put("failures", failures());
            row.put("seconds", Math.round(seconds * 10) / 10.0);
            row.put("outcomes", outcomes);
            row.put("outcomes_never_reached", neverReached());
            row.put("report", report.toString());
            row.put("plot", plot.toString());
            row.put("repro", repro);
            return row;
        }
    }

    public long executions() {
        return campaigns.stream().mapToLong(Campaign::executions).sum();
    }

    public long branchesCovered() {
        return campaigns.stream().mapToLong(Campaign::branchesCovered).sum();
    }

    public long failures() {
        return campaigns.stream().mapToLong(Campaign::failures).sum();
    }

    /** The --json object of {@code doms fuzz}, also written as the report's summary.json. */
    public Map<String, Object> json() {
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("target", target);
        summary.put("executions", executions());
        summary.put("branches_covered", branchesCovered());
        summary.put("failures", failures());
        summary.put("report", report.toString());
        summary.put("targets", campaigns.stream().map(Campaign::json).toList());
        return summary;
    }

    /** The headline figures, for verify's summary and the ledger. */
    public Map<String, Object> figures() {
        final Map<String, Object> f = new LinkedHashMap<>();
        f.put("executions", executions());
        f.put("branches_covered", branchesCovered());
        f.put("failures", failures());
        return f;
    }
}
