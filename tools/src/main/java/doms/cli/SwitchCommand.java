package doms.cli;

import doms.net.Endpoints;
import doms.net.Vxlan;
import doms.poll.IdleStrategies;
import doms.sw.VxlanUplink;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the switch domain over a pool until it is stopped (SIGTERM) or killed. */
@Command(name = "switch", mixinStandardHelpOptions = true,
        description = {"The switch domain (DomS): polls a pool's rings, forwards.", "",
                "Runs the switch domain (DomS) over a pool: maps the binding table read-only and its "
                        + "status file, takes every live slot's memory from the control plane's socket once, then "
                        + "only polls (new slots arrive on that socket, read without waiting). Prints 'ready' on "
                        + "standard output once it forwards. Normally started (and restarted) by the control plane: "
                        + "see 'doms control' and 'doms demo'."})
final class SwitchCommand implements Callable<Integer> {
    static final double MAX_PARK_MICROS = 100_000;

    @Option(names = "--pool", required = true, paramLabel = "DIR", description = "the pool directory (bindings, switch-status, the control plane's socket)")
    Path pool;

    @Option(names = "--standby", description = "start the JVM, then wait for a line on standard input before booting (a warm spare the control plane activates when the running switch dies)")
    boolean standby;

    @Option(names = "--budget", paramLabel = "N", defaultValue = "64", description = "frames taken from each port per round (default ${DEFAULT-VALUE})")
    int budget;

    @Option(names = "--poll", defaultValue = "adaptive:100", paramLabel = "STRATEGY", description = IdleStrategies.SYNTAX + " (default ${DEFAULT-VALUE})")
    String poll;

    @Option(names = "--vxlan-local", paramLabel = "ADDR[:PORT]", description = "give the switch a VXLAN uplink on this local address (port 4789 unless given)")
    String vxlanLocal;

    @Option(names = "--vxlan-remote", paramLabel = "ADDR[:PORT]", description = "a remote tunnel endpoint that receives flooded frames (repeatable)")
    List<String> vxlanRemotes = List.of();

    @Option(names = "--vni", paramLabel = "TENANT=VNI", description = "carry this tenant in this VNI (repeatable; default: every tenant in the VNI equal to its number)")
    Map<Integer, Integer> vnis = Map.of();

    @Option(names = "--mac-aging", defaultValue = "300", paramLabel = "SECONDS", description = "forget a remote MAC not seen for this long (default ${DEFAULT-VALUE})")
    double macAging;

    @Option(names = "--pcap", paramLabel = "PORT=FILE", description = "capture a port's frames (a slot number, or 'uplink') into a pcap file, both directions")
    String pcap;

    @Option(names = "--pcap-count", paramLabel = "N", description = "capture at most N frames from this switch process, then stop capturing (tcpdump's -c; default: no limit)")
    Long pcapCount;

    @Override
    public Integer call() throws Exception {
        final VxlanUplink.Config uplinkConfig = uplinkConfig();
        if (pcapCount != null && (pcap == null || pcapCount < 1)) {
            throw new IllegalArgumentException(pcap == null ? "--pcap-count needs --pcap" : "--pcap-count must be at least 1");
        }
        final SwitchProcess.Pcap capture = pcap == null ? null : SwitchProcess.Pcap.parse(pcap, pcapCount == null ? Long.MAX_VALUE : pcapCount);
        if (budget < 1 || budget > 65536) {
            throw new IllegalArgumentException("--budget must be 1..65536");
        }
        final var idle = IdleStrategies.parse(poll);
        if (IdleStrategies.longestParkMicros(poll) > MAX_PARK_MICROS) {
            throw new IllegalArgumentException("--poll may park at most " + MAX_PARK_MICROS + " µs: the control plane restarts a switch silent for a second");
        }
        return new SwitchProcess(pool, budget, idle, uplinkConfig, vxlanLocal, capture).run(standby);
    }

    private VxlanUplink.Config uplinkConfig() {
        if (vxlanLocal == null) {
            if (!vxlanRemotes.isEmpty() || !vnis.isEmpty()) {
                throw new IllegalArgumentException("--vxlan-remote and --vni need --vxlan-local");
            }
            return null;
        }
        if (!(macAging > 0) || macAging > 86_400) {
            throw new IllegalArgumentException("--mac-aging must be more than 0 and at most 86400 seconds");
        }
        final java.net.InetSocketAddress local = Endpoints.parse(vxlanLocal, Vxlan.DEFAULT_PORT);
        final List<java.net.InetSocketAddress> remotes = vxlanRemotes.stream()
                .map(r -> Endpoints.parse(r, local.getPort() == 0 ? Vxlan.DEFAULT_PORT : local.getPort())).toList();
        return new VxlanUplink.Config(local, remotes, vnis, (long) (macAging * 1e9));
    }
}
