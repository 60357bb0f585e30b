package doms.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceReportTest {
    @TempDir
    Path dir;

    @Test
    void readsTheFirstMarkdownTable() {
        final var rows = EvidenceReport.table("intro\n\n| a | b |\n|---|:--|\n| 1 | `x` |\n| 2 | y |\n\nafter\n| z |\n");
        assertThat(rows).containsExactly(List.of("a", "b"), List.of("1", "`x`"), List.of("2", "y"));
    }

    @Test
    void skippedPartsSayWhyAndTheLedgerGetsThisRunsColumn() throws Exception {
        final Path ledger = Files.writeString(dir.resolve("ledger.md"), """
                | claim | evidence | part |
                |---|---|---|
                | no overwrite | TLC NoOverwrite | `tlc` |
                | order | demo counts | demo |
                """);
        final Path raw = Files.writeString(dir.resolve("tlc.json"), "{}");
        final var tlc = new EvidenceReport.PartResult("tlc", "models <&>", "skipped", "no tla2tools.jar", Map.of(), 1.2, raw, null);
        final var demo = new EvidenceReport.PartResult("demo", "demo", "pass", null, Map.of("lost", 0), 9, raw, null);
        final EvidenceReport report = new EvidenceReport(List.of(tlc, demo), ledger);
        assertThat(report.markdown()).contains("| tlc | models <&> | **skipped**: no tla2tools.jar |")
                .contains("| no overwrite | TLC NoOverwrite | `tlc` | skipped: no tla2tools.jar |")
                .contains("| order | demo counts | demo | pass {lost=0} |");
        assertThat(report.html()).contains("models &lt;&amp;&gt;").contains("class=\"skipped\">skipped: no tla2tools.jar")
                .doesNotContain("models <&>");
    }
}
