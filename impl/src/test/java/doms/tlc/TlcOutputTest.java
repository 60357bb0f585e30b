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
}
