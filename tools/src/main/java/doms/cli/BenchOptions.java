package doms.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options {@code doms bench} passes through to the benchmark driver (doms.bench.BenchMain):
 * declared once, mixed into both.
 */
public final class BenchOptions {
    /**
     * The flags of the driver JVM and of its workers (doms.bench.Jvm adds the heap). Agrona 2.x
     * reaches {@code jdk.internal.misc.Unsafe} directly: without the export its first buffer fails
     * with IllegalAccessError on JDK 25 (the opens of {@code java.nio} is for unmapping its
     * buffers). Its bounds checks are off, as its documentation advises for speed, so the baseline
     * runs at its fastest. The serial collector keeps GC threads out of the way on 2 cores.
     */
    public static final List<String> JVM_FLAGS = List.of(
            "--enable-native-access=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Dagrona.disable.bounds.checks=true",
            "-XX:+UseSerialGC");

    @Option(names = "--quick", description = "a few points per figure and short trials (under 3 minutes)")
    public boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "results folder (default bench/results/TIMESTAMP)")
    public Path out;

    @Option(names = "--json", description = "print one JSON object: rows (figure, series, x, value, unit, ratio_vs_agrona, ratio_vs_tcp), targets, report")
    public boolean json;

    @Option(names = "--only", paramLabel = "FIGURES", description = "run only these figures, comma-separated (default all)")
    public String only;

    @Option(names = "--warm", paramLabel = "SECONDS", description = "warm-up of each throughput trial (default 0.25 quick, 0.5 full)")
    public Double warm;

    @Option(names = "--measure", paramLabel = "SECONDS", description = "measured part of each throughput trial (default 0.5 quick, 1.5 full)")
    public Double measure;

    @Option(names = "--repeats", paramLabel = "N", description = "trials per point of figures 3-5, median kept (default 1 quick, 3 full)")
    public Integer repeats;

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES", description = "figure 5's message sizes instead of 64..65536")
    public List<Integer> sizes;

    @Option(names = "--polls", split = ",", paramLabel = "STRATEGY", description = "figure 5's polling strategies instead of "
            + "period:50, period:1000, busy, adaptive")
    public List<String> polls;

    /** The options as the driver takes them. */
    public List<String> driverArgs() {
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
            args.addAll(List.of("--only", only));
        }
        if (warm != null) {
            args.addAll(List.of("--warm", warm.toString()));
        }
        if (measure != null) {
            args.addAll(List.of("--measure", measure.toString()));
        }
        if (repeats != null) {
            args.addAll(List.of("--repeats", repeats.toString()));
        }
        if (sizes != null) {
            args.addAll(List.of("--sizes", String.join(",", sizes.stream().map(String::valueOf).toList())));
        }
        if (polls != null) {
            args.addAll(List.of("--polls", String.join(",", polls)));
        }
        return args;
    }
}
