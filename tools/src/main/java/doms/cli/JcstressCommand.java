package doms.cli;

import doms.evidence.Jcstress;
import doms.evidence.JcstressResult;
import doms.evidence.JcstressSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Builds and runs the jcstress suite of the ring (stress/) and summarises what it found. */
@Command(name = "jcstress", mixinStandardHelpOptions = true,
        description = {"The ring's jcstress tests on memory mapped from /dev/shm.", "",
                "Runs the jcstress tests of the ring (stress/, package doms.stress) on",
                "memory mapped from /dev/shm and prints how many tests passed, failed (a",
                "forbidden outcome was seen) or showed an interesting outcome, and where",
                "jcstress's HTML report is (reports/jcstress/TIMESTAMP/index.html). Builds",
                "stress/target/jcstress.jar first if it is missing or older than the",
                "sources. jcstress's own progress goes to standard error."},
        footer = {"", "Modes:",
                "  quick    what CI runs, about 4 minutes for the suite on 2 cores: each",
                "           JVM configuration jcstress finds (interpreter, C1, C2, C2 with",
                "           stress flags), actors compiled alike, 1 fork, 3 iterations of",
                "           100 ms, at most 8 x 256 states per round (jcstress -m quick",
                "           -sc false -time 100 -iters 3 -strideCount 8).",
                "  default  jcstress's default preset (-m default: 34 forks per test, one",
                "           per actor compilation mode plus C2 stress forks, 5 iterations",
                "           of 1 s each): an estimated 1 to 2 hours for the suite.",
                "  tough    jcstress -m tough (10 times the forks, 10 iterations each):",
                "           an estimated day.",
                "",
                "The negative controls (doms.stress.NegativeControl*) are deliberately",
                "broken ring variants, left out unless --negative-control runs them alone.",
                "They are expected to FAIL: that shows the suite detects a broken ring.",
                "",
                "Exit codes: 0 no forbidden outcome (with --negative-control: each broken",
                "variant showed one), 1 a test failed (with --negative-control: a broken",
                "variant showed none), jcstress did not finish or the stress jar could",
                "not be built, 2 bad usage."})
final class JcstressCommand implements Callable<Integer> {
    @Option(names = "--mode", defaultValue = "quick", paramLabel = "MODE",
            description = "quick, default or tough (default ${DEFAULT-VALUE}; see Modes below)")
    String mode;

    @Option(names = "--tests", paramLabel = "REGEX",
            description = "tests whose class name contains a match of REGEX (default: all but the negative controls)")
    String tests;

    @Option(names = "--negative-control", description = "run only the negative controls: exit 0 when every one fails, as it must")
    boolean negativeControl;

    @Option(names = "--json", description = "print one JSON object instead of the summary")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Jcstress.modeArguments(mode);
        if (negativeControl && tests != null) {
            throw new IllegalArgumentException("--negative-control and --tests cannot be combined");
        }
        final String selection = negativeControl ? Jcstress.NEGATIVE_CONTROL_TESTS : tests != null ? tests : Jcstress.DEFAULT_TESTS;
        Jcstress.checkSelection(selection);
        final JcstressResult result = Jcstress.run(mode, selection, !json);
        if (result.summary() == null) {
            System.err.println("jcstress: " + result.problem());
            return ExitCodes.FAILED; // like fuzz and bench: a failed build is a failed run, not bad usage
        }
        final JcstressSummary summary = result.summary();
        if (json) {
            System.out.println(Json.write(result.json()));
        } else {
            System.out.printf("jcstress %s: %d tests in %d s%n", mode, summary.tests(), result.seconds());
            System.out.printf("  %5s  %6s  %6s  %11s%n", "tests", "passed", "failed", "interesting");
            System.out.printf("  %5d  %6d  %6d  %11d%n", summary.tests(), summary.passed(), summary.failed().size(), summary.interesting().size());
            summary.failed().forEach(name -> System.out.println("  FAILED      " + name));
            summary.forbidden().forEach(seen -> System.out.println("  forbidden   " + seen));
            summary.interesting().forEach(name -> System.out.println("  interesting " + name));
            System.out.println("  report: " + result.report());
        }
        if (negativeControl) {
            // Here a failed test is the expected result: the suite caught a broken ring.
            (json ? System.err : System.out).println(result.everyTestFailed()
                    ? "jcstress: every negative control FAILED, as expected: the suite detects each broken ring"
                    : "jcstress: a negative control showed no forbidden outcome (it passed or errored): this run does not show the suite catching it");
            return result.everyTestFailed() ? ExitCodes.OK : ExitCodes.FAILED;
        }
        return result.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
