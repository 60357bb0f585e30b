package doms.fuzz.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignTest {
    /**
     * The engine in its own JVM, as {@code ./doms fuzz} runs it: the test classes only behind
     * JQF's instrumenting loader. It must find the planted failure (guidance works), save the
     * input that reaches it, and exit 1.
     */
    @Test
    void findsAFailureBehindFourNestedComparisons(@TempDir final Path out) throws Exception {
        final List<String> cp = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        final String testClasses = cp.stream().filter(e -> e.endsWith("test-classes")).findFirst().orElseThrow();
        final String engine = cp.stream().filter(e -> !e.endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
        final Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", engine,
                Campaign.class.getName(), "--class", PlantedBug.class.getName(), "--method", "magic", "--instrument", testClasses,
                "--out", out.toString(), "--time", "120", "--executions", "2000000", "--random-seed", "1")
                .redirectErrorStream(true).redirectOutput(out.resolve("campaign.out").toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        final String log = Files.readString(out.resolve("campaign.out"));
        assertThat(p.exitValue()).as(log).isEqualTo(1);
        try (Stream<Path> failures = Files.list(out.resolve("failures"))) {
            final List<Path> saved = failures.toList();
            assertThat(saved).hasSize(1);
            assertThat(new String(Files.readAllBytes(saved.getFirst()), 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("DOMS");
        }
        assertThat(Files.readString(out.resolve("failures.log"))).contains("planted bug reached");
        final Map<String, String> summary = Files.readAllLines(out.resolve("summary.properties")).stream()
                .map(l -> l.split("=", 2)).collect(Collectors.toMap(a -> a[0], a -> a[1]));
        assertThat(Long.parseLong(summary.get("executions"))).isPositive().isLessThanOrEqualTo(2_000_000);
        assertThat(Long.parseLong(summary.get("failures"))).isEqualTo(1);
        assertThat(Files.readString(out.resolve("plot_data"))).startsWith("# unix_time,");
    }

    @Test
    void aNewSiteOrANewHitCountBucketIsNewCoverage() {
        final EdgeCounts run = new EdgeCounts();
        final CoverageMap map = new CoverageMap();
        run.logJump(10, 1);
        assertThat(map.absorb(run)).isTrue();
        run.logJump(10, 1);
        assertThat(map.absorb(run)).as("the same site, the same count").isFalse();
        run.logJump(10, 1);
        run.logJump(10, 1);
        assertThat(map.absorb(run)).as("the same site twice: a new bucket").isTrue();
        run.logJump(10, 0);
        assertThat(map.absorb(run)).as("the other arm").isTrue();
        assertThat(map.sites()).isEqualTo(2);
        for (int i = 0; i < 1000; i++) {
            run.logMethodBegin(7);
        }
        assertThat(map.absorb(run)).isTrue();
        assertThat(run.touchedCount).as("absorbing clears the run").isZero();
        assertThat(CoverageMap.bucket(1)).isEqualTo(1);
        assertThat(CoverageMap.bucket(3)).isEqualTo(4);
        assertThat(CoverageMap.bucket(7)).isEqualTo(8);
        assertThat(CoverageMap.bucket(200)).isEqualTo(128);
    }

    @Test
    void childrenStayWithinTheMaximumLengthAndDependOnlyOnTheSeed() {
        final List<byte[]> a = children(42);
        final List<byte[]> b = children(42);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).isEqualTo(b.get(i));
            assertThat(a.get(i).length).isBetween(0, 300);
        }
        assertThat(a.stream().map(Arrays::hashCode).distinct().count()).as("children differ").isGreaterThan(9_000);
    }

    private static List<byte[]> children(final long seed) {
        final Mutator m = new Mutator(new SplittableRandom(seed), 300);
        final List<byte[]> out = new ArrayList<>();
        byte[] parent = new byte[100];
        for (int i = 0; i < 10_000; i++) {
            final byte[] child = m.mutate(parent, out.isEmpty() ? null : out.get(out.size() / 2));
            out.add(child);
            parent = i % 7 == 0 ? child : parent;
        }
        return out;
    }
}
