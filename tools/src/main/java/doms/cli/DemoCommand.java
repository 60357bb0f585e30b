package doms.cli;

import doms.control.Isolation;
import doms.demo.ProcessDemo;
import doms.demo.TapLab;
import doms.shm.SharedFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The main job ({@link ProcessDemo}) or, with --tap, its twin with real traffic ({@link TapLab}). */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The whole system on a fresh pool, nothing to configure.", "",
                "Runs the whole system on a fresh pool under /dev/shm, with nothing to configure: guest A "
                        + "(tenant 1) sends sequence-numbered frames to B, which checks them, and also forges its "
                        + "source; C (tenant 2) floods broadcasts; D (tenant 2) turns hostile and corrupts its "
                        + "ring; the switch is killed with SIGKILL mid-run and restarted by the control plane.", "",
                "Exits 1 if any frame was lost (neither received nor dropped at a full ring) or "
                        + "corrupted, crossed tenants or was delivered with a forged source, if D's port was not "
                        + "quarantined, or if another port was quarantined or forwarded nothing."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "6", description = "how long A sends (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--rate", paramLabel = "FPS", defaultValue = "50000", description = "frames per second A sends, 0 for as fast as possible (default ${DEFAULT-VALUE})")
    long rate;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "256", description = "frame bytes (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--pages", paramLabel = "N", defaultValue = "256", description = "pages per ring (default ${DEFAULT-VALUE})")
    int pages;

    @Option(names = "--no-kill", description = "do not kill the switch mid-run")
    boolean noKill;

    @Option(names = "--isolate", paramLabel = "auto|on|off", defaultValue = "auto", description = "run each process under its own uid: auto (when root), on, off")
    String isolate;

    @Option(names = "--dir", paramLabel = "DIR", description = "parent of the pool directory (default /dev/shm)")
    Path dir = SharedFile.DEFAULT_DIRECTORY;

    @Option(names = "--json", description = "print one JSON object instead of the summary")
    boolean json;

    @Option(names = "--tap", description = "real traffic instead (as root): guests bridged to TAP devices in network namespaces, "
            + "ping and iperf3 through the switch and through a Linux bridge, a tenant that cannot "
            + "reach them, a remote host behind a Linux vxlan device on the uplink (pings and iperf3 "
            + "both ways, through the uplink and through the bridge's own vxlan device), and a pcap of "
            + "the uplink port's first 10,000 frames")
    boolean tap;

    @Option(names = "--pings", paramLabel = "N", defaultValue = "100", description = "with --tap: pings from A to B (default ${DEFAULT-VALUE})")
    int pings;

    @Option(names = "--iperf-seconds", paramLabel = "SECONDS", defaultValue = "5", description = "with --tap: length of each iperf3 run (default ${DEFAULT-VALUE})")
    int iperfSeconds;

    @Option(names = "--pcap", paramLabel = "FILE", description = "with --tap: where the capture of the uplink port goes (default: doms-tap-demo.pcap in the temporary directory)")
    Path pcap;

    @Option(names = "--hold", description = "with --tap: keep the namespaces up after the checks, until Ctrl-C, to try them by hand")
    boolean hold;

    @Override
    public Integer call() throws Exception {
        if (tap) {
            return tapDemo();
        }
        final ProcessDemo.Report report = ProcessDemo.run(new ProcessDemo.Options(JavaProcess.DOMS, seconds, rate, size, pages, !noKill,
                JavaProcess.isolation(isolate), dir, line -> System.err.println("demo: " + line)));
        print(report.json(), report.summary());
        return report.passed() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private int tapDemo() throws Exception {
        final String missing = TapLab.missing();
        if (missing != null) {
            System.err.println("demo --tap: skipped: " + missing);
            return ExitCodes.SKIPPED;
        }
        final Isolation isolation = JavaProcess.isolation(isolate);
        final Path file = pcap != null ? pcap.toAbsolutePath() : Path.of(System.getProperty("java.io.tmpdir"), "doms-tap-demo.pcap");
        try (TapLab lab = new TapLab(new TapLab.Options(JavaProcess.DOMS, pings, iperfSeconds, file, isolation,
                line -> System.err.println("demo --tap: " + line)))) {
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close));
            final Map<String, Object> out = lab.run();
            print(out, TapLab.summary(out));
            System.err.println(hold ? "demo --tap: holding; try it by hand (Ctrl-C ends and cleans up):"
                    : "demo --tap: to try it by hand, run ./doms demo --tap --hold, then:");
            lab.handCommands().forEach(c -> System.err.println("  " + c));
            if (hold) {
                new CountDownLatch(1).await();
            }
            return TapLab.passed(out) ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private void print(final Map<String, Object> out, final List<String> summary) {
        if (json) {
            System.out.println(Json.write(out));
        } else {
            summary.forEach(System.out::println);
        }
    }
}
