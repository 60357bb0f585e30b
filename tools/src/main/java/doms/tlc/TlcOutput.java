package doms.tlc;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads TLC's console output: the verdict and the distinct-state count. */
public final class TlcOutput {
    public static final String PASS = "pass";

    private static final Pattern DISTINCT = Pattern.compile("([\\d,]+) distinct states? found");
    private static final Pattern INVARIANT = Pattern.compile("Error: Invariant (\\w+) is violated");
    // Distributed TLC (TLCServer with workers) words an action property as "Implied-action".
    private static final Pattern ACTION_PROPERTY = Pattern.compile("Error: (?:Action property|Implied-action|Implied-init) (\\w+) is violated");
    private static final Pattern PROPERTY = Pattern.compile("Error: (?:Temporal )?[Pp]roperty (\\w+) (?:is|was) violated");
    private static final Pattern TEMPORAL = Pattern.compile("Error: Temporal properties were violated");

    private TlcOutput() {
    }

    /**
     * The verdict: "pass" when TLC finished without error, the name of the violated invariant or
     * property, "Deadlock", or "error: ..." when TLC itself failed (a parse error, a missing file).
     * A violated temporal property is named by the configuration when it checks only one.
     */
    public static String verdict(final String output, final List<String> configuredProperties) {
        Matcher m = INVARIANT.matcher(output);
        if (m.find()) {
            return m.group(1);
        }
        m = ACTION_PROPERTY.matcher(output);
        if (m.find()) {
            return m.group(1);
        }
        m = PROPERTY.matcher(output);
        if (m.find()) {
            return m.group(1);
        }
        if (TEMPORAL.matcher(output).find()) {
            return configuredProperties.size() == 1 ? configuredProperties.getFirst() : "temporal property";
        }
        if (output.contains("Error: Deadlock reached") || output.contains("Error: deadlock reached")) { // distributed: lower case
            return "Deadlock";
        }
        if (output.contains("Model checking completed. No error has been found.")) {
            return PASS;
        }
        final int error = output.indexOf("Error:");
        if (error >= 0) {
            return "error: " + output.substring(error + 6).strip().lines().findFirst().orElse("?");
        }
        return "error: TLC gave no verdict";
    }

    /** The last distinct-state count TLC printed, or -1. */
    public static long distinctStates(final String output) {
        final Matcher m = DISTINCT.matcher(output);
        long found = -1;
        while (m.find()) {
            found = Long.parseLong(m.group(1).replace(",", ""));
        }
        return found;
    }

    /** The names after PROPERTY / PROPERTIES in a TLC configuration. */
    private static final java.util.regex.Pattern ACTION_COVERAGE = java.util.regex.Pattern.compile(
            "(?m)^<(\\w+) line \\d+, col 1 to line \\d+, col \\d+ of module \\w+>: (\\d+):(\\d+)\\s*$");

    /**
     * The actions that TLC's coverage report ({@code -coverage}) says generated no state: never
     * enabled in any reachable state. The last report counts (TLC may print one every interval).
     */
    public static List<String> unusedActions(final String output) {
        final java.util.Map<String, Long> generated = new java.util.TreeMap<>();
        final java.util.regex.Matcher m = ACTION_COVERAGE.matcher(output);
        while (m.find()) {
            generated.put(m.group(1), Long.parseLong(m.group(3)));
        }
        return generated.entrySet().stream().filter(e -> e.getValue() == 0).map(java.util.Map.Entry::getKey).toList();
    }

    public static List<String> configuredProperties(final String cfg) {
        final java.util.ArrayList<String> names = new java.util.ArrayList<>();
        boolean inProperties = false;
        for (final String raw : cfg.lines().toList()) {
            final String line = raw.replaceAll("\\\\\\*.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            final String[] words = line.split("\\s+");
            if (words[0].matches("[A-Z_]+") && !words[0].equals("PROPERTY") && !words[0].equals("PROPERTIES")) {
                inProperties = false;
                continue;
            }
            int from = 0;
            if (words[0].equals("PROPERTY") || words[0].equals("PROPERTIES")) {
                inProperties = true;
                from = 1;
            }
            if (inProperties) {
                for (int i = from; i < words.length; i++) {
                    names.add(words[i]);
                }
            }
        }
        return names;
    }
}
