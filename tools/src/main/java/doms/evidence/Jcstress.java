package doms.evidence;

import doms.shm.FileTrees;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Runs the jcstress suite of the ring (stress/): builds stress/target/jcstress.jar when it is
 * missing or older than the sources, runs it into a new reports/jcstress/TIMESTAMP folder and
 * reads its summary. jcstress's own output goes to standard error as it comes.
 */
public final class Jcstress {
    /** Every test of the suite except the negative controls. */
    public static final String DEFAULT_TESTS = "^doms\\.stress\\.(?!NegativeControl)";
    /** Only the negative controls. */
    public static final String NEGATIVE_CONTROL_TESTS = "^doms\\.stress\\.NegativeControl";

    private Jcstress() {
    }

    /** The jcstress options for one of our modes. */
    public static List<String> modeArguments(final String mode) {
        return switch (mode) {
            case "quick" -> List.of("-m", "quick", "-sc", "false", "-time", "100", "-iters", "3", "-strideCount", "8");
            case "default" -> List.of("-m", "default");
            case "tough" -> List.of("-m", "tough");
            default -> throw new IllegalArgumentException("--mode must be quick, default or tough, got '" + mode + "'");
        };
    }

    /** Checks a --tests selection before anything is built. */
    public static void checkSelection(final String selection) {
        try {
            Pattern.compile(selection);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--tests is not a regular expression: " + e.getDescription());
        }
    }

    /**
     * Runs the tests matching {@code selection} in {@code mode}; {@code announce} prints the run's
     * line on standard error first. Throws IllegalArgumentException when no test matches.
     */
    public static JcstressResult run(final String mode, final String selection, final boolean announce)
            throws IOException, InterruptedException {
        final List<String> modeArguments = modeArguments(mode);
        checkSelection(selection);
        final Path home = ProjectHome.dir();
        final Path jar = home.resolve("stress/target/jcstress.jar");
        if (FileTrees.stale(home, jar, List.of("pom.xml", "stress/pom.xml", "stress/src/main", "impl/pom.xml", "impl/src/main"))) {
            final ProcessBuilder build = Maven.builder(List.of("-pl", "stress", "-am", "package", "-DskipTests"));
            System.err.println("jcstress: building " + home.relativize(jar) + " (missing or older than the sources) ...");
            if (run(build, null) != 0 || !Files.isRegularFile(jar)) {
                return JcstressResult.failed(mode, "the build of the stress jar failed (see above)");
            }
        }
        final Path reportDir = newReportDirectory(home.resolve("reports/jcstress"));
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString()));
        command.addAll(modeArguments);
        command.addAll(List.of("-t", selection, "-r", reportDir.toString()));
        if (announce) {
            System.err.println("jcstress: " + mode + " run of /" + selection + "/, report in " + home.relativize(reportDir));
        }
        final long started = System.nanoTime();
        final List<String> output = new ArrayList<>();
        // The working directory gets jcstress's result blob (jcstress-results-*.bin.gz).
        final ProcessBuilder jcstress = new ProcessBuilder(command).directory(reportDir.toFile());
        jcstress.environment().put("JAVA_HOME", System.getProperty("java.home"));
        final int exit = run(jcstress, output);
        final long seconds = Math.round((System.nanoTime() - started) / 1e9);
        if (output.stream().anyMatch(line -> line.strip().equals("FATAL: No matching tests."))) {
            try {
                FileTrees.delete(reportDir);
            } catch (IOException e) {
                // an empty report directory left behind is harmless
            }
            throw new IllegalArgumentException("no jcstress test matches /" + selection + "/");
        }
        final JcstressSummary summary = JcstressSummary.parse(output);
        if (summary == null) {
            return JcstressResult.failed(mode, "jcstress did not finish (exit " + exit + ", no RUN RESULTS; see above)");
        }
        // jcstress 0.16 exits 1 (an AssertionError listing them) exactly when some test failed.
        final boolean consistent = (exit == 0) == summary.failed().isEmpty();
        if (!consistent) {
            System.err.println("jcstress: jcstress exited " + exit + " but its summary lists "
                    + summary.failed().size() + " failed tests: treating the run as failed");
        }
        final Path index = summary.report() != null ? Path.of(summary.report()) : reportDir.resolve("index.html");
        return new JcstressResult(mode, summary, consistent, index, seconds, null);
    }

    private static Path newReportDirectory(final Path parent) throws IOException {
        Files.createDirectories(parent);
        final String stamp = ProjectHome.stamp();
        Path dir = parent.resolve(stamp);
        for (int i = 2; Files.exists(dir); i++) {
            dir = parent.resolve(stamp + "-" + i);
        }
        return Files.createDirectories(dir);
    }

    /**
     * Runs a child process, copying its standard output to our standard error line by line as
     * it comes (standard output stays free for the summary or the JSON) and keeping the lines
     * in {@code lines} if given; without {@code lines} its standard error goes the same way.
     * The child and its own children die with us. Returns the exit code.
     */
    private static int run(final ProcessBuilder builder, final List<String> lines) throws IOException, InterruptedException {
        if (lines == null) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        final Process process = builder.start();
        final Thread killer = new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        });
        Runtime.getRuntime().addShutdownHook(killer);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                System.err.println(line);
                if (lines != null) {
                    lines.add(line);
                }
            }
        }
        final int exit = process.waitFor();
        Runtime.getRuntime().removeShutdownHook(killer);
        return exit;
    }
}
