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

/** JQF (Zest) campaigns of hostile guest memory against the switch's ingress. */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = {"Runs a coverage-guided JQF (Zest) campaign per target against the switch's ingress: a real switch",
                "over a real shared slot whose guest-writable bytes come from the fuzzer. Targets: structured",
                "(mostly valid rings and frames with targeted corruption), raw (raw positions and ring bytes),",
                "uplink (a datagram from the network against the VXLAN uplink), guest (a compromised switch's RX ring",
                "against the guest's receive path), attach (a compromised switch's slot and RX ring headers against",
                "the guest's attach), race (an attacker thread rewriting F's records on a schedule",
                "from the input while the switch parses them) and vnet (a virtio-net header and frame against the",
                "header's validation and software segmentation, with a reference oracle).",
                "Writes a report folder with each target's figures, a coverage-over-time plot and every failure."},
        footer = {"", "Exit codes: 0 no failure, 1 a failure was found (or a repro failed), 2 bad usage."})
final class FuzzCommand implements Callable<Integer> {
    @Option(names = "--time", defaultValue = "60s", paramLabel = "DURATION", description = "per target, e.g. 60s, 10m, 1h (default ${DEFAULT-VALUE})")
    String time;

    @Option(names = "--target", paramLabel = "NAME", description = "one target (structured, raw, uplink, guest, attach, race or vnet); default all")
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
        final long seconds = Fuzz.seconds(time);
        if (repro != null) {
            if (target == null) {
                throw new IllegalArgumentException("--repro needs --target");
            }
            if (!Files.isRegularFile(repro)) {
                throw new IllegalArgumentException("no such input: " + repro);
            }
            return Fuzz.repro(target, repro) ? ExitCodes.OK : ExitCodes.FAILED;
        }
        final FuzzResult result = run(target, seconds, out);
        if (json) {
            System.out.println(Json.write(result.json()));
        } else {
            System.out.printf("%-12s %12s %10s %9s  %s%n", "target", "executions", "branches", "failures", "plot");
            for (final FuzzResult.Campaign c : result.campaigns()) {
                System.out.printf("%-12s %,12d %,10d %9d  %s%n", c.target(), c.executions(), c.branchesCovered(), c.failures(), c.plot());
                c.repro().forEach(command -> System.out.println("  repro: " + command));
            }
            System.out.println("fuzz: report in " + result.report() + (result.failures() == 0 ? ""
                    : "; " + result.failures() + " FAILURE(S): the repro commands above run each again"));
        }
        return result.failures() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The campaigns into {@code out} (default reports/fuzz/TIMESTAMP), with the report's summary.json; verify runs this too. */
    static FuzzResult run(final String target, final long seconds, final Path out) throws IOException, InterruptedException {
        final Path report = out != null ? out : ProjectHome.timestamped(ProjectHome.dir().resolve("reports").resolve("fuzz"));
        final FuzzResult result = Fuzz.run(target, seconds, report);
        Files.writeString(report.resolve("summary.json"), Json.write(result.json()) + "\n");
        return result;
    }
}
