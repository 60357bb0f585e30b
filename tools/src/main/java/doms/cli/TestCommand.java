package doms.cli;

import doms.evidence.Maven;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Runs the project's whole test suite through the Maven Wrapper on this JDK. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Every test of the project (./mvnw verify).", "",
                "Runs every test of the project (./mvnw verify) on the JDK doms runs on.",
                "Extra arguments go to Maven, e.g. '-pl impl' or '-pl impl -Dtest=RingTest'."})
final class TestCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MAVEN_ARG", description = "extra Maven arguments")
    List<String> mavenArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        final List<String> args = new ArrayList<>(List.of("verify"));
        args.addAll(mavenArgs);
        // Not quiet: the test run's own summary is the point here.
        return Maven.builder(false, args).inheritIO().start().waitFor() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
