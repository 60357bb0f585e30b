package doms.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PlanTest {
    @Test
    void onlySelectsFiguresInRunningOrder() {
        assertThat(Plan.figures(null)).isEqualTo(Plan.FIGURES);
        assertThat(Plan.figures("jmh, fig3,fig3")).containsExactly("fig3", "jmh");
        assertThatThrownBy(() -> Plan.figures("fig6")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fig6");
    }

    @Test
    void theSweepsCoverThePapersRanges() {
        final Plan full = Plan.fullPlan();
        assertThat(full.fig3Pages()).startsWith(1, 2, 4).endsWith(4096).hasSize(13);
        assertThat(full.fig5Sizes()).startsWith(64).endsWith(65536).hasSize(11);
        assertThat(full.fig4Polls()).startsWith("period:10").contains("period:10000").endsWith("busy", "adaptive");
        assertThat(full.fig5Polls()).contains("period:50", "period:1000", "busy");
        final Plan quick = Plan.quickPlan();
        assertThat(quick.quick()).isTrue();
        assertThat(quick.fig3Pages()).contains(1, 4096);
        assertThat(quick.fig5Sizes()).contains(64, 65536);
        assertThat(quick.switchGuests()).containsExactly(2, 4, 8);
        assertThat(quick.switchSizes()).containsExactly(64, 1500);
    }

    @Test
    void periodsBecomeMillisecondsOnFigure4sAxis() {
        assertThat(Plan.periodX("period:10")).isEqualTo(0.01);
        assertThat(Plan.periodX("period:10000")).isEqualTo(10.0);
        assertThat(Plan.periodX("busy")).isEqualTo("busy");
    }

    @Test
    void optionsPickThePlan() {
        final BenchMain quick = new BenchMain();
        new CommandLine(quick).parseArgs("--quick", "--measure", "2", "--only", "fig5", "--json");
        assertThat(quick.plan().quick()).isTrue();
        assertThat(quick.plan().measure()).isEqualTo(2.0);
        assertThat(quick.plan().warm()).isEqualTo(Plan.quickPlan().warm());
        assertThat(quick.options.json).isTrue();
        final BenchMain full = new BenchMain();
        new CommandLine(full).parseArgs();
        assertThat(full.plan()).isEqualTo(Plan.fullPlan());
        assertThatThrownBy(() -> Plan.quickPlan().withDurations(0.1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badUsageExitsTwoWithoutRunningAnything() {
        assertThat(BenchMain.run("--only", "fig9")).isEqualTo(2);
        assertThat(BenchMain.run("--measure", "lots")).isEqualTo(2);
        assertThat(BenchMain.run("--quick", "--measure", "0")).isEqualTo(2);
        assertThat(BenchMain.run("--help")).isZero();
        assertThat(Jvm.command("x.Y", List.of("a"))).contains("-Dagrona.disable.bounds.checks=true", "x.Y", "a");
    }
}
