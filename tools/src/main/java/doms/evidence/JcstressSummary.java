package doms.evidence;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the "RUN RESULTS:" part of jcstress's output says, per test (results merged across
 * JVM configurations). jcstress prints every interesting, failed and error test by name with
 * its label ("[OK]", "[FAILED]", "[ERROR]", ...) and only counts the remaining ones, which
 * passed. A test listed as interesting may also have failed.
 */
public record JcstressSummary(int tests, TreeSet<String> failed, TreeSet<String> interesting, List<String> forbidden, String report) {
    private static final Pattern SECTION = Pattern.compile(
            "^\\s*(Interesting tests|Failed tests|Error tests|All remaining tests): (?:No matches\\.|(\\d+) matching test results?\\..*)$");
    private static final Pattern TEST = Pattern.compile("^\\s*\\.*\\s*\\[([A-Z ]+)]\\s+(\\S+)\\s*$");
    private static final Pattern REPORT = Pattern.compile("^\\s*HTML report generated at (.+)$");
    /** A row of a result table: outcome, samples, frequency, expectation, description. */
    private static final Pattern FORBIDDEN_ROW = Pattern.compile("^\\s*(.+?)\\s+([\\d,]+)\\s+[\\d.]+%\\s+Forbidden\\s+(.*)$");

    public int passed() {
        return tests - failed.size();
    }

    /** Parses jcstress's standard output; null when it has no complete "RUN RESULTS:" part. */
    public static JcstressSummary parse(final List<String> lines) {
        int i = 0;
        while (i < lines.size() && !lines.get(i).strip().equals("RUN RESULTS:")) {
            i++;
        }
        if (i == lines.size()) {
            return null;
        }
        final TreeSet<String> named = new TreeSet<>();
        final TreeSet<String> failed = new TreeSet<>();
        final TreeSet<String> interesting = new TreeSet<>();
        final List<String> forbidden = new ArrayList<>();
        String section = null;
        String test = null;
        int remaining = -1;
        String report = null;
        for (i++; i < lines.size(); i++) {
            final String line = lines.get(i);
            final Matcher s = SECTION.matcher(line);
            if (s.matches()) {
                section = s.group(1);
                if (section.equals("All remaining tests")) {
                    remaining = s.group(2) == null ? 0 : Integer.parseInt(s.group(2));
                }
                continue;
            }
            final Matcher r = REPORT.matcher(line);
            if (r.matches()) {
                report = r.group(1).strip();
                continue;
            }
            final Matcher row = FORBIDDEN_ROW.matcher(line);
            if (row.matches() && "Failed tests".equals(section) && test != null) {
                final long samples = Long.parseLong(row.group(2).replace(",", ""));
                if (samples > 0) {
                    forbidden.add(test + ": " + row.group(1) + " seen " + row.group(2) + " times (" + row.group(3).strip() + ")");
                }
                continue;
            }
            final Matcher t = TEST.matcher(line);
            if (t.matches() && section != null && !section.equals("All remaining tests")) {
                final String label = t.group(1).strip();
                final String name = t.group(2);
                test = name;
                named.add(name);
                if (section.equals("Interesting tests")) {
                    interesting.add(name);
                }
                if (!label.equals("OK") && !label.equals("SKIPPED") || !section.equals("Interesting tests")) {
                    failed.add(name);
                }
            }
        }
        if (remaining < 0) {
            return null;
        }
        return new JcstressSummary(named.size() + remaining, failed, interesting, forbidden, report);
    }
}
