package doms.trace;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the flat JSON objects of a trace line (string, integer and boolean values only). */
final class Ndjson {
    private Ndjson() {
    }

    static Map<String, Object> parse(final String line) {
        final Map<String, Object> out = new LinkedHashMap<>();
        final String s = line.strip();
        if (s.length() < 2 || s.charAt(0) != '{' || s.charAt(s.length() - 1) != '}') {
            throw new IllegalArgumentException("not a JSON object: " + line);
        }
        int i = 1;
        final int end = s.length() - 1;
        while (i < end) {
            i = skip(s, i);
            if (i >= end) {
                break;
            }
            if (s.charAt(i) != '"') {
                throw new IllegalArgumentException("expected a key at " + i + ": " + line);
            }
            final int keyEnd = s.indexOf('"', i + 1);
            final String key = s.substring(i + 1, keyEnd);
            i = skip(s, keyEnd + 1);
            if (s.charAt(i) != ':') {
                throw new IllegalArgumentException("expected ':' at " + i + ": " + line);
            }
            i = skip(s, i + 1);
            final Object value;
            if (s.charAt(i) == '"') {
                final int valueEnd = s.indexOf('"', i + 1);
                value = s.substring(i + 1, valueEnd);
                i = valueEnd + 1;
            } else {
                int j = i;
                while (j < end && s.charAt(j) != ',' && s.charAt(j) != '}') {
                    j++;
                }
                final String token = s.substring(i, j).strip();
                value = switch (token) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> Long.parseLong(token);
                };
                i = j;
            }
            out.put(key, value);
            i = skip(s, i);
            if (i < end && s.charAt(i) == ',') {
                i++;
            }
        }
        return out;
    }

    private static int skip(final String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
