package doms.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import doms.control.ControlPlane;
import doms.control.Isolation;
import doms.control.Launcher;
import doms.control.PoolAdmin;
import doms.net.PcapWriter;
import doms.pool.Mac;
import doms.pool.SlotDescriptor;
import doms.pool.SwitchStatus;
import doms.shm.FileTrees;
import doms.shm.SharedFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real traffic through the switch, in network namespaces of its own (nothing outside them is
 * touched):
 *
 * <pre>
 *   ns -a  tap0 10.0.1.1 (A, tenant 1) ─┐                        ┌─ ns -r: up1 10.99.0.2, vx0 (Linux vxlan, VNI 1)
 *   ns -b  tap0 10.0.1.2 (B, tenant 1) ─┼─ switch (ns -sw) ─ up0 10.99.0.1 ═ VXLAN ═╛        10.0.1.100
 *   ns -c  tap0 10.0.1.3 (C, tenant 2) ─┘   pcap of the uplink port
 *   ns -a  lb0 10.0.2.1 ─┬─ br0 (Linux bridge, ns -br) ─┬─ lb0 10.0.2.2 ns -b   (the baseline)
 *                          vx2 (VNI 2) ul0 10.98.0.1 ═ VXLAN ═ ul1 10.98.0.2, vx1 10.0.2.100 ns -r
 * </pre>
 *
 * A, B and C are guest processes bridging their slot to a TAP device; the switch is its own
 * process in the uplink's namespace. The checks: 100 pings A to B, iperf3 A to B through the
 * switch and through the Linux bridge, C cannot reach A or B, the remote host and A ping each
 * other over VXLAN, iperf3 A to the remote host through the switch's uplink and through the
 * bridge's vxlan device, and the capture of the uplink port holds their ICMP frames. The
 * capture takes the first 10,000 frames only (the pings come before the iperf3 run over VXLAN,
 * which would add a million frames and gigabytes, and the cost of writing them to the run).
 */
public final class TapLab implements AutoCloseable {
    static final long A = Mac.parse("02:00:00:00:01:0a");
    static final long B = Mac.parse("02:00:00:00:01:0b");
    static final long C = Mac.parse("02:00:00:00:02:0c");
    static final long REMOTE = Mac.parse("02:00:00:00:09:01");
    static final int CAPTURE_FRAMES = 10_000;
    static final String NS_PATTERN = "doms(\\d+)-(sw|a|b|c|r|br)";
    private static final List<String> ROLES = List.of("sw", "a", "b", "c", "r", "br");

    /** What to run. */
    public record Options(Launcher launcher, int pings, int iperfSeconds, Path pcap, Isolation isolation, Consumer<String> progress) {
        public Options {
            if (pings < 1 || pings > 100_000) {
                throw new IllegalArgumentException("--pings must be 1..100000");
            }
            if (iperfSeconds < 1 || iperfSeconds > 600) {
                throw new IllegalArgumentException("--iperf-seconds must be 1..600");
            }
        }
    }

    private final Options options;
    private final String prefix = "doms" + ProcessHandle.current().pid();
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> helpers = new ArrayList<>();
    private volatile ControlPlane cp;
    private boolean closed;

    public TapLab(final Options options) {
        this.options = options;
    }

    /** Null if this machine can run the lab; else why not, in one line. */
    public static String missing() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root (it creates network namespaces, veth pairs and TAP devices)";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "needs /dev/net/tun (the tun kernel module)";
        }
        final List<String> absent = new ArrayList<>();
        for (final String tool : List.of("ip", "ping", "iperf3", "tcpdump", "ethtool")) {
            if (!Shell.has(tool)) {
                absent.add(tool);
            }
        }
        return absent.isEmpty() ? null : "needs " + String.join(", ", absent)
                + " (Debian: apt-get install iproute2 iputils-ping iperf3 tcpdump ethtool)";
    }

    public String ns(final String role) {
        return prefix + "-" + role;
    }

    private List<String> in(final String role, final String... command) {
        final List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns(role)));
        c.addAll(List.of(command));
        return c;
    }

    /**
     * The remote host fills in its checksums before a packet leaves on {@code device}. A veth
     * hands the peer namespace a packet whose TCP checksum is still to be computed (the kernel
     * trusts it inside one host), and the VXLAN datagram carries it so to the switch's socket:
     * A's kernel then drops every such TCP segment (a SYN-ACK never answered), which a wire and
     * a NIC would not have done. Both underlays alike, so the baseline pays the same.
     */
    private void txChecksumsInSoftware(final String device) throws IOException {
        Shell.check(in("r", "ethtool", "-K", device, "tx", "off").toArray(String[]::new));
    }

    private void ip(final String role, final String args) throws IOException {
        final List<String> c = new ArrayList<>(List.of("ip", "-n", ns(role)));
        c.addAll(List.of(args.split(" ")));
        Shell.check(c.toArray(String[]::new));
    }

    /** Builds the topology, runs every check, and returns the figures (the JSON of {@code demo --tap}). */
    public Map<String, Object> run() throws IOException, InterruptedException {
        removeStale();
        final long started = System.nanoTime();
        progress("creating namespaces %s-{%s}", prefix, String.join(",", ROLES));
        for (final String role : ROLES) {
            synchronized (this) { // Ctrl-C may close the lab meanwhile: then it creates nothing more
                checkOpen();
                Shell.check("ip", "netns", "add", ns(role));
                namespaces.add(ns(role));
            }
            ip(role, "link set lo up");
        }
        // The underlay: the switch's uplink and the remote host, and the remote's Linux vxlan device.
        ip("sw", "link add up0 mtu 1600 type veth peer name up1 mtu 1600 netns " + ns("r"));
        ip("sw", "addr add 10.99.0.1/24 dev up0");
        ip("sw", "link set up0 up");
        ip("r", "addr add 10.99.0.2/24 dev up1");
        ip("r", "link set up1 up");
        txChecksumsInSoftware("up1");
        // MTU 1500 like the guests' TAPs (whose super-frames the switch cuts to that size for the uplink).
        ip("r", "link add vx0 mtu 1500 type vxlan id 1 local 10.99.0.2 remote 10.99.0.1 dstport 4789 dev up1");
        ip("r", "link set vx0 address " + Mac.format(REMOTE));
        ip("r", "addr add 10.0.1.100/24 dev vx0");
        ip("r", "link set vx0 up");
        // The baseline: A and B on a Linux bridge, on another subnet.
        ip("br", "link add br0 type bridge");
        ip("br", "link set br0 up");
        for (final String[] g : List.of(new String[] {"a", "10.0.2.1"}, new String[] {"b", "10.0.2.2"})) {
            ip(g[0], "link add lb0 type veth peer name " + g[0] + "-br netns " + ns("br"));
            ip("br", "link set " + g[0] + "-br master br0");
            ip("br", "link set " + g[0] + "-br up");
            ip(g[0], "addr add " + g[1] + "/24 dev lb0");
            ip(g[0], "link set lb0 up");
        }
        // The baseline's uplink: the bridge's own Linux vxlan device (VNI 2) to a second one at the
        // remote host, on an underlay of its own, so A reaches 10.0.2.100 the way it reaches
        // 10.0.1.100 through the switch, with the kernel doing the switch's part.
        ip("br", "link add ul0 mtu 1600 type veth peer name ul1 mtu 1600 netns " + ns("r"));
        ip("br", "addr add 10.98.0.1/24 dev ul0");
        ip("br", "link set ul0 up");
        ip("r", "addr add 10.98.0.2/24 dev ul1");
        ip("r", "link set ul1 up");
        txChecksumsInSoftware("ul1");
        ip("br", "link add vx2 mtu 1500 type vxlan id 2 local 10.98.0.1 remote 10.98.0.2 dstport 4789 dev ul0");
        ip("br", "link set vx2 master br0");
        ip("br", "link set vx2 up");
        ip("r", "link add vx1 mtu 1500 type vxlan id 2 local 10.98.0.2 remote 10.98.0.1 dstport 4789 dev ul1");
        ip("r", "addr add 10.0.2.100/24 dev vx1");
        ip("r", "link set vx1 up");

        final Path pcap = options.pcap();
        Files.deleteIfExists(pcap);
        Files.createFile(pcap);
        options.isolation().switchFile(pcap);
        final Path poolDir = SharedFile.DEFAULT_DIRECTORY.resolve("doms-tap-" + ProcessHandle.current().pid());
        progress("booting the switch in %s with a VXLAN uplink 10.99.0.1 -> 10.99.0.2 (VNI 1 = tenant 1)%s", ns("sw"),
                options.isolation().enabled() ? ", each process under its own uid" : "");
        // Records of up to 64 KiB and their virtio-net header: the guests take TCP super-frames
        // from their TAPs (offloads). Rings of 512 pages (2 MiB) hold 31 of them: one iperf3
        // stream got 0.26 of the bridge with 64 pages, 0.39-0.43 with 256, 0.49 with 512.
        final ControlPlane booted = ControlPlane.boot(options.launcher(), poolDir, 4, 512, SlotDescriptor.MAX_FRAME_LIMIT, options.isolation(),
                List.of("--vxlan-local", "10.99.0.1", "--vxlan-remote", "10.99.0.2", "--vni", "1=1", "--pcap", "uplink=" + pcap,
                        "--pcap-count", Integer.toString(CAPTURE_FRAMES)),
                List.of("ip", "netns", "exec", ns("sw")));
        synchronized (this) {
            cp = booted;
            if (closed) {
                booted.close();
                checkOpen();
            }
        }
        // Root's TAP devices, one per guest namespace: the control plane opens each and hands the
        // descriptor to its guest, which never opens /dev/net/tun (it may be mode 0600).
        for (final String[] g : List.of(new String[] {"a", "10.0.1.1"}, new String[] {"b", "10.0.1.2"}, new String[] {"c", "10.0.1.3"})) {
            ip(g[0], "tuntap add dev tap0 mode tap");
            ip(g[0], "addr add " + g[1] + "/24 dev tap0");
        }
        final PoolAdmin.Assignment a = cp.assign(A, 1, "tap0", ns("a"));
        final PoolAdmin.Assignment b = cp.assign(B, 1, "tap0", ns("b"));
        final PoolAdmin.Assignment c = cp.assign(C, 2, "tap0", ns("c"));
        final List<Process> guests = new ArrayList<>();
        final List<String> offloads = new ArrayList<>();
        for (final Object[] g : List.of(new Object[] {a, "a"}, new Object[] {b, "b"}, new Object[] {c, "c"})) {
            final PoolAdmin.Assignment x = (PoolAdmin.Assignment) g[0];
            final String role = (String) g[1];
            ip(role, "link set tap0 address " + Mac.format(x.mac()));
            ip(role, "link set tap0 up");
            final Process guest = cp.startGuest(x, List.of("--mac", Mac.format(x.mac()), "--tap"),
                    List.of("ip", "netns", "exec", ns(role)));
            guests.add(guest);
            final String ready = new BufferedReader(new InputStreamReader(guest.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (ready == null || !ready.startsWith("ready")) {
                throw new IOException("guest " + role.toUpperCase() + " did not start (see its message above)");
            }
            offloads.add(ready.replaceAll(".*offloads=", ""));
        }
        awaitServed(List.of(a, b, c));
        progress("guests A, B (tenant 1) and C (tenant 2) bridged to tap0 in their namespaces; the switch serves them;"
                + " TAP offloads (TUNSETOFFLOAD flags) A %s, B %s, C %s", offloads.get(0), offloads.get(1), offloads.get(2));

        final Map<String, Object> out = new LinkedHashMap<>();
        final Map<String, Object> flags = new LinkedHashMap<>();
        flags.put("a", offloads.get(0));
        flags.put("b", offloads.get(1));
        flags.put("c", offloads.get(2));
        out.put("offloads", flags);
        final boolean reachable = reach("a", "10.0.1.2");
        final double loss = reachable ? pingLoss("a", "10.0.1.2", options.pings(), "0.01") : 100.0;
        progress("ping A -> B: %d pings, %.1f%% loss", options.pings(), loss);
        out.put("ping_count", options.pings());
        out.put("ping_loss_pct", loss);

        throughput(out, 1, "");
        throughput(out, 4, "_4streams");

        final boolean crossA = Shell.run(in("c", "ping", "-c", "3", "-i", "0.2", "-W", "1", "10.0.1.1"), 20).ok();
        final boolean crossB = Shell.run(in("c", "ping", "-c", "3", "-i", "0.2", "-W", "1", "10.0.1.2"), 20).ok();
        progress("C (tenant 2) -> A, B: %s", crossA || crossB ? "REACHABLE" : "unreachable");
        out.put("cross_tenant_reachable", crossA || crossB);

        final boolean outbound = reach("a", "10.0.1.100") && pingLoss("a", "10.0.1.100", 5, "0.2") == 0;
        final boolean inbound = reach("r", "10.0.1.1") && pingLoss("r", "10.0.1.1", 5, "0.2") == 0;
        progress("VXLAN: A -> remote host %s, remote host -> A %s", outbound ? "ok" : "FAILED", inbound ? "ok" : "FAILED");
        out.put("vxlan_ping_ok", outbound && inbound);
        if (outbound && reach("a", "10.0.2.100")) {
            vxlanThroughput(out);
        } else {
            progress("iperf3 over VXLAN: not run (no ping got through to the remote host through %s)", outbound ? "the bridge" : "the switch");
            out.put("vxlan_iperf3_mbps", 0.0);
            out.put("bridge_vxlan_iperf3_mbps", 0.0);
            out.put("vxlan_iperf3_ratio_to_bridge", 0.0);
            out.put("vxlan_iperf3_reverse_mbps", 0.0);
        }

        final SwitchStatus st = cp.status();
        out.put("uplink_frames_in", st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.FRAMES_IN));
        out.put("uplink_frames_out", st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.FRAMES_OUT));
        out.put("uplink_learned_macs", st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.LEARNED));
        out.put("drops_spoofed", st.opaqueCounter(a.slot(), SwitchStatus.SlotCounter.DROPS_SPOOFED) + st.opaqueCounter(b.slot(), SwitchStatus.SlotCounter.DROPS_SPOOFED)
                + st.opaqueCounter(c.slot(), SwitchStatus.SlotCounter.DROPS_SPOOFED));

        // The switch flushes its capture at the end of every round that captured something.
        final long frames = PcapWriter.count(pcap);
        final Shell.Result dump = Shell.run(List.of("tcpdump", "-nn", "-r", pcap.toString(), "icmp"), 30);
        final long icmp = dump.ok() ? dump.output().lines().filter(l -> l.contains("ICMP")).count() : -1;
        progress("capture of the uplink port: %d frames, %d ICMP (tcpdump -r %s)", frames, icmp, pcap);
        out.put("pcap_file", pcap.toString());
        out.put("pcap_frames", frames);
        out.put("pcap_icmp_frames", icmp);
        out.put("isolated_uids", options.isolation().enabled());
        out.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        return out;
    }

    /** True when the lab's figures pass: no ping lost, VXLAN both ways, tenants apart, ICMP captured, TCP through the switch and both ways through its uplink. */
    public static boolean passed(final Map<String, Object> out) {
        return ((Number) out.get("ping_loss_pct")).doubleValue() == 0
                && Boolean.TRUE.equals(out.get("vxlan_ping_ok"))
                && Boolean.FALSE.equals(out.get("cross_tenant_reachable"))
                && ((Number) out.get("pcap_icmp_frames")).longValue() > 0
                && ((Number) out.get("iperf3_mbps")).doubleValue() > 0
                && ((Number) out.get("vxlan_iperf3_mbps")).doubleValue() > 0
                && ((Number) out.get("vxlan_iperf3_reverse_mbps")).doubleValue() > 0;
    }

    /** The human summary of {@link #run()}'s figures. */
    public static List<String> summary(final Map<String, Object> out) {
        return List.of(
                String.format("ping A -> B: %s pings, %s%% loss", out.get("ping_count"), out.get("ping_loss_pct")),
                String.format("iperf3 A -> B: %s Mbit/s through the switch, %s Mbit/s through a Linux bridge (ratio %s)",
                        out.get("iperf3_mbps"), out.get("bridge_iperf3_mbps"), out.get("iperf3_ratio_to_bridge")),
                String.format("iperf3 A -> B, 4 streams: %s Mbit/s through the switch, %s Mbit/s through a Linux bridge (ratio %s)",
                        out.get("iperf3_4streams_mbps"), out.get("bridge_iperf3_4streams_mbps"), out.get("iperf3_4streams_ratio_to_bridge")),
                String.format("tenant 2 reaches tenant 1: %s", out.get("cross_tenant_reachable")),
                String.format("VXLAN to and from a Linux vxlan device: %s", Boolean.TRUE.equals(out.get("vxlan_ping_ok")) ? "ok" : "FAILED"),
                String.format("iperf3 A -> remote host over VXLAN: %s Mbit/s through the switch's uplink, %s Mbit/s through a Linux bridge"
                        + " and vxlan device (ratio %s)", out.get("vxlan_iperf3_mbps"), out.get("bridge_vxlan_iperf3_mbps"),
                        out.get("vxlan_iperf3_ratio_to_bridge")),
                String.format("iperf3 remote host -> A over VXLAN: %s Mbit/s through the switch's uplink, %s Mbit/s through a Linux bridge"
                        + " and vxlan device (ratio %s)", out.get("vxlan_iperf3_reverse_mbps"), out.get("bridge_vxlan_iperf3_reverse_mbps"),
                        out.get("vxlan_iperf3_reverse_ratio_to_bridge")),
                String.format("capture of the uplink port: %s frames, %s ICMP, in %s", out.get("pcap_frames"), out.get("pcap_icmp_frames"),
                        out.get("pcap_file")),
                passed(out) ? "demo --tap: OK" : "demo --tap: FAILED");
    }

    /** How to try it by hand while the lab is up. */
    public List<String> handCommands() {
        return List.of(
                "ip netns exec " + ns("a") + " ping 10.0.1.2      # A -> B through the switch",
                "ip netns exec " + ns("r") + " ping 10.0.1.1      # remote host -> A over VXLAN",
                "ip netns exec " + ns("c") + " ping 10.0.1.1      # tenant 2 -> tenant 1: no answer",
                "ip netns exec " + ns("a") + " tcpdump -ni tap0   # what A's interface sees");
    }

    /** Waits (bounded) until the first ping gets through: ARP and the switch's discovery are done. */
    private boolean reach(final String role, final String address) throws IOException {
        for (int i = 0; i < 20; i++) {
            if (Shell.run(in(role, "ping", "-c", "1", "-W", "1", address), 10).ok()) {
                return true;
            }
        }
        return false;
    }

    private static final Pattern LOSS = Pattern.compile("([0-9.]+)% packet loss");

    private double pingLoss(final String role, final String address, final int count, final String interval) throws IOException {
        final Shell.Result r = Shell.run(in(role, "ping", "-q", "-c", Integer.toString(count), "-i", interval, "-W", "1", address),
                count * 2.0 + 20);
        final Matcher m = LOSS.matcher(r.output());
        return m.find() ? Double.parseDouble(m.group(1)) : 100.0;
    }

    /** iperf3 A -> B with this many parallel streams, through the switch and then through the bridge, and their ratio. */
    private void throughput(final Map<String, Object> out, final int streams, final String suffix) throws IOException, InterruptedException {
        final double switchMbps = iperf("b", "10.0.1.2", streams, false);
        final double bridgeMbps = iperf("b", "10.0.2.2", streams, false);
        progress("iperf3 A -> B, %d s TCP, %d stream%s: %.0f Mbit/s through the switch, %.0f Mbit/s through a Linux bridge (ratio %.3f)",
                options.iperfSeconds(), streams, streams == 1 ? "" : "s", switchMbps, bridgeMbps, bridgeMbps > 0 ? switchMbps / bridgeMbps : 0);
        out.put("iperf3" + suffix + "_mbps", round(switchMbps));
        out.put("bridge_iperf3" + suffix + "_mbps", round(bridgeMbps));
        out.put("iperf3" + suffix + "_ratio_to_bridge", bridgeMbps > 0 ? Math.round(switchMbps / bridgeMbps * 1000) / 1000.0 : 0);
    }

    /**
     * iperf3 A -> the remote host over VXLAN: through the switch, which cuts A's TCP super-frames
     * into frames for the uplink in software and sends each one's frames with one UDP_SEGMENT send, and
     * through the bridge's Linux vxlan device.
     */
    private void vxlanThroughput(final Map<String, Object> out) throws IOException, InterruptedException {
        final double switchMbps = iperf("r", "10.0.1.100", 1, false);
        final double bridgeMbps = iperf("r", "10.0.2.100", 1, false);
        progress("iperf3 A -> remote host over VXLAN, %d s TCP: %.0f Mbit/s through the switch's uplink, %.0f Mbit/s through a Linux"
                + " bridge and vxlan device (ratio %.3f)", options.iperfSeconds(), switchMbps, bridgeMbps, bridgeMbps > 0 ? switchMbps / bridgeMbps : 0);
        out.put("vxlan_iperf3_mbps", round(switchMbps));
        out.put("bridge_vxlan_iperf3_mbps", round(bridgeMbps));
        out.put("vxlan_iperf3_ratio_to_bridge", bridgeMbps > 0 ? Math.round(switchMbps / bridgeMbps * 1000) / 1000.0 : 0);
        // The other way: the remote host's datagrams arrive one segment each, and go to A as plain frames.
        final double switchBack = iperf("r", "10.0.1.100", 1, true);
        final double bridgeBack = iperf("r", "10.0.2.100", 1, true);
        progress("iperf3 remote host -> A over VXLAN, %d s TCP: %.0f Mbit/s through the switch's uplink, %.0f Mbit/s through a Linux"
                + " bridge and vxlan device (ratio %.3f)", options.iperfSeconds(), switchBack, bridgeBack, bridgeBack > 0 ? switchBack / bridgeBack : 0);
        out.put("vxlan_iperf3_reverse_mbps", round(switchBack));
        out.put("bridge_vxlan_iperf3_reverse_mbps", round(bridgeBack));
        out.put("vxlan_iperf3_reverse_ratio_to_bridge", bridgeBack > 0 ? Math.round(switchBack / bridgeBack * 1000) / 1000.0 : 0);
    }

    /** One iperf3 TCP run from A to {@code address} (served in {@code serverRole}), or back with {@code reverse}; Mbit/s received. */
    private double iperf(final String serverRole, final String address, final int streams, final boolean reverse)
            throws IOException, InterruptedException {
        final Process server;
        synchronized (this) {
            checkOpen();
            server = new ProcessBuilder(in(serverRole, "iperf3", "-s", "-1", "-B", address, "-p", "5201"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            helpers.add(server);
        }
        // Until it listens, bounded by a deadline rather than a count of checks (each one forks ss).
        final long listenBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Shell.run(in(serverRole, "ss", "-Htln", "sport = :5201"), 10).output().contains("5201")) {
            if (!server.isAlive()) {
                throw new IOException("iperf3 server in " + ns(serverRole) + " exited " + server.exitValue());
            }
            if (System.nanoTime() - listenBy > 0) {
                throw new IOException("iperf3 server in " + ns(serverRole) + " did not listen within 30 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // polling a condition, not a core
        }
        final List<String> client = new ArrayList<>(in("a", "iperf3", "-c", address, "-p", "5201", "-t", Integer.toString(options.iperfSeconds()),
                "-P", Integer.toString(streams), "-J"));
        if (reverse) {
            client.add("-R"); // the server sends, A receives
        }
        final Shell.Result r = Shell.run(client,
                options.iperfSeconds() + 60);
        server.destroyForcibly().waitFor();
        if (!r.ok()) {
            progress("iperf3 to %s failed: %s", address, r.output().lines().filter(l -> l.contains("error")).findFirst().orElse("exit " + r.exit()));
            return 0;
        }
        final JsonNode json = new ObjectMapper().readTree(r.output());
        return json.path("end").path("sum_received").path("bits_per_second").asDouble() / 1e6;
    }

    private void awaitServed(final List<PoolAdmin.Assignment> assignments) throws IOException {
        final long deadline = System.nanoTime() + 20_000_000_000L;
        for (final PoolAdmin.Assignment x : assignments) {
            while (cp.status().opaqueServedGeneration(x.slot()) != x.generation()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the switch did not attach slot " + x.slot() + " within 20 s");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // polling a condition, not a core
            }
        }
    }

    /**
     * What an earlier lab left behind when its process was killed (SIGKILL runs no cleanup):
     * the processes in its namespaces, the namespaces, and its pool directory.
     */
    private void removeStale() throws IOException {
        final Pattern p = Pattern.compile(NS_PATTERN);
        for (final String line : Shell.check("ip", "netns", "list").lines().toList()) {
            final Matcher m = p.matcher(line.split(" ")[0]);
            if (m.matches() && !ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) {
                for (final String pid : Shell.run(List.of("ip", "netns", "pids", m.group()), 30).output().split("\\s+")) {
                    if (pid.matches("\\d+")) {
                        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                Shell.run(List.of("ip", "netns", "del", m.group()), 30);
                FileTrees.delete(SharedFile.DEFAULT_DIRECTORY.resolve("doms-tap-" + m.group(1)));
            }
        }
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("stopped (the lab was closed)");
        }
    }

    private void progress(final String format, final Object... args) {
        options.progress().accept(String.format(format, args));
    }

    private static double round(final double mbps) {
        return Math.round(mbps * 10) / 10.0;
    }

    /** Stops every process and deletes the namespaces (and with them every device in them) and the pool. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        helpers.forEach(Process::destroyForcibly);
        final ControlPlane plane = cp;
        if (plane != null) {
            plane.close();
        }
        for (final String ns : namespaces) {
            try {
                final Shell.Result r = Shell.run(List.of("ip", "netns", "del", ns), 30);
                if (!r.ok()) {
                    System.err.println("doms: could not delete namespace " + ns + ": " + r.output().strip());
                }
            } catch (IOException e) {
                System.err.println("doms: could not delete namespace " + ns + ": " + e.getMessage());
            }
        }
    }
}
