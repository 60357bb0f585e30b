package doms.fuzz;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a target's inputs made the code under test decide, counted: the validation outcomes the
 * target can name (every rule it exists to exercise), and any other it met. A campaign reports
 * them, so that a rule no input ever reached is named rather than hidden in a branch count.
 */
final class Outcomes {
    private final Map<String, Long> counts = new LinkedHashMap<>();

    Outcomes(final List<String> named) {
        named.forEach(n -> counts.put(n, 0L));
    }

    void reached(final String outcome) {
        counts.merge(outcome, 1L, Long::sum);
    }

    void reachedIf(final boolean condition, final String outcome) {
        if (condition) {
            reached(outcome);
        }
    }

    Map<String, Long> counts() {
        return new LinkedHashMap<>(counts);
    }

    /** A reason with its numbers taken out: "bad page count 7" and "bad page count 9" are one outcome. */
    static String normalise(final String reason) {
        return reason.replaceAll("0x[0-9a-fA-F]+", "0xN").replaceAll("-?\\b\\d+\\b", "N");
    }
}
