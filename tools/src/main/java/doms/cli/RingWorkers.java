package doms.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How ring-bench talks to its ring-worker processes: their command lines and their {@code key=value} lines. */
final class RingWorkers {
    private RingWorkers() {
    }

    static BufferedReader reader(final Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static List<String> concat(final List<String> head, final String... tail) {
        final java.util.ArrayList<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    /** Parses a worker's {@code key=value ...} line. */
    static Map<String, Long> figures(final String line) throws IOException {
        final Map<String, Long> values = new HashMap<>();
        if (line == null) {
            return values;
        }
        for (final String pair : line.trim().split("\\s+")) {
            final int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            }
        }
        return values;
    }
}
