package doms.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Runs the project's whole test suite through the Maven Wrapper on this JDK. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Runs every test of the project (./mvnw verify) on the JDK doms runs on.",
                "Extra arguments go to Maven, e.g. '-pl impl' or '-Dtest=RingConsumerTest'."})
final class TestCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MAVEN_ARG", description = "extra Maven arguments")
    List<String> mavenArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        final Path home = Path.of(System.getProperty("doms.home", ".")).toAbsolutePath().normalize();
        final Path mvnw = home.resolve("mvnw");
        if (!Files.isExecutable(mvnw)) {
            throw new IllegalArgumentException("no Maven Wrapper at " + mvnw + ": run from the doms checkout");
        }
        final List<String> command = new ArrayList<>(List.of(mvnw.toString(), "-B", "verify"));
        command.addAll(mavenArgs);
        final ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).inheritIO();
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder.start().waitFor() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
