package doms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {
    @Test
    void optionsPassThroughToTheDriver(@TempDir final Path dir) {
        final BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs("--quick", "--json", "--out", dir.toString(), "--only", "fig5,latency", "--measure", "2",
                "--sizes", "64,2048", "--polls", "busy,period:50");
        assertThat(command.driverArgs()).containsExactly("--quick", "--out", dir.toAbsolutePath().toString(), "--json",
                "--only", "fig5,latency", "--measure", "2.0", "--sizes", "64,2048", "--polls", "busy,period:50");
        final BenchCommand bare = new BenchCommand();
        new CommandLine(bare).parseArgs();
        assertThat(bare.driverArgs()).isEmpty();
    }

    @Test
    void theJarIsStaleWhenMissingOrOlderThanAnySource(@TempDir final Path home) throws Exception {
        final Path jar = home.resolve(BenchCommand.JAR);
        final Path source = home.resolve("bench/src/main/java/doms/bench/X.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class X {}");
        Files.setLastModifiedTime(source, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(BenchCommand.stale(home, jar)).isTrue();
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
        assertThat(BenchCommand.stale(home, jar)).isFalse();
        Files.setLastModifiedTime(source, FileTime.from(Instant.parse("2026-01-03T00:00:00Z")));
        assertThat(BenchCommand.stale(home, jar)).isTrue();
    }

    @Test
    void helpNamesTheFiguresAndTheBaselines() {
        final java.io.StringWriter out = new java.io.StringWriter();
        new CommandLine(new BenchCommand()).usage(new java.io.PrintWriter(out));
        assertThat(out.toString()).startsWith("Usage: bench").contains("Agrona", "TCP", "--quick", "--json", "fig3, fig4, fig5");
    }
}
