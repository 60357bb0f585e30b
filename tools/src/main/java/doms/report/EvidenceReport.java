package doms.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The report of one {@code doms verify} run, in Markdown and as one self-contained HTML page:
 * each part with its bounds, figures and verdict, links to the raw outputs, the fuzz coverage
 * plots embedded, and the evidence ledger of proofs-notes/ledger.md with this run's column.
 */
public final class EvidenceReport {
    /** What one part did. {@code raw} is its JSON output on disk, {@code json} the parsed object (or null). */
    public record PartResult(String name, String what, String verdict, String skippedReason, Map<String, Object> figures,
                             double seconds, Path raw, JsonNode json) {
    }

    private final List<PartResult> parts;
    private final List<List<String>> ledger;

    public EvidenceReport(final List<PartResult> parts, final Path ledgerFile) throws IOException {
        this.parts = parts;
        this.ledger = Files.isRegularFile(ledgerFile) ? table(Files.readString(ledgerFile)) : List.of();
    }

    /** The first Markdown table of a text, as rows of cells (the header first, the separator left out). */
    static List<List<String>> table(final String markdown) {
        final List<List<String>> rows = new ArrayList<>();
        boolean started = false;
        for (final String line : markdown.lines().toList()) {
            final String t = line.strip();
            if (t.startsWith("|")) {
                started = true;
                if (t.matches("\\|[\\s:|-]+\\|")) {
                    continue;
                }
                final List<String> cells = new ArrayList<>();
                for (final String c : t.substring(1, t.length() - 1).split("\\|", -1)) {
                    cells.add(c.strip());
                }
                rows.add(cells);
            } else if (started) {
                break;
            }
        }
        return rows;
    }

    private PartResult part(final String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    /** The ledger's last column names a part; this run's cell is that part's verdict and figures. */
    private String thisRun(final List<String> row) {
        final String name = row.getLast().replace("`", "").strip();
        final PartResult p = part(name);
        if (p == null) {
            return "not run by verify";
        }
        return p.verdict() + (p.skippedReason() != null ? ": " + p.skippedReason() : " " + p.figures());
    }

    public String markdown() {
        final StringBuilder s = new StringBuilder("# doms verify report\n\n| part | what was checked | verdict | figures | seconds | raw output |\n|---|---|---|---|---|---|\n");
        for (final PartResult p : parts) {
            s.append("| ").append(p.name()).append(" | ").append(p.what()).append(" | **").append(p.verdict()).append("**")
                    .append(p.skippedReason() == null ? "" : ": " + p.skippedReason()).append(" | ").append(p.figures())
                    .append(" | ").append(Math.round(p.seconds())).append(" | [").append(p.raw().getFileName()).append("](parts/")
                    .append(p.raw().getFileName()).append(") |\n");
        }
        s.append(details(false));
        if (!ledger.isEmpty()) {
            s.append("\n## Evidence ledger (proofs-notes/ledger.md) with this run\n\n");
            final List<String> header = new ArrayList<>(ledger.getFirst());
            header.add("this run");
            s.append("| ").append(String.join(" | ", header)).append(" |\n|").append("---|".repeat(header.size())).append('\n');
            for (final List<String> row : ledger.subList(1, ledger.size())) {
                s.append("| ").append(String.join(" | ", row)).append(" | ").append(thisRun(row)).append(" |\n");
            }
        }
        return s.toString();
    }

    private String details(final boolean html) {
        final StringBuilder s = new StringBuilder();
        final PartResult tlc = part("tlc");
        if (tlc != null && tlc.json() != null && tlc.json().path("models").size() > 0) {
            s.append(html ? "<h2>TLC models</h2><table><tr><th>model</th><th>expected</th><th>result</th><th>distinct states</th><th>seconds</th></tr>"
                    : "\n## TLC models\n\n| model | expected | result | distinct states | seconds |\n|---|---|---|---|---|\n");
            for (final JsonNode m : tlc.json().path("models")) {
                final String[] cells = {m.path("model").asText(), m.path("expected").asText(), m.path("result").asText(),
                        String.format("%,d", m.path("distinct_states").asLong()), m.path("seconds").asText()};
                s.append(html ? "<tr><td>" + String.join("</td><td>", escape(cells)) + "</td></tr>" : "| " + String.join(" | ", cells) + " |\n");
            }
            s.append(html ? "</table>" : "");
        }
        final PartResult fuzz = part("fuzz");
        if (fuzz != null && fuzz.json() != null) {
            s.append(html ? "<h2>Fuzz coverage</h2>" : "\n## Fuzz coverage\n\n");
            for (final JsonNode t : fuzz.json().path("targets")) {
                final Path plot = Path.of(t.path("plot").asText());
                s.append(html ? "<h3>" + escape(t.path("target").asText()) + "</h3><p>" : "- " + t.path("target").asText() + ": ")
                        .append(String.format("%,d executions (%,d/s), %,d branches, %d failures", t.path("executions").asLong(),
                                t.path("executions_per_s").asLong(), t.path("branches_covered").asLong(), t.path("failures").asLong()));
                final List<String> never = new ArrayList<>();
                t.path("outcomes_never_reached").forEach(o -> never.add(o.asText()));
                if (!t.path("outcomes").isEmpty()) {
                    s.append(String.format("; %d of %d validation outcomes reached%s", t.path("outcomes").size() - never.size(),
                            t.path("outcomes").size(), never.isEmpty() ? "" : ", never: " + String.join("; ", html ? escape(never.toArray(String[]::new)) : never.toArray(String[]::new))));
                }
                if (html) {
                    s.append("</p>").append(image(plot));
                } else {
                    s.append(", plot ").append(plot).append('\n');
                }
            }
        }
        return s.toString();
    }

    private static String image(final Path png) {
        try {
            return "<img alt=\"coverage\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png)) + "\">";
        } catch (IOException e) {
            return "<p>(plot missing: " + escape(png.toString()) + ")</p>";
        }
    }

    public String html() {
        final StringBuilder s = new StringBuilder("""
                <!doctype html><html><head><meta charset="utf-8"><title>doms verify report</title><style>
                body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}
                td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}
                .pass{color:#0a0;font-weight:bold}.fail{color:#c00;font-weight:bold}.skipped{color:#b80;font-weight:bold}
                img{max-width:100%;border:1px solid #ddd}code{background:#f6f6f6}
                </style></head><body><h1>doms verify report</h1>
                <table><tr><th>part</th><th>what was checked</th><th>verdict</th><th>figures</th><th>seconds</th><th>raw output</th></tr>
                """);
        for (final PartResult p : parts) {
            s.append("<tr><td>").append(escape(p.name())).append("</td><td>").append(escape(p.what())).append("</td><td class=\"")
                    .append(p.verdict()).append("\">").append(p.verdict()).append(p.skippedReason() == null ? "" : ": " + escape(p.skippedReason()))
                    .append("</td><td>").append(escape(String.valueOf(p.figures()))).append("</td><td>").append(Math.round(p.seconds()))
                    .append("</td><td><a href=\"parts/").append(escape(p.raw().getFileName().toString())).append("\">")
                    .append(escape(p.raw().getFileName().toString())).append("</a></td></tr>\n");
        }
        s.append("</table>").append(details(true));
        if (!ledger.isEmpty()) {
            s.append("<h2>Evidence ledger (proofs-notes/ledger.md) with this run</h2><table><tr>");
            for (final String h : ledger.getFirst()) {
                s.append("<th>").append(escape(h)).append("</th>");
            }
            s.append("<th>this run</th></tr>\n");
            for (final List<String> row : ledger.subList(1, ledger.size())) {
                s.append("<tr>");
                for (final String c : row) {
                    s.append("<td>").append(escape(c.replace("`", ""))).append("</td>");
                }
                s.append("<td>").append(escape(thisRun(row))).append("</td></tr>\n");
            }
            s.append("</table>");
        }
        return s.append("</body></html>\n").toString();
    }

    private static String[] escape(final String[] cells) {
        final String[] out = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            out[i] = escape(cells[i]);
        }
        return out;
    }

    static String escape(final String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
