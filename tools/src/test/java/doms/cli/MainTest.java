package doms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    @Test
    void helpListsTheCommandsButNotTheInternalWorker() {
        assertThat(Main.run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("ring-bench", "test").doesNotContain("ring-worker");
    }

    @Test
    void everyCommandHasHelp() {
        for (final String command : new String[] {"demo", "switch", "guest", "pool", "ring-bench", "tlc", "fuzz", "test", "mutate", "control", "trace-check", "verify", "jcstress", "bench"}) {
            out.reset();
            assertThat(Main.run(command, "--help")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: doms " + command);
        }
    }

    /**
     * picocli prints each element of a description or footer on a line of its own and wraps one
     * longer than the usage width (80): a long element followed by more of its paragraph leaves a
     * ragged paragraph, a wrapped line and then a short one. An option's description is wrapped
     * into its column, so it must be one element.
     */
    @Test
    void everyHelpParagraphWrapsCleanly() {
        final java.util.List<String> ragged = new java.util.ArrayList<>();
        for (final picocli.CommandLine command : allCommands(Main.commandLine())) {
            final picocli.CommandLine.Model.CommandSpec spec = command.getCommandSpec();
            final int width = spec.usageMessage().width();
            for (final String[] lines : new String[][] {spec.usageMessage().description(), spec.usageMessage().footer(), spec.usageMessage().header()}) {
                for (int i = 0; i + 1 < lines.length; i++) {
                    if (lines[i].length() > width && !lines[i + 1].isEmpty()) {
                        ragged.add(command.getCommandName() + ": " + lines[i]);
                    }
                }
            }
            for (final picocli.CommandLine.Model.OptionSpec option : spec.options()) {
                if (option.description().length > 1) {
                    ragged.add(command.getCommandName() + " " + option.longestName() + ": " + option.description().length + " elements");
                }
            }
        }
        assertThat(ragged).isEmpty();
    }

    /** An option's argument is named in the usage (N, DIR, ...), not by the field behind it ({@code <pages>}). */
    @Test
    void everyOptionArgumentHasAName() {
        final java.util.List<String> unnamed = new java.util.ArrayList<>();
        for (final picocli.CommandLine command : allCommands(Main.commandLine())) {
            for (final picocli.CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
                if (option.arity().max() > 0 && option.paramLabel().startsWith("<")) {
                    unnamed.add(command.getCommandName() + " " + option.longestName() + "=" + option.paramLabel());
                }
            }
        }
        assertThat(unnamed).isEmpty();
    }

    /** The command and every subcommand under it, the hidden ones too. */
    private static java.util.List<picocli.CommandLine> allCommands(final picocli.CommandLine command) {
        final java.util.List<picocli.CommandLine> all = new java.util.ArrayList<>(java.util.List.of(command));
        command.getSubcommands().values().forEach(sub -> all.addAll(allCommands(sub)));
        return all;
    }

    @Test
    void badArgumentsGetOneLineAndExitTwo() {
        assertThat(Main.run("ring-bench", "--size", "64", "--pages", "3")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("ring-bench", "--size", "64", "--poll", "sometimes")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("ring-bench", "--size", "lots")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("no-such-command")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("mutate", "--no-such-option")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("switch", "--pool", "/nonexistent", "--pcap", "somewhere.pcap")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("switch", "--pool", "/nonexistent", "--pcap", "uplink=x.pcap", "--pcap-count", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("switch", "--pool", "/nonexistent", "--pcap-count", "10")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("switch", "--pool", "/nonexistent", "--vxlan-remote", "10.0.0.2")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("switch", "--pool", "/nonexistent", "--vxlan-local", "my-host")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("switch", "--pool", "/nonexistent", "--vxlan-local", "127.0.0.1", "--vni", "1=16777216")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("guest", "--pool", "/nonexistent", "--slot", "-1", "--mac", "02:00:00:00:00:01")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("pool", "assign", "--dir", "/nonexistent", "--mac", "02:00:00:00:00:01", "--tenant", "1", "--netns", "x"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).strip().lines()).hasSize(13);
    }

    @Test
    void ringBenchRunsTwoProcessesOnOneRingAndCountsEveryRecord() throws Exception {
        assertThat(Main.run("ring-bench", "--size", "64", "--pages", "4", "--seconds", "0.3", "--poll", "adaptive", "--json")).isZero();
        final com.fasterxml.jackson.databind.JsonNode figures = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(figures.path("records").asLong()).isPositive().isEqualTo(figures.path("sent").asLong());
        assertThat(figures.path("size").asInt()).isEqualTo(64);
        assertThat(figures.path("poll").asText()).startsWith("adaptive");
    }

    @Test
    void testHandsMavenItsOptionsInOrder() {
        final picocli.CommandLine.ParseResult parsed = Main.commandLine().parseArgs("test", "-pl", "impl", "-Dtest=RingTest", "-q");
        final TestCommand test = parsed.subcommand().commandSpec().commandLine().getCommand();
        assertThat(test.mavenArgs).containsExactly("-pl", "impl", "-Dtest=RingTest", "-q");
    }

    @Test
    void jsonWriterEscapesAndNestsValues() {
        assertThat(Json.write(java.util.Map.of("a", java.util.List.of(1, 2.5, true, "x\"y\n")))).isEqualTo("{\"a\":[1,2.5,true,\"x\\\"y\\n\"]}");
    }
}
