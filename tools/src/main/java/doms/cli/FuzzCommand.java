package doms.cli;

import doms.report.Plots;
import doms.shm.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** JQF (Zest) campaigns of hostile guest memory against the switch's ingress. */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = {"Runs a coverage-guided JQF (Zest) campaign per target against the switch's ingress: a real switch",
                "over a real shared slot whose guest-writable bytes come from the fuzzer. Targets: structured",
                "(mostly valid rings and frames with targeted corruption), raw (raw positions and ring bytes) and",
                "uplink (a datagram from the network against the VXLAN uplink) and guest (a compromised switch's RX ring",
                "against the guest's receive path).",
                "Writes a report folder with each target's figures, a coverage-over-time plot and every failure."},
        footer = {"", "Exit codes: 0 no failure, 1 a failure was found (or a repro failed), 2 bad usage."})
final class FuzzCommand implements Callable<Integer> {
    static final String CLASS = "doms.fuzz.IngressFuzz";
    static final List<String> TARGETS = List.of("structured", "raw", "uplink", "guest");

    @Option(names = "--time", defaultValue = "60s", paramLabel = "DURATION", description = "per target, e.g. 60s, 10m, 1h (default ${DEFAULT-VALUE})")
    String time;

    @Option(names = "--target", paramLabel = "NAME", description = "one target (structured, raw, uplink or guest); default all")
    String target;

    @Option(names = "--repro", paramLabel = "FILE", description = "run one saved input of --target again and show what happens")
    Path repro;

    @Option(names = "--out", paramLabel = "DIR", description = "report folder (default reports/fuzz/TIMESTAMP)")
    Path out;

    @Option(names = "--json", description = "print one JSON object at the end")
    boolean json;

    @Override
    public Integer call() throws Exception {
        final List<String> targets = target == null ? TARGETS : List.of(target);
        if (target != null && !TARGETS.contains(target)) {
            throw new IllegalArgumentException("--target must be one of " + TARGETS);
        }
        final long seconds = seconds(time);
        if (repro != null) {
            if (target == null) {
                throw new IllegalArgumentException("--repro needs --target");
            }
            if (!Files.isRegularFile(repro)) {
                throw new IllegalArgumentException("no such input: " + repro);
            }
            build();
            return MavenRunner.run(List.of("-pl", "fuzz", "jqf:repro", "-Dclass=" + CLASS, "-Dmethod=" + target,
                    "-Dinput=" + repro.toAbsolutePath())) ? ExitCodes.OK : ExitCodes.FAILED;
        }
        final Path home = MavenRunner.home();
        final Path report = out != null ? out : MavenRunner.timestamped(home.resolve("reports").resolve("fuzz"));
        Files.createDirectories(report);
        build();
        final List<Map<String, Object>> rows = new ArrayList<>();
        long failures = 0;
        for (final String t : targets) {
            final Map<String, Object> row = campaign(home, t, seconds, report.resolve(t));
            rows.add(row);
            failures += (long) row.get("failures");
        }
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("target", target == null ? "all" : target);
        summary.put("executions", rows.stream().mapToLong(r -> (long) r.get("executions")).sum());
        summary.put("branches_covered", rows.stream().mapToLong(r -> (long) r.get("branches_covered")).sum());
        summary.put("failures", failures);
        summary.put("report", report.toString());
        summary.put("targets", rows);
        Files.writeString(report.resolve("summary.json"), Json.write(summary) + "\n");
        if (json) {
            System.out.println(Json.write(summary));
        } else {
            System.out.printf("%-12s %12s %10s %9s  %s%n", "target", "executions", "branches", "failures", "plot");
            for (final Map<String, Object> r : rows) {
                System.out.printf("%-12s %,12d %,10d %9d  %s%n", r.get("target"), r.get("executions"), r.get("branches_covered"),
                        r.get("failures"), r.get("plot"));
                for (final Object repro : (List<?>) r.getOrDefault("repro", List.of())) {
                    System.out.println("  repro: " + repro);
                }
            }
            System.out.println("fuzz: report in " + report + (failures == 0 ? "" : "; " + failures + " FAILURE(S): the repro commands above run each again"));
        }
        return failures == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /**
     * jqf:fuzz runs on the fuzz module alone, so it resolves doms-impl from the local repository:
     * install it together with what it needs (the parent POM, hence -am), in one reactor that
     * also compiles the fuzz targets. Nothing else may have installed anything before.
     */
    private static void build() throws IOException, InterruptedException {
        System.err.println("fuzz: building the fuzz targets ...");
        if (!MavenRunner.run(BUILD)) {
            throw new IOException("building the fuzz module failed (see above)");
        }
    }

    static final List<String> BUILD = List.of("-pl", "fuzz", "-am", "install", "-DskipTests");

    static long seconds(final String duration) {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([smh]?)").matcher(duration.trim());
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

    private Map<String, Object> campaign(final Path home, final String t, final long seconds, final Path dir) throws Exception {
        final Path results = home.resolve("fuzz/target/fuzz-results").resolve(CLASS).resolve(t);
        FileTrees.delete(results);
        Files.createDirectories(dir);
        final Path seeds = home.resolve("fuzz/src/test/resources/corpus").resolve(t);
        final Process p = MavenRunner.builder(List.of("-pl", "fuzz", "jqf:fuzz", "-Dclass=" + CLASS, "-Dmethod=" + t,
                        "-Dtime=" + seconds + "s", "-Dquiet", "-Din=" + seeds))
                .redirectOutput(dir.resolve("fuzz.out").toFile()).redirectErrorStream(true).start();
        final Path plotData = results.resolve("plot_data");
        final long start = System.nanoTime();
        while (!p.waitFor(2, TimeUnit.SECONDS)) {
            final long[] last = lastFigures(plotData);
            System.err.printf("fuzz %s: %3d/%d s, %,d executions (%,.0f/s), %,d branches, %d failures%n", t,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), seconds, last[0], (double) last[3], last[1], last[2]);
        }
        final List<long[]> rows = figures(plotData);
        final long[] last = rows.isEmpty() ? new long[4] : rows.getLast();
        final Path failuresDir = results.resolve("failures");
        final List<String> failureFiles = new ArrayList<>();
        if (Files.isDirectory(failuresDir)) {
            Files.createDirectories(dir.resolve("failures"));
            try (var files = Files.list(failuresDir)) {
                for (final Path f : files.sorted().toList()) {
                    final Path copy = dir.resolve("failures").resolve(f.getFileName());
                    Files.copy(f, copy, StandardCopyOption.REPLACE_EXISTING);
                    failureFiles.add("./doms fuzz --target " + t + " --repro " + copy);
                }
            }
        }
        if (Files.isRegularFile(plotData)) {
            Files.copy(plotData, dir.resolve("plot_data"), StandardCopyOption.REPLACE_EXISTING);
        }
        final Path png = dir.resolve("coverage.png");
        final long t0 = rows.isEmpty() ? 0 : rows.getFirst()[4];
        Plots.line(png, "JQF coverage: " + t, "seconds", "branches covered",
                List.of(new Plots.Series(t, rows.stream().map(r -> new double[] {r[4] - t0, r[1]}).toList())), false);
        if (p.exitValue() != 0 && failureFiles.isEmpty()) {
            throw new IOException("the fuzzing run of " + t + " failed without saving a failure; see " + dir.resolve("fuzz.out"));
        }
        Files.writeString(dir.resolve("repro.txt"), String.join("\n", failureFiles) + (failureFiles.isEmpty() ? "" : "\n"));
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("target", t);
        row.put("executions", last[0]);
        row.put("branches_covered", last[1]);
        row.put("failures", (long) failureFiles.size());
        row.put("seconds", seconds);
        row.put("report", dir.toString());
        row.put("plot", png.toString());
        row.put("repro", failureFiles);
        return row;
    }

    /** executions, covered probes, unique crashes, execs/s, unix time: for each plot_data line. */
    static List<long[]> figures(final Path plotData) throws IOException {
        final List<long[]> rows = new ArrayList<>();
        if (!Files.isRegularFile(plotData)) {
            return rows;
        }
        for (final String line : Files.readAllLines(plotData)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            final String[] f = line.split(",\\s*");
            if (f.length < 15) {
                continue;
            }
            rows.add(new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[14]), Long.parseLong(f[7]),
                    Math.round(Double.parseDouble(f[10])), Long.parseLong(f[0])});
        }
        return rows;
    }

    private static long[] lastFigures(final Path plotData) {
        try {
            final List<long[]> rows = figures(plotData);
            return rows.isEmpty() ? new long[5] : rows.getLast();
        } catch (IOException | RuntimeException e) {
            return new long[5];
        }
    }

}
