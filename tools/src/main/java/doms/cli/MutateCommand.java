package doms.cli;

import doms.evidence.Pit;
import doms.evidence.ProjectHome;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** PIT mutation testing of the ring, the pool layouts and the switch, with the impl module's in-process tests. */
@Command(name = "mutate", mixinStandardHelpOptions = true,
        description = {"PIT mutation testing of doms.ring, doms.pool and doms.sw.", "",
                "Runs PIT mutation testing over doms.ring, doms.pool and doms.sw with the",
                "impl module's in-process unit tests (tests that start other processes are",
                "left out: PIT cannot see what other processes do). Prints per package the",
                "mutants, how many the tests killed, how many survived, how many no test",
                "covered, and the score (killed / mutants); then the HTML report's path.",
                "Takes a few minutes on 2 cores. Equivalent mutants and measured scores:",
                "proofs-notes/mutation.md."},
        footer = {"", "Exit codes: 0 PIT ran, 1 the build or PIT failed, 2 bad usage."})
final class MutateCommand implements Callable<Integer> {
    @Option(names = "--json", description = "print one JSON object: packages (name, mutants, killed, survived, no_coverage, score) and report")
    boolean json;

    @Option(names = "--survivors", description = "also list every mutant that survived or that no test covered")
    boolean survivors;

    @Override
    public Integer call() throws Exception {
        System.err.println("mutate: building impl and running PIT over " + String.join(", ", Pit.PACKAGES) + " (several minutes) ...");
        final Pit.Result result = Pit.runAndRead(ProjectHome.dir(), line -> System.err.println("mutate: " + line), 30);
        if (result == null) {
            System.err.println("mutate: the build or PIT failed (see above)");
            return ExitCodes.FAILED;
        }
        if (json) {
            System.out.println(Json.write(result.json()));
            return ExitCodes.OK;
        }
        System.out.printf("%-10s %8s %8s %9s %12s %7s%n", "package", "mutants", "killed", "survived", "no coverage", "score");
        for (final Pit.Score s : result.scores()) {
            System.out.printf("%-10s %8d %8d %9d %12d %6.1f%%%n", s.name(), s.mutants(), s.killed(), s.survived(), s.noCoverage(),
                    100 * s.score());
        }
        if (survivors) {
            for (final Pit.Mutant m : result.mutants()) {
                if (!m.detected() && Pit.PACKAGES.contains(m.packageName())) {
                    System.out.printf("%-11s %s:%d %s: %s%n", m.status(), m.mutatedClass(), m.line(), m.method(), m.description());
                }
            }
        }
        System.out.println("mutate: report in " + result.report());
        return ExitCodes.OK;
    }
}
