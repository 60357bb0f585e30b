package doms.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the project's Maven Wrapper on the JDK doms runs on (for commands that build modules on demand). */
final class MavenRunner {
    private MavenRunner() {
    }

    /** The doms checkout (the launcher passes it as -Ddoms.home). */
    static Path home() {
        return Path.of(System.getProperty("doms.home", ".")).toAbsolutePath().normalize();
    }

    /** A new report folder {@code parent/yyyyMMdd-HHmmss} (not created). */
    static Path timestamped(final Path parent) {
        return parent.resolve(java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** Quiet Maven (errors only): for builds a command needs before its real work. */
    static ProcessBuilder builder(final List<String> args) {
        return builder(true, args);
    }

    static ProcessBuilder builder(final boolean quiet, final List<String> args) {
        final Path mvnw = home().resolve("mvnw");
        if (!Files.isExecutable(mvnw)) {
            throw new IllegalArgumentException("no Maven Wrapper at " + mvnw + ": run from the doms checkout");
        }
        final List<String> command = new ArrayList<>(List.of(mvnw.toString(), "-B"));
        if (quiet) {
            command.add("-q");
        }
        command.addAll(args);
        final ProcessBuilder builder = new ProcessBuilder(command).directory(home().toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder;
    }

    /** Runs Maven with its output sent to our standard error; true when it succeeded. */
    static boolean run(final List<String> args) throws IOException, InterruptedException {
        return builder(args).redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start().waitFor() == 0;
    }
}
