package doms.evidence;

import doms.report.Plots;
import doms.shm.FileTrees;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coverage-guided campaigns of hostile input against the switch and the guest (the fuzz module):
 * JQF instruments the targets and runs their {@code @Fuzz} methods; the module's own guidance
 * ({@code doms.fuzz.campaign.Campaign}) picks the inputs. One JVM per target.
 */
public final class Fuzz {
    public static final String CLASS = "doms.fuzz.IngressFuzz";
    /** The virtio-net header and software segmentation (offloads), in a class of its own. */
    public static final String VNET_CLASS = "doms.fuzz.VnetHeaderFuzz";
    /** A compromised switch against the guest: its attach, its receive path, its TAP bridge's RX path. */
    public static final String GUEST_CLASS = "doms.fuzz.GuestSideFuzz";
    public static final List<String> TARGETS = List.of("structured", "raw", "uplink", "race", "guest", "attach", "tap", "vnet");
    static final String CAMPAIGN = "doms.fuzz.campaign.Campaign";

    /**
     * The fuzz module's targets need doms-impl: install it together with what it needs (the
     * parent POM, hence -am), in one reactor that also compiles the targets and writes the
     * campaign's class path (fuzz/target/campaign.classpath). Nothing else may have installed
     * anything before.
     */
    static final List<String> BUILD = List.of("-pl", "fuzz", "-am", "install", "-DskipTests");

    private Fuzz() {
    }

    /** The longest input of a target: the frame targets take up to 64 KiB, the rest at most a slot's worth. */
    static int maxLength(final String target) {
        return switch (target) {
            case "vnet", "uplink" -> 70_000;
            default -> 8_192;
        };
    }

    /** The class holding a target's {@code @Fuzz} method. */
    static String classOf(final String target) {
        return switch (target) {
            case "vnet" -> VNET_CLASS;
            case "guest", "attach", "tap" -> GUEST_CLASS;
            default -> CLASS;
        };
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

    /**
     * Builds the targets, then runs a campaign per target into {@code report}/TARGET, each until
     * {@code seconds} have passed or {@code executions} inputs have run.
     */
    public static FuzzResult run(final String target, final long seconds, final long executions, final Path report)
            throws IOException, InterruptedException {
        final List<String> targets = target == null ? TARGETS : List.of(target);
        Files.createDirectories(report);
        build();
        final List<FuzzResult.Campaign> campaigns = new ArrayList<>();
        for (final String t : targets) {
            campaigns.add(campaign(ProjectHome.dir(), t, seconds, executions, report.resolve(t)));
        }
        return new FuzzResult(target == null ? "all" : target, List.copyOf(campaigns), report);
    }

    /**
     * The campaign JVM's command: JQF and the engine on its class path; the targets and doms-impl
     * (everything built in this project) only behind JQF's instrumenting loader, so that they
     * are loaded instrumented.
     */
    static List<String> command(final Path home, final String t, final long seconds, final long executions, final Path dir)
            throws IOException {
        final Path fuzz = home.resolve("fuzz/target");
        final Path classpathFile = fuzz.resolve("campaign.classpath");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IOException("no " + classpathFile + ": the fuzz module's build writes it");
        }
        final List<String> instrumented = new ArrayList<>(List.of(fuzz.resolve("test-classes").toString()));
        final List<String> engine = new ArrayList<>(List.of(fuzz.resolve("classes").toString()));
        for (final String entry : Files.readString(classpathFile).strip().split(File.pathSeparator)) {
            final Path p = Path.of(entry).toAbsolutePath().normalize();
            (p.startsWith(home.toAbsolutePath().normalize()) || p.getFileName().toString().startsWith("doms-") ? instrumented : engine).add(entry);
        }
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx2g", "-cp", String.join(File.pathSeparator, engine), CAMPAIGN,
                "--class", classOf(t), "--method", t, "--instrument", String.join(File.pathSeparator, instrumented),
                "--out", dir.toString(), "--seeds", home.resolve("fuzz/src/test/resources/corpus").resolve(t).toString(),
                "--time", String.valueOf(seconds), "--max-length", String.valueOf(maxLength(t))));
        if (executions != Long.MAX_VALUE) {
            command.addAll(List.of("--executions", String.valueOf(executions)));
        }
        return command;
    }

    private static FuzzResult.Campaign campaign(final Path home, final String t, final long seconds, final long executions, final Path dir)
            throws IOException, InterruptedException {
        FileTrees.delete(dir);
        Files.createDirectories(dir);
        final Process p = new ProcessBuilder(command(home, t, seconds, executions, dir))
                .redirectOutput(dir.resolve("fuzz.out").toFile()).redirectErrorStream(true).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        final Path plotData = dir.resolve("plot_data");
        final long start = System.nanoTime();
        final String limit = executions == Long.MAX_VALUE ? seconds + " s" : String.format("%,d executions", executions);
        while (!p.waitFor(2, TimeUnit.SECONDS)) {
            final PlotData.Row last = PlotData.last(plotData);
            System.err.printf("fuzz %s: %3d s (of %s), %,d executions (%,d/s), %,d branches, %d failures%n", t,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), limit, last.executions(),
                    last.execsPerSecond(), last.coveredProbes(), last.crashes());
        }
        final Map<String, String> summary = properties(dir.resolve("summary.properties"));
        if (p.exitValue() > 1 || summary.isEmpty()) {
            throw new IOException("the campaign of " + t + " failed (exit status " + p.exitValue() + "); see " + dir.resolve("fuzz.out"));
        }
        final List<String> repro = new ArrayList<>();
        try (var files = Files.list(dir.resolve("failures"))) {
            for (final Path f : files.sorted().toList()) {
                repro.add("./doms fuzz --target " + t + " --repro " + f);
            }
        }
        final List<PlotData.Row> rows = PlotData.read(plotData);
        final Path png = dir.resolve("coverage.png");
        final long t0 = rows.isEmpty() ? 0 : rows.getFirst().unixTime();
        Plots.line(png, "coverage: " + t, "seconds", "branches covered",
                List.of(new Plots.Series(t, rows.stream().map(r -> new double[] {r.unixTime() - t0, r.coveredProbes()}).toList())), false);
        Files.writeString(dir.resolve("repro.txt"), String.join("\n", repro) + (repro.isEmpty() ? "" : "\n"));
        return new FuzzResult.Campaign(t, Long.parseLong(summary.get("executions")), Long.parseLong(summary.get("branches_covered")),
                Double.parseDouble(summary.get("seconds")), Long.parseLong(summary.get("executions_per_s")), outcomes(dir.resolve("outcomes.tsv")),
                dir, png, List.copyOf(repro));
    }

    /** The campaign's outcomes.tsv (count, tab, outcome), in its order; empty when missing. */
    static Map<String, Long> outcomes(final Path tsv) throws IOException {
        final Map<String, Long> outcomes = new LinkedHashMap<>();
        if (Files.isRegularFile(tsv)) {
            for (final String line : Files.readAllLines(tsv)) {
                final int tab = line.indexOf('\t');
                if (tab > 0) {
                    outcomes.put(line.substring(tab + 1), Long.parseLong(line.substring(0, tab)));
                }
            }
        }
        return outcomes;
    }

    /** A key=value file, empty when missing. */
    static Map<String, String> properties(final Path file) throws IOException {
        final Map<String, String> map = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            for (final String line : Files.readAllLines(file)) {
                final int eq = line.indexOf('=');
                if (eq > 0) {
                    map.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
        }
        return map;
    }
}
