package doms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code jcstress}'s usage checks (the runner's parsing: doms.evidence.JcstressTest). Runs no jcstress. */
class JcstressCommandTest {
    @Test
    void badUsageExitsTwoBeforeBuildingAnything() {
        assertThat(Main.run("jcstress", "--mode", "fast")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("jcstress", "--negative-control", "--tests", "Fifo")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("jcstress", "--tests", "(unclosed")).isEqualTo(ExitCodes.USAGE);
    }
}
