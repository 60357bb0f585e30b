package doms.cli;

import doms.evidence.Maven;
import doms.evidence.ProjectHome;
import doms.shm.FileTrees;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The benchmark suite: builds bench/target/doms-bench.jar when it is missing or older than the
 * sources, then runs its driver as a child JVM with the options passed through.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"The paper's evaluation against Agrona, TCP and a Unix socket.", "",
                "Reproduces the paper's evaluation (Figures 3, 4 and 5) against baselines in",
                "the same run: Agrona's OneToOneRingBuffer over /dev/shm, TCP over 127.0.0.1 and",
                "a Unix domain socket, each between two processes; plus round-trip latency",
                "(HdrHistogram), the switch's frames/s with 2, 4 and 8 guests, the idle cost of",
                "each polling strategy and JMH microbenchmarks of offer and poll. Writes CSV",
                "files, PNG plots and summary.md (ratios ours/baseline, targets met or missed,",
                "the machine) into the results folder. Builds bench/target/doms-bench.jar first",
                "when it is missing or older than the sources."},
        footer = {"", "Figures: fig3, fig4, fig5, latency, switch, idle, jmh, trace.",
                "Exit codes: 0 every figure ran, 1 a figure failed (or the build did), 2 bad usage."})
final class BenchCommand implements Callable<Integer> {
    static final String DRIVER = "doms.bench.BenchMain";
    static final String JAR = "bench/target/doms-bench.jar";
    @Mixin
    BenchOptions options = new BenchOptions();

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
        final List<String> flags = new ArrayList<>(BenchOptions.JVM_FLAGS);
        flags.add("-Ddoms.home=" + home);
        final List<String> command = JavaProcess.command(flags, jar.toString(), DRIVER, driverArgs());
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

    List<String> driverArgs() {
        return options.driverArgs();
    }

    /** True when the jar is missing or any bench or impl source (or a pom) is newer. */
    static boolean stale(final Path home, final Path jar) throws IOException {
        return FileTrees.stale(home, jar, List.of("pom.xml", "bench/pom.xml", "impl/pom.xml", "tools/pom.xml", "bench/src/main", "impl/src/main", "tools/src/main"));
    }

    /** Maven's output goes to standard error: standard output is kept for --json. */
    private static boolean build() throws IOException, InterruptedException {
        return Maven.run(List.of("-pl", "bench", "-am", "install", "-DskipTests"));
    }
}
