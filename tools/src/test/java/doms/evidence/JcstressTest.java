package doms.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The pure parts of the jcstress runner: reading jcstress's summary, the selections, the modes. Runs no jcstress. */
class JcstressTest {
    private static final String PROGRESS = """
            (ETA: now)
            (Sampling Rate: 85.39 K/sec)
            (JVMs: 0 starting, 0 running, 0 finishing)
            (CPUs: 2 configured, 0 allocated)
            (Results: 52 planned; 52 passed, 0 failed, 0 soft errs, 0 hard errs)

            .......... [OK] doms.stress.NotInTheSummaryTest

            """;

    private static final String PASSING = PROGRESS + """
            RUN RESULTS:
              Interesting tests: 1 matching test results.

            .......... [OK] doms.stress.FullEdgePadAloneTest

              Results across all configurations:

               RESULT  SAMPLES     FREQ       EXPECT  DESCRIPTION
              1, 1, 1   93,664   30.43%   Acceptable  PAD published alone, then the producer gave up
              2, 1, 1   89,275   29.00%  Interesting  PAD published alone while full, record written after the ...
              3, 1, 1  124,874   40.57%   Acceptable  the consumer had freed record 1: PAD and record in one go


              Failed tests: No matches.

              Error tests: No matches.

              All remaining tests: 12 matching test results. Use -v to print them.

              HTML report generated at /work/main/reports/jcstress/20261125-181500/index.html
            """;

    private static final String FAILING = """
            RUN RESULTS:
              Interesting tests: 1 matching test results.

            ...... [FAILED] doms.stress.SomeInterestingButBrokenTest

              Results across all configurations:

              RESULT  SAMPLES     FREQ       EXPECT  DESCRIPTION
                0, 1      105    0.03%    Forbidden  torn
                1, 1  279,617   68.15%  Interesting  fine


              Failed tests: 2 matching test results.

            ...... [FAILED] doms.stress.NegativeControlEarlyReleaseTest

              Results across all configurations:

              RESULT  SAMPLES     FREQ      EXPECT  DESCRIPTION
                0, 1  167,891   43.62%   Forbidden  record 1 was overwritten while the consumer was reading it
                1, 0   54,440   14.15%  Acceptable  the producer gave up before the early release

            ...... [FAILED] doms.stress.SomeInterestingButBrokenTest

              Results across all configurations:

              RESULT  SAMPLES     FREQ       EXPECT  DESCRIPTION
                0, 1      105    0.03%    Forbidden  torn


              Error tests: 1 matching test results.

            ....... [ERROR] doms.stress.ThrowingTest

              Results across all configurations:


              All remaining tests: No matches.

              HTML report generated at /tmp/r/index.html
            """;

    @Test
    void aPassingRunCountsTheNamedTestsAndTheRemainingOnes() {
        final JcstressSummary s = JcstressSummary.parse(PASSING.lines().toList());
        assertThat(s).isNotNull();
        assertThat(s.tests()).isEqualTo(13);
        assertThat(s.passed()).isEqualTo(13);
        assertThat(s.failed()).isEmpty();
        assertThat(s.forbidden()).isEmpty();
        assertThat(s.interesting()).containsExactly("doms.stress.FullEdgePadAloneTest");
        assertThat(s.report()).isEqualTo("/work/main/reports/jcstress/20261125-181500/index.html");
    }

    @Test
    void failedAndErrorTestsAreFailuresAndCountedOnce() {
        final JcstressSummary s = JcstressSummary.parse(FAILING.lines().toList());
        assertThat(s).isNotNull();
        assertThat(s.tests()).isEqualTo(3);
        assertThat(s.failed()).containsExactly("doms.stress.NegativeControlEarlyReleaseTest",
                "doms.stress.SomeInterestingButBrokenTest", "doms.stress.ThrowingTest");
        assertThat(s.passed()).isZero();
        assertThat(s.interesting()).containsExactly("doms.stress.SomeInterestingButBrokenTest");
        assertThat(s.forbidden()).containsExactly(
                "doms.stress.NegativeControlEarlyReleaseTest: 0, 1 seen 167,891 times (record 1 was overwritten while the consumer was reading it)",
                "doms.stress.SomeInterestingButBrokenTest: 0, 1 seen 105 times (torn)");
        assertThat(s.report()).isEqualTo("/tmp/r/index.html");
    }

    @Test
    void negativeControlsPassOnlyWhenEveryTestShowedAForbiddenOutcome() {
        final JcstressSummary caught = new JcstressSummary(2, new TreeSet<>(List.of("doms.stress.A", "doms.stress.B")), new TreeSet<>(),
                List.of("doms.stress.A: 0, 1 seen 5 times (x)", "doms.stress.B: -3, 0 seen 1 times (y)"), "r");
        assertThat(new JcstressResult("quick", caught, true, null, 1, null).everyTestFailed()).isTrue();
        assertThat(new JcstressResult("quick", caught, false, null, 1, null).everyTestFailed()).as("an inconsistent run").isFalse();
        // The FAILING output has a test that failed with an error, not a forbidden outcome: that catches nothing.
        final JcstressSummary failing = JcstressSummary.parse(FAILING.lines().toList());
        assertThat(failing.failed()).hasSize(failing.tests());
        assertThat(new JcstressResult("quick", failing, true, null, 1, null).everyTestFailed()).isFalse();
        final JcstressSummary passing = JcstressSummary.parse(PASSING.lines().toList());
        assertThat(new JcstressResult("quick", passing, true, null, 1, null).everyTestFailed()).isFalse();
    }

    @Test
    void outputWithoutACompleteSummaryIsNotAResult() {
        assertThat(JcstressSummary.parse(PROGRESS.lines().toList())).isNull();
        assertThat(JcstressSummary.parse(List.of("RUN RESULTS:", "  Interesting tests: No matches."))).isNull();
    }

    @Test
    void theDefaultSelectionLeavesOutTheNegativeControlsWhichHaveTheirOwn() {
        final Pattern all = Pattern.compile(Jcstress.DEFAULT_TESTS);
        final Pattern negative = Pattern.compile(Jcstress.NEGATIVE_CONTROL_TESTS);
        for (final String test : List.of("doms.stress.PublicationTest", "doms.stress.FullEdgePadAloneTest", "doms.stress.RingLapsTest")) {
            assertThat(all.matcher(test).find()).as(test).isTrue();
            assertThat(negative.matcher(test).find()).as(test).isFalse();
        }
        for (final String test : List.of("doms.stress.NegativeControlPublishEarlyTest", "doms.stress.NegativeControlEarlyReleaseTest",
                "doms.stress.NegativeControlSignalEarlyTest")) {
            assertThat(all.matcher(test).find()).as(test).isFalse();
            assertThat(negative.matcher(test).find()).as(test).isTrue();
        }
    }

    @Test
    void modesMapToJcstressOptionsAndAnythingElseIsBadUsage() {
        assertThat(Jcstress.modeArguments("quick")).startsWith("-m", "quick").contains("-iters", "-time");
        assertThat(Jcstress.modeArguments("default")).containsExactly("-m", "default");
        assertThat(Jcstress.modeArguments("tough")).containsExactly("-m", "tough");
        assertThatThrownBy(() -> Jcstress.modeArguments("sanity")).isInstanceOf(IllegalArgumentException.class);
    }
}
