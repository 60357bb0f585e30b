package doms.cli;

import doms.net.Endpoints;
import doms.net.PcapWriter;
import doms.net.Vxlan;
import doms.poll.IdleStrategies;
import doms.pool.PoolFiles;
import doms.sw.Switch;
import doms.sw.VxlanUplink;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the switch domain over a pool until it is stopped (SIGTERM) or killed. */
@Command(name = "switch", mixinStandardHelpOptions = true,
        description = {"Runs the switch domain (DomS) over a pool: maps the binding table read-only and its status file,",
                "takes every live slot's memory from the control plane's socket once, then only polls (new slots",
                "arrive on that socket, read without waiting). Prints 'ready' on standard output once it forwards.",
                "Normally started (and restarted) by the control plane: see 'doms control' and 'doms demo'."})
final class SwitchCommand implements Callable<Integer> {
    static final double MAX_PARK_MICROS = 100_000;

    @Option(names = "--pool", required = true, paramLabel = "DIR", description = "the pool directory (bindings, switch-status, the control plane's socket)")
    Path pool;

    @Option(names = "--standby", description = "start the JVM, then wait for a line on standard input before booting (a warm spare the control plane activates when the running switch dies)")
    boolean standby;

    @Option(names = "--budget", defaultValue = "64", description = "frames taken from each port per round (default ${DEFAULT-VALUE})")
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

    @Override
    public Integer call() throws Exception {
        final VxlanUplink.Config uplinkConfig = uplinkConfig();
        final Pcap capture = pcap == null ? null : Pcap.parse(pcap);
        if (budget < 1 || budget > 65536) {
            throw new IllegalArgumentException("--budget must be 1..65536");
        }
        final var idle = IdleStrategies.parse(poll);
        if (IdleStrategies.longestParkMicros(poll) > MAX_PARK_MICROS) {
            throw new IllegalArgumentException("--poll may park at most " + MAX_PARK_MICROS + " µs: the control plane restarts a switch silent for a second");
        }
        if (standby) {
            System.out.println("standby");
            System.out.flush();
            final String go = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
            if (go == null) {
                return ExitCodes.OK; // the control plane went away before needing us
            }
        }
        final Switch sw = Switch.boot(new PoolFiles(pool), budget);
        String uplinkNote = "";
        if (uplinkConfig != null) {
            final int maxFrame = sw.maxFrame();
            try {
                final VxlanUplink uplink = VxlanUplink.open(uplinkConfig, maxFrame);
                sw.uplink(uplink);
                uplinkNote = " uplink=" + uplink.localAddress();
            } catch (java.io.IOException e) {
                sw.close();
                throw new java.io.IOException("cannot open the VXLAN uplink on " + vxlanLocal + ": " + e.getMessage(), e);
            }
        }
        if (capture != null) {
            if (capture.port() >= sw.slots()) {
                sw.close();
                throw new IllegalArgumentException("--pcap: the pool has slots 0.." + (sw.slots() - 1));
            }
            sw.capture(capture.port(), PcapWriter.open(capture.file()));
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sw.stop();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("ready ports=" + sw.ports().size() + uplinkNote);
        System.out.flush();
        try {
            sw.run(idle);
        } finally {
            sw.close();
            stopped.countDown();
        }
        return ExitCodes.OK;
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

    /** {@code --pcap PORT=FILE}: a slot number, or -1 for the uplink. */
    record Pcap(int port, Path file) {
        static Pcap parse(final String spec) {
            final int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("--pcap must be PORT=FILE, PORT a slot number or 'uplink'");
            }
            final String port = spec.substring(0, eq);
            final Path file = Path.of(spec.substring(eq + 1));
            if (port.equals("uplink")) {
                return new Pcap(-1, file);
            }
            try {
                final int slot = Integer.parseInt(port);
                if (slot >= 0) {
                    return new Pcap(slot, file);
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("--pcap: bad port '" + port + "': a slot number or 'uplink'");
        }
    }
}
