package doms.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the project's Maven Wrapper on the JDK doms runs on (for runners that build modules on demand). */
public final class Maven {
    private Maven() {
    }

    /** Quiet Maven (errors only): for builds a command needs before its real work. */
    public static ProcessBuilder builder(final List<String> args) {
        return builder(true, args);
    }

    public static ProcessBuilder builder(final boolean quiet, final List<String> args) {
        final Path home = ProjectHome.dir();
        final Path mvnw = home.resolve("mvnw");
        if (!Files.isExecutable(mvnw)) {
            throw new IllegalArgumentException("no Maven Wrapper at " + mvnw + ": run from the doms checkout");
        }
        final List<String> command = new ArrayList<>(List.of(mvnw.toString(), "-B"));
        if (quiet) {
            command.add("-q");
        }
        command.addAll(args);
        final ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder;
    }

    /**
     * Runs quiet Maven with all its output sent to our standard error, which keeps standard
     * output for --json (Maven logs, errors included, to its standard output); true when it
     * succeeded.
     */
    public static boolean run(final List<String> args) throws IOException, InterruptedException {
        final Process maven = builder(args).redirectErrorStream(true).start();
        try (java.io.InputStream in = maven.getInputStream()) {
            in.transferTo(System.err);
        }
        return maven.waitFor() == 0;
    }
}
