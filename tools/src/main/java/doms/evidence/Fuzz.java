package doms.evidence;

import doms.report.Plots;
import doms.shm.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JQF (Zest) campaigns of hostile guest memory against the switch's ingress (the fuzz module), through Maven. */
public final class Fuzz {
    public static final String CLASS = "doms.fuzz.IngressFuzz";
    /** The virtio-net header and software segmentation (offloads), in a class of its own. */
    public static final String VNET_CLASS = "doms.fuzz.VnetHeaderFuzz";
    public static final List<String> TARGETS = List.of("structured", "raw", "uplink", "guest", "attach", "race", "vnet");

    /**
     * jqf:fuzz runs on the fuzz module alone, so it resolves doms-impl from the local repository:
     * install it together with what it needs (the parent POM, hence -am), in one reactor that
     * also compiles the fuzz targets. Nothing else may have installed anything before.
     */
    /**
     * JQF's own lighter instrumentation: one counter per branch arm in a fixed array instead of
     * an event object per branch taken, and Zest keeping coverage in the matching array. Not for
     * {@code race}, whose attacker thread runs instrumented code at the same time as the switch:
     * there it ran three times slower than with the default instrumentation (106 against 332
     * executions/s, 20 s each, same machine).
     */
    static final String FAST_COVERAGE = "-DuseFastNonCollidingCoverageInstrumentation=true";

    static final List<String> BUILD = List.of("-pl", "fuzz", "-am", "install", "-DskipTests");

    private Fuzz() {
    }

    /** The class holding a target's {@code @Fuzz} method. */
    static String classOf(final String target) {
        return target.equals("vnet") ? VNET_CLASS : CLASS;
    }

    /** A campaign's duration in seconds: {@code 60s}, {@code 90}, {@code 10m}, {@code 1h}; 1 s to 7 days. */
    public static long seconds(final String duration) {
        final Matcher m = Pattern.compile("(\\d+)([smh]?)").matcher(duration.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad duration '" + duration + "': expected e.g. 60s, 10m or 1h");
        }
        final long n = Long.parseLong(m.group(1));
        final long s = switch (m.group(2)) {
            case "m" -> n * 60;
            case "h" -> n * 3600;
            default -> n;
        };
        if (s < 1 || s > 7 * 24 * 3600) {
            throw new IllegalArgumentException("duration must be 1 s to 7 days, got '" + duration + "'");
        }
        return s;
    }

    public static void build() throws IOException, InterruptedException {
        System.err.println("fuzz: building the fuzz targets ...");
        if (!Maven.run(BUILD)) {
            throw new IOException("building the fuzz module failed (see above)");
        }
    }

    /** Runs one saved input of a target again, Maven's output on ours; true when it passed. */
    public static boolean repro(final String target, final Path input) throws IOException, InterruptedException {
        build();
        return Maven.run(List.of("-pl", "fuzz", "jqf:repro", "-Dclass=" + classOf(target), "-Dmethod=" + target,
                "-Dinput=" + input.toAbsolutePath()));
    }

    /** Builds the targets, then runs a campaign of {@code seconds} per target into {@code report}/TARGET. */
    public static FuzzResult run(final String target, final long seconds, final Path report) throws IOException, InterruptedException {
        final List<String> targets = target == null ? TARGETS : List.of(target);
        Files.createDirectories(report);
        build();
        final List<FuzzResult.Campaign> campaigns = new ArrayList<>();
        for (final String t : targets) {
            campaigns.add(campaign(ProjectHome.dir(), t, seconds, report.resolve(t)));
        }
        return new FuzzResult(target == null ? "all" : target, List.copyOf(campaigns), report);
    }

    private static FuzzResult.Campaign campaign(final Path home, final String t, final long seconds, final Path dir)
            throws IOException, InterruptedException {
        final Path results = home.resolve("fuzz/target/fuzz-results").resolve(classOf(t)).resolve(t);
        FileTrees.delete(results);
        Files.createDirectories(dir);
        final Path seeds = home.resolve("fuzz/src/test/resources/corpus").resolve(t);
        final Process p = Maven.builder(List.of("-pl", "fuzz", "jqf:fuzz", "-Dclass=" + classOf(t), "-Dmethod=" + t,
                        "-Dtime=" + seconds + "s", "-Dquiet", "-Din=" + seeds,
                        t.equals("race") ? "-DuseFastNonCollidingCoverageInstrumentation=false" : FAST_COVERAGE))
                .redirectOutput(dir.resolve("fuzz.out").toFile()).redirectErrorStream(true).start();
        final Path plotData = results.resolve("plot_data");
        final long start = System.nanoTime();
        while (!p.waitFor(2, TimeUnit.SECONDS)) {
            final PlotData.Row last = PlotData.last(plotData);
            System.err.printf("fuzz %s: %3d/%d s, %,d executions (%,.0f/s), %,d branches, %d failures%n", t,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), seconds, last.executions(),
                    (double) last.execsPerSecond(), last.coveredProbes(), last.crashes());
        }
        final List<PlotData.Row> rows = PlotData.read(plotData);
        final PlotData.Row last = rows.isEmpty() ? PlotData.Row.NONE : rows.getLast();
        final Path failuresDir = results.resolve("failures");
        final List<String> repro = new ArrayList<>();
        if (Files.isDirectory(failuresDir)) {
            Files.createDirectories(dir.resolve("failures"));
            try (var files = Files.list(failuresDir)) {
                for (final Path f : files.sorted().toList()) {
                    final Path copy = dir.resolve("failures").resolve(f.getFileName());
                    Files.copy(f, copy, StandardCopyOption.REPLACE_EXISTING);
                    repro.add("./doms fuzz --target " + t + " --repro " + copy);
                }
            }
        }
        if (Files.isRegularFile(plotData)) {
            Files.copy(plotData, dir.resolve("plot_data"), StandardCopyOption.REPLACE_EXISTING);
        }
        final Path png = dir.resolve("coverage.png");
        final long t0 = rows.isEmpty() ? 0 : rows.getFirst().unixTime();
        Plots.line(png, "JQF coverage: " + t, "seconds", "branches covered",
                List.of(new Plots.Series(t, rows.stream().map(r -> new double[] {r.unixTime() - t0, r.coveredProbes()}).toList())), false);
        if (p.exitValue() != 0 && repro.isEmpty()) {
            throw new IOException("the fuzzing run of " + t + " failed without saving a failure; see " + dir.resolve("fuzz.out"));
        }
        Files.writeString(dir.resolve("repro.txt"), String.join("\n", repro) + (repro.isEmpty() ? "" : "\n"));
        return new FuzzResult.Campaign(t, last.executions(), last.coveredProbes(), seconds, dir, png, List.copyOf(repro));
    }
}
