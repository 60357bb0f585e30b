package doms.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The line protocol between the driver and its worker processes: a verb followed by
 * {@code key=value} pairs separated by spaces (values never contain spaces).
 */
public final class KeyValues {
    private final String verb;
    private final Map<String, String> values;

    private KeyValues(final String verb, final Map<String, String> values) {
        this.verb = verb;
        this.values = values;
    }

    /** Parses {@code verb k=v k=v}; a line without a verb (starting with a pair) has verb "". */
    public static KeyValues parse(final String line) {
        final Map<String, String> values = new LinkedHashMap<>();
        String verb = "";
        final String[] words = line.strip().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            final String w = words[i];
            final int eq = w.indexOf('=');
            if (eq > 0) {
                values.put(w.substring(0, eq), w.substring(eq + 1));
            } else if (i == 0) {
                verb = w;
            } else if (!w.isEmpty()) {
                throw new IllegalArgumentException("not a key=value pair: '" + w + "' in '" + line + "'");
            }
        }
        return new KeyValues(verb, values);
    }

    /** Parses program arguments {@code k=v ...} (no verb). */
    public static KeyValues ofArgs(final String[] args, final int from) {
        final StringBuilder line = new StringBuilder();
        for (int i = from; i < args.length; i++) {
            line.append(' ').append(args[i]);
        }
        return parse(line.toString());
    }

    /** Formats a verb and pairs as one protocol line. */
    public static String format(final String verb, final Object... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("pairs must come as key, value");
        }
        final StringBuilder out = new StringBuilder(verb);
        for (int i = 0; i < pairs.length; i += 2) {
            final String value = String.valueOf(pairs[i + 1]);
            if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("value of " + pairs[i] + " must be one word, got '" + value + "'");
            }
            out.append(out.isEmpty() ? "" : " ").append(pairs[i]).append('=').append(value);
        }
        return out.toString();
    }

    public String verb() {
        return verb;
    }

    public boolean has(final String key) {
        return values.containsKey(key);
    }

    public String get(final String key) {
        final String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key + "=");
        }
        return v;
    }

    public String get(final String key, final String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public long getLong(final String key) {
        return Long.parseLong(get(key));
    }

    public int getInt(final String key) {
        return Integer.parseInt(get(key));
    }

    public double getDouble(final String key) {
        return Double.parseDouble(get(key));
    }

    public Map<String, String> values() {
        return values;
    }

    @Override
    public String toString() {
        final StringBuilder out = new StringBuilder(verb);
        values.forEach((k, v) -> out.append(out.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return out.toString();
    }
}
