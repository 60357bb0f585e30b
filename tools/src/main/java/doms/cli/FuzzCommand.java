package doms.cli;

import doms.evidence.Fuzz;
import doms.evidence.FuzzResult;
import doms.evidence.ProjectHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Coverage-guided JQF campaigns of hostile input against the switch and the guest. */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = {"Coverage-guided fuzzing of what the switch and guests read.", "",
                "Runs a coverage-guided campaign per target (JQF's instrumentation, this",
                "project's guidance, one JVM per target) against the switch's ingress and the",
                "guest's side: a real switch over a real shared slot whose guest-writable",
                "bytes come from the fuzzer. Targets:",
                "  structured  mostly valid rings and frames with targeted corruption",
                "  raw         raw positions and ring bytes",
                "  uplink      a datagram from the network against the VXLAN uplink",
                "  guest       a compromised switch's RX ring against the guest's receive path",
                "  attach      a compromised switch's slot and RX ring headers against the",
                "              guest's attach",
                "  tap         a compromised switch's RX ring against the TAP bridge's RX path",
                "  race        an attacker thread rewriting F's records on a schedule from the",
                "              input while the switch parses them",
                "  vnet        a virtio-net header and frame against the header's validation",
                "              and software segmentation, with a reference oracle",
                "Writes a report folder with each target's figures, a coverage-over-time plot,",
                "the validation outcomes its inputs reached (and those none did), its corpus",
                "and every failure."},
        footer = {"", "Exit codes: 0 no failure, 1 a failure was found (or a repro failed), 2 bad usage."})
final class FuzzCommand implements Callable<Integer> {
    @Option(names = "--time", paramLabel = "DURATION", description = "per target, e.g. 60s, 10m, 1h (default 60s, or no limit with --executions)")
    String time;

    @Option(names = "--executions", paramLabel = "N", description = "stop each target after N executions (e.g. 10000000)")
    Long executions;

    @Option(names = "--target", paramLabel = "NAME", description = "one target (structured, raw, uplink, race, guest, attach, tap or vnet); default all")
    String target;

    @Option(names = "--repro", paramLabel = "FILE", description = "run one saved input of --target again and show what happens")
    Path repro;

    @Option(names = "--out", paramLabel = "DIR", description = "report folder (default reports/fuzz/TIMESTAMP)")
    Path out;

    @Option(names = "--json", description = "print one JSON object at the end")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (target != null && !Fuzz.TARGETS.contains(target)) {
            throw new IllegalArgumentException("--target must be one of " + Fuzz.TARGETS);
        }
        if (executions != null && executions < 1) {
            throw new IllegalArgumentException("--executions must be at least 1, got " + executions);
        }
        final long seconds = Fuzz.seconds(time != null ? time : executions != null ? "168h" : "60s");
        if (repro != null) {
            if (target == null) {
                throw new IllegalArgumentException("--repro needs --target");
            }
            if (!Files.isRegularFile(repro)) {
                throw new IllegalArgumentException("no such input: " + repro);
            }
            return Fuzz.repro(target, repro) ? ExitCodes.OK : ExitCodes.FAILED;
        }
        final FuzzResult result = run(target, seconds, executions == null ? Long.MAX_VALUE : executions, out);
        if (json) {
            System.out.println(Json.write(result.json()));
        } else {
            System.out.printf("%-12s %12s %8s %8s %10s %9s  %s%n", "target", "executions", "seconds", "per s", "branches", "failures", "plot");
            for (final FuzzResult.Campaign c : result.campaigns()) {
                System.out.printf("%-12s %,12d %8.0f %,8d %,10d %9d  %s%n", c.target(), c.executions(), c.seconds(), c.executionsPerSecond(),
                        c.branchesCovered(), c.failures(), c.plot());
                c.neverReached().forEach(o -> System.out.println("  never reached: " + o));
                c.repro().forEach(command -> System.out.println("  repro: " + command));
            }
            System.out.println("fuzz: report in " + result.report() + (result.failures() == 0 ? ""
                    : "; " + result.failures() + " FAILURE(S): the repro commands above run each again"));
        }
        return result.failures() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The campaigns into {@code out} (default reports/fuzz/TIMESTAMP), with the report's summary.json; verify runs this too. */
    static FuzzResult run(final String target, final long seconds, final long executions, final Path out)
            throws IOException, InterruptedException {
        final Path report = out != null ? out : ProjectHome.timestamped(ProjectHome.dir().resolve("reports").resolve("fuzz"));
        final FuzzResult result = Fuzz.run(target, seconds, executions, report);
        Files.writeString(report.resolve("summary.json"), Json.write(result.json()) + "\n");
        return result;
    }
}
