package doms.evidence;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One jcstress run: its summary, or why there is none ({@code problem}: the stress jar did not
 * build, or jcstress did not finish). {@code consistent} is false when jcstress's exit code and
 * its summary disagree on whether a test failed; the run then counts as failed.
 */
public record JcstressResult(String mode, JcstressSummary summary, boolean consistent, Path report, long seconds, String problem) {
    static JcstressResult failed(final String mode, final String problem) {
        return new JcstressResult(mode, null, false, null, 0, problem);
    }

    /** No forbidden outcome, and at least one test ran. */
    public boolean ok() {
        return summary != null && consistent && summary.tests() > 0 && summary.failed().isEmpty();
    }

    /**
     * For the negative controls, where a pass is the bad news: every test ran and every one
     * failed with a forbidden outcome (an error, a crash or a build failure shows nothing).
     */
    public boolean everyTestFailed() {
        return summary != null && consistent && summary.tests() > 0 && summary.failed().size() == summary.tests()
                && summary.failed().stream().allMatch(t -> summary.forbidden().stream().anyMatch(f -> f.startsWith(t + ": ")));
    }

    /** The --json object of {@code doms jcstress}. */
    public Map<String, Object> json() {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", mode);
        out.put("tests", summary.tests());
        out.put("passed", summary.passed());
        out.put("failed", summary.failed().size());
        out.put("interesting", summary.interesting().size());
        out.put("report", report.toString());
        out.put("failed_tests", List.copyOf(summary.failed()));
        out.put("forbidden_outcomes", summary.forbidden());
        out.put("seconds", seconds);
        return out;
    }

    /** The headline figures, for verify's summary and the ledger. */
    public Map<String, Object> figures() {
        final Map<String, Object> f = new LinkedHashMap<>();
        f.put("mode", mode);
        f.put("tests", (long) summary.tests());
        f.put("passed", (long) summary.passed());
        f.put("failed", (long) summary.failed().size());
        f.put("interesting", (long) summary.interesting().size());
        return f;
    }
}
