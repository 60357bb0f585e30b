package doms.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlcOutputTest {
    @Test
    void aCleanRunPassesAndCountsDistinctStates() {
        final String out = """
                Computing initial states...
                Progress(3) at 2026-11-25: 100 states generated, 40 distinct states found, 3 states left on queue.
                Model checking completed. No error has been found.
                1,234 states generated, 567 distinct states found, 0 states left on queue.
                """;
        assertThat(TlcOutput.verdict(out, List.of())).isEqualTo("pass");
        assertThat(TlcOutput.distinctStates(out)).isEqualTo(567);
    }

    @Test
    void namesTheViolatedInvariant() {
        final String out = "Error: Invariant NoOverwrite is violated.\nError: The behavior up to this point is:\n12 distinct states found";
        assertThat(TlcOutput.verdict(out, List.of("Liveness"))).isEqualTo("NoOverwrite");
    }

    @Test
    void namesATemporalViolationFromTheOnlyConfiguredProperty() {
        final String out = "Error: Temporal properties were violated.\n";
        assertThat(TlcOutput.verdict(out, List.of("EventuallyServed"))).isEqualTo("EventuallyServed");
        assertThat(TlcOutput.verdict(out, List.of("A", "B"))).isEqualTo("temporal property");
    }

    @Test
    void namesActionPropertiesAndDeadlocks() {
        assertThat(TlcOutput.verdict("Error: Action property BindingUnchanged is violated.", List.of())).isEqualTo("BindingUnchanged");
        assertThat(TlcOutput.verdict("Error: Deadlock reached.", List.of())).isEqualTo("Deadlock");
    }

    @Test
    void aBrokenSpecIsAnErrorNotAPass() {
        assertThat(TlcOutput.verdict("Error: Could not find file Nope.tla", List.of())).startsWith("error: Could not find");
        assertThat(TlcOutput.verdict("", List.of())).isEqualTo("error: TLC gave no verdict");
    }

    @Test
    void readsPropertiesFromAConfiguration() {
        final String cfg = """
                SPECIFICATION Spec
                CONSTANTS C = 4 \\* bytes
                INVARIANT TypeOK
                PROPERTIES
                    Refinement
                    Liveness \\* under fairness
                CHECK_DEADLOCK TRUE
                """;
        assertThat(TlcOutput.configuredProperties(cfg)).containsExactly("Refinement", "Liveness");
        assertThat(TlcOutput.configuredProperties("PROPERTY P\n")).containsExactly("P");
    }

    @Test
    void findsTheJarThroughTheVariableThenTheCache(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws Exception {
        final java.nio.file.Path jar = java.nio.file.Files.createFile(dir.resolve("tla2tools.jar"));
        assertThat(Tla2Tools.locate(Map.of("TLA2TOOLS_JAR", jar.toString()), false).jar()).isEqualTo(jar);
        assertThat(Tla2Tools.locate(Map.of("TLA2TOOLS_JAR", dir.resolve("nope.jar").toString()), false).reason()).contains("not a file");
        assertThat(Tla2Tools.locate(Map.of("DOMS_CACHE_DIR", dir.toString()), false).jar()).isEqualTo(jar);
        final Tla2Tools.Located none = Tla2Tools.locate(Map.of("DOMS_CACHE_DIR", dir.resolve("empty").toString()), false);
        assertThat(none.found()).isFalse();
        assertThat(none.reason()).contains("TLA2TOOLS_JAR").doesNotContain("\n");
        assertThat(Tla2Tools.cacheDirectory(Map.of("XDG_CACHE_HOME", "/x"))).isEqualTo(java.nio.file.Path.of("/x/doms"));
    }

    @Test
    void unusedActionsAreThoseThatGeneratedNoStateInTheLastCoverageReport() {
        final String out = String.join("\n",
                "<Init line 169, col 1 to line 169, col 4 of module Ring>: 3:3",
                "<pTail line 112, col 5 to line 112, col 9 of module Ring>: 8",
                "<ProducerFlush line 261, col 1 to line 261, col 13 of module Ring>: 0:0",
                "<ConsumerCopy line 411, col 1 to line 411, col 12 of module Ring>: 0:0",
                "<Done line 446, col 1 to line 446, col 4 of module Ring>: 0:121",
                "  |line 262, col 5 to line 262, col 20 of module Ring: 0",
                "<ConsumerCopy line 411, col 1 to line 411, col 12 of module Ring>: 4:9",
                "<TypeOK line 472, col 1 to line 472, col 6 of module Ring>");
        assertThat(TlcOutput.unusedActions(out)).containsExactly("ProducerFlush");
    }

    @Test
    void aResultMatchesOnlyWithItsVerdictItsStateCountAndNoUnusedAction() {
        final java.nio.file.Path log = java.nio.file.Path.of("x.out");
        assertThat(new TlcResult("m", "pass", "pass", 1000, 1005, List.of(), 1, log).matches()).isTrue();
        assertThat(new TlcResult("m", "pass", "pass", 1000, 1100, List.of(), 1, log).mismatch()).isEqualTo("1000 distinct states, manifest 1100");
        assertThat(new TlcResult("m", "pass", "pass", 1000, 1000, List.of("ProducerFlush"), 1, log).mismatch())
                .isEqualTo("never enabled: ProducerFlush");
        assertThat(new TlcResult("m", "NoLoss", "NoLoss", 1000, 1000, List.of("Crash"), 1, log).matches()).isTrue();
        assertThat(new TlcResult("m", "NoLoss", "pass", 1000, -1, List.of(), 1, log).mismatch()).isEqualTo("expected NoLoss, got pass");
        assertThat(new TlcResult("m", "NoLoss", "NoLoss", 1860, 2804, List.of(), 1, log).matches()).as("a bug model stops anywhere").isTrue();
    }
}
