package doms.cli;

import doms.evidence.Maven;
import doms.evidence.ProjectHome;
import doms.shm.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark suite: builds bench/target/doms-bench.jar when it is missing or older than the
 * sources, then runs its driver as a child JVM with the options passed through.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Reproduces the paper's evaluation (Figures 3, 4 and 5) against baselines in",
                "the same run: Agrona's OneToOneRingBuffer over /dev/shm, TCP over 127.0.0.1 and",
                "a Unix domain socket, each between two processes; plus round-trip latency",
                "(HdrHistogram), the switch's frames/s with 2, 4 and 8 guests, the idle cost of",
                "each polling strategy and JMH microbenchmarks of offer and poll. Writes CSV",
                "files, PNG plots and summary.md (ratios ours/baseline, targets met or missed,",
                "the machine) into the results folder. Builds bench/target/doms-bench.jar first",
                "when it is missing or older than the sources."},
        footer = {"", "Figures: fig3, fig4, fig5, latency, switch, idle, jmh.",
                "Exit codes: 0 every figure ran, 1 a figure failed (or the build did), 2 bad usage."})
final class BenchCommand implements Callable<Integer> {
    static final String DRIVER = "doms.bench.BenchMain";
    static final String JAR = "bench/target/doms-bench.jar";
    /** The flags of the driver JVM; its workers get the same (see doms.bench.Jvm). */
    static final List<String> FLAGS = List.of(
            "--enable-native-access=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Dagrona.disable.bounds.checks=true",
            "-XX:+UseSerialGC");

    @Option(names = "--quick", description = "a few points per figure and short trials (under 3 minutes)")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "results folder (default bench/results/TIMESTAMP)")
    Path out;

    @Option(names = "--json", description = "print one JSON object: rows (figure, series, x, value, unit, ratio_vs_agrona, ratio_vs_tcp), targets, report")
    boolean json;

    @Option(names = "--only", paramLabel = "FIGURES", description = "run only these figures, comma-separated (default all)")
    String only;

    @Option(names = "--warm", paramLabel = "SECONDS", description = "warm-up of each throughput trial")
    Double warm;

    @Option(names = "--measure", paramLabel = "SECONDS", description = "measured part of each throughput trial")
    Double measure;

    @Option(names = "--repeats", paramLabel = "N", description = "trials per point of figures 3-5, median kept (default 1 quick, 3 full)")
    Integer repeats;

    @Override
    public Integer call() throws Exception {
        final Path home = ProjectHome.dir();
        final Path jar = home.resolve(JAR);
        if (stale(home, jar)) {
            System.err.println("bench: building " + JAR + " (missing or older than the sources) ...");
            if (!build()) {
                System.err.println("bench: the build failed (see above)");
                return ExitCodes.FAILED;
            }
        }
        final List<String> command = new ArrayList<>();
        command.add(JavaProcess.javaExecutable());
        command.addAll(FLAGS);
        command.add("-Ddoms.home=" + home);
        command.add("-cp");
        command.add(jar.toString());
        command.add(DRIVER);
        command.addAll(driverArgs());
        final Process driver = new ProcessBuilder(command).inheritIO().start();
        final Thread stop = new Thread(() -> {
            driver.descendants().forEach(ProcessHandle::destroy);
            driver.destroy();
        });
        Runtime.getRuntime().addShutdownHook(stop);
        final int code = driver.waitFor();
        Runtime.getRuntime().removeShutdownHook(stop);
        return code;
    }

    /** The options as the driver takes them. */
    List<String> driverArgs() {
        final List<String> args = new ArrayList<>();
        if (quick) {
            args.add("--quick");
        }
        if (out != null) {
            args.add("--out");
            args.add(out.toAbsolutePath().toString());
        }
        if (json) {
            args.add("--json");
        }
        if (only != null) {
            args.add("--only");
            args.add(only);
        }
        if (warm != null) {
            args.add("--warm");
            args.add(warm.toString());
        }
        if (measure != null) {
            args.add("--measure");
            args.add(measure.toString());
        }
        if (repeats != null) {
            args.add("--repeats");
            args.add(repeats.toString());
        }
        return args;
    }

    /** True when the jar is missing or any bench or impl source (or a pom) is newer. */
    static boolean stale(final Path home, final Path jar) throws IOException {
        return FileTrees.stale(home, jar, List.of("pom.xml", "bench/pom.xml", "impl/pom.xml", "tools/pom.xml", "bench/src/main", "impl/src/main", "tools/src/main"));
    }

    /** Maven's output goes to standard error: standard output is kept for --json. */
    private static boolean build() throws IOException, InterruptedException {
        final Process maven = Maven.builder(List.of("-pl", "bench", "-am", "install", "-DskipTests"))
                .redirectErrorStream(true).start();
        try (InputStream in = maven.getInputStream()) {
            in.transferTo(System.err);
        }
        return maven.waitFor() == 0;
    }
}
