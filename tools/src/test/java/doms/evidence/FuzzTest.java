package doms.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FuzzTest {
    @Test
    void durationsAreSecondsMinutesOrHours() {
        assertThat(Fuzz.seconds("60s")).isEqualTo(60);
        assertThat(Fuzz.seconds("90")).isEqualTo(90);
        assertThat(Fuzz.seconds("10m")).isEqualTo(600);
        assertThat(Fuzz.seconds("1h")).isEqualTo(3600);
        for (final String bad : new String[] {"", "0s", "1d", "-5s", "ten"}) {
            assertThatThrownBy(() -> Fuzz.seconds(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void readsExecutionsCoverageAndCrashesFromZestPlotData(@TempDir final Path dir) throws Exception {
        final Path plot = dir.resolve("plot_data");
        Files.writeString(plot, """
                # unix_time, cycles_done, cur_path, paths_total, pending_total, pending_favs, map_size, unique_crashes, unique_hangs, max_depth, execs_per_sec, valid_inputs, invalid_inputs, valid_cov, all_covered_probes, valid_covered_probes
                1795629736, 0, 2, 71, 0, 0, 1.00%, 0, 0, 0, 138.16, 1645, 5, 1.00%, 658, 650
                1795629737, 0, 2, 72, 0, 0, 1.01%, 1, 0, 0, 170.73, 1726, 7, 1.01%, 660, 652
                """);
        final var rows = PlotData.read(plot);
        assertThat(rows).hasSize(2);
        assertThat(rows.getLast()).isEqualTo(new PlotData.Row(1733, 660, 1, 171, 1795629737L));
        assertThat(PlotData.read(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void readsTheColumnsByTheirNamesInTheHeader(@TempDir final Path dir) throws Exception {
        final Path plot = dir.resolve("plot_data");
        Files.writeString(plot, """
                # all_covered_probes, new_column, invalid_inputs, valid_inputs, execs_per_sec, unique_crashes, unix_time
                660, 7, 7, 1726, 170.73, 1, 1795629737
                """);
        assertThat(PlotData.read(plot)).containsExactly(new PlotData.Row(1733, 660, 1, 171, 1795629737L));
        Files.writeString(plot, "# unix_time, execs_per_sec\n1795629737, 170.73\n");
        assertThatThrownBy(() -> PlotData.read(plot)).isInstanceOf(java.io.IOException.class).hasMessageContaining("all_covered_probes");
    }

    @Test
    void theTargetsAndDomsImplAreLoadedOnlyBehindTheInstrumentingLoader(@TempDir final Path home) throws Exception {
        Files.createDirectories(home.resolve("fuzz/target"));
        final String impl = home.resolve("impl/target/doms-impl-0.1.0-SNAPSHOT.jar").toString();
        final String installed = "/root/.m2/repository/dev/doms/doms-impl/0.1.0-SNAPSHOT/doms-impl-0.1.0-SNAPSHOT.jar";
        final String jqf = "/root/.m2/repository/edu/berkeley/cs/jqf/jqf-fuzz/2.1/jqf-fuzz-2.1.jar";
        Files.writeString(home.resolve("fuzz/target/campaign.classpath"), String.join(java.io.File.pathSeparator, impl, jqf, installed) + "\n");
        final java.util.List<String> c = Fuzz.command(home, "vnet", 60, 10_000_000, home.resolve("out"));
        final String instrument = c.get(c.indexOf("--instrument") + 1);
        final String classPath = c.get(c.indexOf("-cp") + 1);
        assertThat(instrument.split(java.io.File.pathSeparator)).containsExactly(home.resolve("fuzz/target/test-classes").toString(), impl, installed);
        assertThat(classPath.split(java.io.File.pathSeparator)).containsExactly(home.resolve("fuzz/target/classes").toString(), jqf);
        assertThat(c).containsSubsequence("--class", Fuzz.VNET_CLASS, "--method", "vnet");
        assertThat(c).containsSubsequence("--executions", "10000000");
        assertThat(c).containsSubsequence("--max-length", "70000");
        assertThat(Fuzz.command(home, "raw", 60, Long.MAX_VALUE, home.resolve("out"))).doesNotContain("--executions");
        Files.delete(home.resolve("fuzz/target/campaign.classpath"));
        assertThatThrownBy(() -> Fuzz.command(home, "raw", 60, Long.MAX_VALUE, home)).hasMessageContaining("campaign.classpath");
    }

    @Test
    void outcomesNeverReachedAreTheNamedOnesWithNoInput(@TempDir final Path dir) throws Exception {
        final Path tsv = dir.resolve("outcomes.tsv");
        Files.writeString(tsv, "12\tattached\n0\trefused: bad magic\n3\trefused: bad page count N\n0\tcorruption reported\n");
        final var outcomes = Fuzz.outcomes(tsv);
        assertThat(outcomes).containsExactly(java.util.Map.entry("attached", 12L), java.util.Map.entry("refused: bad magic", 0L),
                java.util.Map.entry("refused: bad page count N", 3L), java.util.Map.entry("corruption reported", 0L));
        final FuzzResult.Campaign c = new FuzzResult.Campaign("attach", 15, 300, 10.0, 2, outcomes, dir, dir.resolve("p.png"), java.util.List.of());
        assertThat(c.neverReached()).containsExactly("refused: bad magic", "corruption reported");
        assertThat(c.json()).containsEntry("executions_per_s", 2L).containsEntry("outcomes_never_reached", c.neverReached());
        assertThat(Fuzz.outcomes(dir.resolve("missing.tsv"))).isEmpty();
    }
}
