package doms.tlc;

import java.nio.file.Path;
import java.util.List;

/**
 * What one TLC run of one model found. {@code result} is "pass" or the violated property's name;
 * {@code unusedActions} are the actions TLC's coverage says were never enabled, less those the
 * manifest excuses for this model. {@code unchecked} says what this kind of run could not check
 * (distributed TLC: liveness, and which actions were never enabled); empty for the ordinary runner.
 */
public record TlcResult(String model, String expected, String result, long distinctStates, long statesExpected,
                        List<String> unusedActions, double seconds, Path log, List<String> unchecked) {
    public TlcResult(final String model, final String expected, final String result, final long distinctStates,
                     final long statesExpected, final List<String> unusedActions, final double seconds, final Path log) {
        this(model, expected, result, distinctStates, statesExpected, unusedActions, seconds, log, List.of());
    }

    /**
     * How far a distinct-state count may stray from the manifest's: a passing model's search runs to
     * the end, so its count does not depend on timing or on the number of workers, and any change
     * means the model or TLC changed; 1% leaves room for
     * another TLC release's fingerprinting while any change to a model's reach is still caught.
     */
    public static final double STATES_TOLERANCE = 0.01;

    public boolean verdictMatches() {
        return expected.equals(result);
    }

    /**
     * A passing model's state count within tolerance. A failing model's count is where TLC stopped
     * at the first violation, which depends on how far the search got (it varies between runs for
     * some bug models), so only its verdict is compared.
     */
    public boolean statesMatch() {
        return !TlcOutput.PASS.equals(expected) || statesExpected < 0
                || distinctStates >= 0 && Math.abs(distinctStates - statesExpected) <= STATES_TOLERANCE * statesExpected;
    }

    /** The verdict, the state count within tolerance, and (for a passing model) no action that was never enabled. */
    public boolean matches() {
        return verdictMatches() && statesMatch() && (!TlcOutput.PASS.equals(expected) || unusedActions.isEmpty());
    }

    /** Why it does not match, in one line ("" when it does). */
    public String mismatch() {
        final List<String> why = new java.util.ArrayList<>();
        if (!verdictMatches()) {
            why.add("expected " + expected + ", got " + result + (unchecked.isEmpty() ? "" : " (not checked by this run: " + String.join("; ", unchecked) + ")"));
        }
        if (!statesMatch()) {
            why.add(distinctStates + " distinct states, manifest " + statesExpected);
        }
        if (TlcOutput.PASS.equals(expected) && !unusedActions.isEmpty()) {
            why.add("never enabled: " + String.join(", ", unusedActions));
        }
        return String.join("; ", why);
    }
}
