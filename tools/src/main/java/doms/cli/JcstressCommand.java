package doms.cli;

import doms.shm.FileTrees;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Builds and runs the jcstress suite of the ring (stress/) and summarises what it found. */
@Command(name = "jcstress", mixinStandardHelpOptions = true,
        description = {"Runs the jcstress tests of the ring (stress/, package doms.stress) on",
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
                "They are expected to FAIL: that shows the suite detects a broken ring",
                "(the exit code is then 1).",
                "",
                "Exit codes: 0 no forbidden outcome, 1 a test failed or jcstress did not",
                "finish, 2 bad usage or the stress jar could not be built."})
final class JcstressCommand implements Callable<Integer> {
    /** Every test of the suite except the negative controls. */
    static final String DEFAULT_TESTS = "^doms\\.stress\\.(?!NegativeControl)";
    /** Only the negative controls. */
    static final String NEGATIVE_CONTROL_TESTS = "^doms\\.stress\\.NegativeControl";

    @Option(names = "--mode", defaultValue = "quick", paramLabel = "MODE",
            description = "quick, default or tough (default ${DEFAULT-VALUE}; see Modes below)")
    String mode;

    @Option(names = "--tests", paramLabel = "REGEX",
            description = "tests whose class name contains a match of REGEX (default: all but the negative controls)")
    String tests;

    @Option(names = "--negative-control", description = "run only the negative controls (expected to fail)")
    boolean negativeControl;

    @Option(names = "--json", description = "print one JSON object instead of the summary")
    boolean json;

    @Override
    public Integer call() throws Exception {
        final List<String> modeArguments = modeArguments(mode);
        if (negativeControl && tests != null) {
            throw new IllegalArgumentException("--negative-control and --tests cannot be combined");
        }
        final String selection = negativeControl ? NEGATIVE_CONTROL_TESTS : tests != null ? tests : DEFAULT_TESTS;
        try {
            Pattern.compile(selection);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--tests is not a regular expression: " + e.getDescription());
        }
        final Path home = MavenRunner.home();
        final Path jar = home.resolve("stress/target/jcstress.jar");
        if (FileTrees.stale(home, jar, List.of("pom.xml", "stress/pom.xml", "stress/src/main", "impl/pom.xml", "impl/src/main"))) {
            final ProcessBuilder build = MavenRunner.builder(List.of("-pl", "stress", "-am", "package", "-DskipTests"));
            System.err.println("jcstress: building " + home.relativize(jar) + " (missing or older than the sources) ...");
            if (run(build, null) != 0 || !Files.isRegularFile(jar)) {
                System.err.println("jcstress: the build of the stress jar failed (see above)");
                return ExitCodes.FAILED; // like fuzz and bench: a failed build is a failed run, not bad usage
            }
        }

        final Path reportDir = newReportDirectory(home.resolve("reports/jcstress"));
        final List<String> command = new ArrayList<>(List.of(JavaProcess.javaExecutable(), "--enable-native-access=ALL-UNNAMED",
                "-jar", jar.toString()));
        command.addAll(modeArguments);
        command.addAll(List.of("-t", selection, "-r", reportDir.toString()));
        if (!json) {
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
            deleteQuietly(reportDir);
            throw new IllegalArgumentException("no jcstress test matches /" + selection + "/");
        }
        final Summary summary = Summary.parse(output);
        if (summary == null) {
            System.err.println("jcstress: jcstress did not finish (exit " + exit + ", no RUN RESULTS; see above)");
            return ExitCodes.FAILED;
        }
        // jcstress 0.16 exits 1 (an AssertionError listing them) exactly when some test failed.
        final boolean consistent = (exit == 0) == summary.failed().isEmpty();
        if (!consistent) {
            System.err.println("jcstress: jcstress exited " + exit + " but its summary lists "
                    + summary.failed().size() + " failed tests: treating the run as failed");
        }
        final Path index = summary.report() != null ? Path.of(summary.report()) : reportDir.resolve("index.html");

        if (json) {
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("mode", mode);
            out.put("tests", summary.tests());
            out.put("passed", summary.passed());
            out.put("failed", summary.failed().size());
            out.put("interesting", summary.interesting().size());
            out.put("report", index.toString());
            out.put("failed_tests", List.copyOf(summary.failed()));
            out.put("forbidden_outcomes", summary.forbidden());
            out.put("seconds", seconds);
            System.out.println(Json.write(out));
        } else {
            System.out.printf("jcstress %s: %d tests in %d s%n", mode, summary.tests(), seconds);
            System.out.printf("  %5s  %6s  %6s  %11s%n", "tests", "passed", "failed", "interesting");
            System.out.printf("  %5d  %6d  %6d  %11d%n", summary.tests(), summary.passed(), summary.failed().size(), summary.interesting().size());
            for (final String name : summary.failed()) {
                System.out.println("  FAILED      " + name);
            }
            for (final String seen : summary.forbidden()) {
                System.out.println("  forbidden   " + seen);
            }
            for (final String name : summary.interesting()) {
                System.out.println("  interesting " + name);
            }
            System.out.println("  report: " + index);
        }
        if (negativeControl) {
            (json ? System.err : System.out).println(summary.failed().isEmpty()
                    ? "jcstress: the negative control did NOT fail this time: no forbidden outcome was observed, so this run demonstrates nothing"
                    : "jcstress: the negative control FAILED, as expected: the suite detects a broken ring (this is the demonstration; exit 1)");
        }
        return consistent && summary.tests() > 0 && summary.failed().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The jcstress options for one of our modes. */
    static List<String> modeArguments(final String mode) {
        return switch (mode) {
            case "quick" -> List.of("-m", "quick", "-sc", "false", "-time", "100", "-iters", "3", "-strideCount", "8");
            case "default" -> List.of("-m", "default");
            case "tough" -> List.of("-m", "tough");
            default -> throw new IllegalArgumentException("--mode must be quick, default or tough, got '" + mode + "'");
        };
    }

    private static Path newReportDirectory(final Path parent) throws IOException {
        Files.createDirectories(parent);
        final Path first = MavenRunner.timestamped(parent);
        final String stamp = first.getFileName().toString();
        Path dir = first;
        for (int i = 2; Files.exists(dir); i++) {
            dir = parent.resolve(stamp + "-" + i);
        }
        return Files.createDirectories(dir);
    }

    private static void deleteQuietly(final Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // an empty report directory left behind is harmless
        }
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

    /**
     * What the "RUN RESULTS:" part of jcstress's output says, per test (results merged across
     * JVM configurations). jcstress prints every interesting, failed and error test by name with
     * its label ("[OK]", "[FAILED]", "[ERROR]", ...) and only counts the remaining ones, which
     * passed. A test listed as interesting may also have failed.
     */
    record Summary(int tests, TreeSet<String> failed, TreeSet<String> interesting, List<String> forbidden, String report) {
        private static final Pattern SECTION = Pattern.compile(
                "^\\s*(Interesting tests|Failed tests|Error tests|All remaining tests): (?:No matches\\.|(\\d+) matching test results?\\..*)$");
        private static final Pattern TEST = Pattern.compile("^\\s*\\.*\\s*\\[([A-Z ]+)]\\s+(\\S+)\\s*$");
        private static final Pattern REPORT = Pattern.compile("^\\s*HTML report generated at (.+)$");
        /** A row of a result table: outcome, samples, frequency, expectation, description. */
        private static final Pattern FORBIDDEN_ROW = Pattern.compile("^\\s*(.+?)\\s+([\\d,]+)\\s+[\\d.]+%\\s+Forbidden\\s+(.*)$");

        int passed() {
            return tests - failed.size();
        }

        /** Parses jcstress's standard output; null when it has no complete "RUN RESULTS:" part. */
        static Summary parse(final List<String> lines) {
            int i = 0;
            while (i < lines.size() && !lines.get(i).strip().equals("RUN RESULTS:")) {
                i++;
            }
            if (i == lines.size()) {
                return null;
            }
            final TreeSet<String> named = new TreeSet<>();
            final TreeSet<String> failed = new TreeSet<>();
            final TreeSet<String> interesting = new TreeSet<>();
            final List<String> forbidden = new ArrayList<>();
            String section = null;
            String test = null;
            int remaining = -1;
            String report = null;
            for (i++; i < lines.size(); i++) {
                final String line = lines.get(i);
                final Matcher s = SECTION.matcher(line);
                if (s.matches()) {
                    section = s.group(1);
                    if (section.equals("All remaining tests")) {
                        remaining = s.group(2) == null ? 0 : Integer.parseInt(s.group(2));
                    }
                    continue;
                }
                final Matcher r = REPORT.matcher(line);
                if (r.matches()) {
                    report = r.group(1).strip();
                    continue;
                }
                final Matcher row = FORBIDDEN_ROW.matcher(line);
                if (row.matches() && "Failed tests".equals(section) && test != null) {
                    final long samples = Long.parseLong(row.group(2).replace(",", ""));
                    if (samples > 0) {
                        forbidden.add(test + ": " + row.group(1) + " seen " + row.group(2) + " times (" + row.group(3).strip() + ")");
                    }
                    continue;
                }
                final Matcher t = TEST.matcher(line);
                if (t.matches() && section != null && !section.equals("All remaining tests")) {
                    final String label = t.group(1).strip();
                    final String name = t.group(2);
                    test = name;
                    named.add(name);
                    if (section.equals("Interesting tests")) {
                        interesting.add(name);
                    }
                    if (!label.equals("OK") && !label.equals("SKIPPED") || !section.equals("Interesting tests")) {
                        failed.add(name);
                    }
                }
            }
            if (remaining < 0) {
                return null;
            }
            return new Summary(named.size() + remaining, failed, interesting, forbidden, report);
        }
    }
}
