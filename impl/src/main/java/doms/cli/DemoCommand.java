package doms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import doms.control.ControlPlane;
import doms.control.Isolation;
import doms.control.PoolAdmin;
import doms.pool.Mac;
import doms.pool.SwitchStatus;
import doms.shm.SharedFile;
import doms.sw.EthernetFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job: a control plane, a switch and four guests as separate processes, traffic, a
 * forged source, a hostile guest, and a SIGKILL of the switch mid-run.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the whole system on a fresh pool under /dev/shm, with nothing to configure:",
                "guests A and B (tenant 1) exchange sequence-numbered frames, A also forges its source,",
                "C (tenant 2) floods broadcasts, D (tenant 2) turns hostile and corrupts its ring, and",
                "the switch is killed with SIGKILL mid-run and restarted by the control plane.",
                "Exits 1 if any frame was lost (neither received nor dropped at a full ring) or corrupted, crossed",
                "tenants or was delivered with a forged source, if D's port was not quarantined, or if another port",
                "was quarantined or forwarded nothing."})
final class DemoCommand implements Callable<Integer> {
    static final long A = Mac.parse("02:00:00:00:01:0a");
    static final long B = Mac.parse("02:00:00:00:01:0b");
    static final long C = Mac.parse("02:00:00:00:02:0c");
    static final long D = Mac.parse("02:00:00:00:02:0d");

    @Option(names = "--seconds", defaultValue = "6", description = "how long A sends (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--rate", defaultValue = "50000", description = "frames per second A sends, 0 for as fast as possible (default ${DEFAULT-VALUE})")
    long rate;

    @Option(names = "--size", defaultValue = "256", description = "frame bytes (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--pages", defaultValue = "256", description = "pages per ring (default ${DEFAULT-VALUE})")
    int pages;

    @Option(names = "--no-kill", description = "do not kill the switch mid-run")
    boolean noKill;

    @Option(names = "--isolate", defaultValue = "auto", description = "run each process under its own uid: auto (when root), on, off")
    String isolate;

    @Option(names = "--dir", paramLabel = "DIR", description = "parent of the pool directory (default /dev/shm)")
    Path dir = SharedFile.DEFAULT_DIRECTORY;

    @Option(names = "--json", description = "print one JSON object instead of the summary")
    boolean json;

    @Option(names = "--tap", description = {"real traffic instead (as root): guests bridged to TAP devices in network namespaces,",
            "ping and iperf3 through the switch and through a Linux bridge, a tenant that cannot reach them,",
            "a remote host behind a Linux vxlan device on the uplink, and a pcap of the uplink port"})
    boolean tap;

    @Option(names = "--pings", defaultValue = "100", description = "with --tap: pings from A to B (default ${DEFAULT-VALUE})")
    int pings;

    @Option(names = "--iperf-seconds", defaultValue = "5", description = "with --tap: length of each iperf3 run (default ${DEFAULT-VALUE})")
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
        if (!(seconds >= 1) || seconds > 3600) {
            throw new IllegalArgumentException("--seconds must be 1..3600");
        }
        if (size < doms.guest.DemoFrame.MIN_LENGTH || size > EthernetFrame.DEFAULT_MAX_FRAME) {
            throw new IllegalArgumentException("--size must be " + doms.guest.DemoFrame.MIN_LENGTH + ".." + EthernetFrame.DEFAULT_MAX_FRAME);
        }
        final Isolation isolation = isolation();
        final Path poolDir = dir.resolve("doms-demo-" + ProcessHandle.current().pid());
        final long started = System.nanoTime();
        progress("booting the switch over a pool of 8 slots x 2 rings x %d pages in %s%s", pages, poolDir,
                isolation.enabled() ? " (each process under its own uid)" : "");
        try (ControlPlane cp = ControlPlane.boot(JavaProcess.DOMS, poolDir, 8, pages, EthernetFrame.DEFAULT_MAX_FRAME, isolation, List.of())) {
            Runtime.getRuntime().addShutdownHook(new Thread(cp::close));
            final PoolAdmin.Assignment a = cp.assign(A, 1);
            final PoolAdmin.Assignment b = cp.assign(B, 1);
            final PoolAdmin.Assignment c = cp.assign(C, 2);
            final PoolAdmin.Assignment d = cp.assign(D, 2);
            final String deadline = Double.toString(seconds + 30);
            final Process guestB = cp.startGuest(b, List.of("--mac", Mac.format(B), "--tenant-macs", Mac.format(A),
                    "--expect-end-from", Mac.format(A), "--deadline", deadline));
            final Process guestA = cp.startGuest(a, List.of("--mac", Mac.format(A), "--tenant-macs", Mac.format(B),
                    "--send-to", Mac.format(B), "--seconds", Double.toString(seconds), "--rate", Long.toString(rate),
                    "--size", Integer.toString(size), "--forge-every", "100", "--deadline", deadline));
            final Process guestC = cp.startGuest(c, List.of("--mac", Mac.format(C), "--tenant-macs", Mac.format(D),
                    "--send-to", Mac.format(Mac.BROADCAST), "--seconds", Double.toString(seconds), "--rate", "20000",
                    "--size", "128", "--deadline", deadline));
            final Process guestD = cp.startGuest(d, List.of("--mac", Mac.format(D), "--tenant-macs", Mac.format(C),
                    "--send-to", Mac.format(Mac.BROADCAST), "--seconds", "1", "--rate", "1000", "--hostile", "LENGTH",
                    "--tamper", "--deadline", deadline));
            progress("guests A %s and B %s (tenant 1), C %s and D %s (tenant 2) started; A sends %s frames/s for %.0f s",
                    Mac.format(A), Mac.format(B), Mac.format(C), Mac.format(D), rate == 0 ? "max" : Long.toString(rate), seconds);
            if (!noKill) {
                LockSupport.parkNanos((long) (seconds / 2 * 1e9));
                progress("killing the switch (SIGKILL, pid %d) mid-run", cp.switchProcess().pid());
                cp.killSwitch();
            }
            final JsonNode ra = result(guestA, seconds + 40);
            final JsonNode rb = result(guestB, seconds + 40);
            final JsonNode rc = result(guestC, seconds + 40);
            final JsonNode rd = result(guestD, seconds + 40);
            final SwitchStatus st = cp.status();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // let the switch publish its last counters
            final long dropsFullB = st.counter(b.slot(), SwitchStatus.DROPS_FULL);
            final List<DemoOutcome.Port> ports = new ArrayList<>();
            final String[] names = {"A", "B", "C", "D"};
            final List<PoolAdmin.Assignment> guests = List.of(a, b, c, d);
            for (int i = 0; i < guests.size(); i++) {
                final int slot = guests.get(i).slot();
                ports.add(new DemoOutcome.Port(names[i], guests.get(i) == d, st.counter(slot, SwitchStatus.QUARANTINED) != 0,
                        st.counter(slot, SwitchStatus.FRAMES_IN), st.counter(slot, SwitchStatus.FRAMES_OUT)));
            }
            final long spoofDropped = st.counter(a.slot(), SwitchStatus.DROPS_SPOOFED);
            final List<ControlPlane.Restart> restarts = cp.restarts();
            for (final PoolAdmin.Assignment x : List.of(a, b, c, d)) {
                cp.retire(x.slot());
            }
            final long sent = ra.path("sent").asLong();
            final long received = rb.path("distinct").asLong();
            final long cross = ra.path("cross_tenant").asLong() + rb.path("cross_tenant").asLong()
                    + rc.path("cross_tenant").asLong() + rd.path("cross_tenant").asLong();
            final long spoofed = ra.path("spoofed").asLong() + rb.path("spoofed").asLong()
                    + rc.path("spoofed").asLong() + rd.path("spoofed").asLong();
            int resized = 0;
            for (final String resize : List.of("shrink", "grow", "extend")) {
                resized += "done".equals(rd.path("tamper").path(resize).asText()) ? 1 : 0;
            }
            final DemoOutcome.Tamper tamper = new DemoOutcome.Tamper(rd.path("tamper_attempts").asInt(), rd.path("tamper_refused").asInt(), resized);
            final DemoOutcome outcome = new DemoOutcome(sent, received, dropsFullB, rb.path("duplicated").asLong(),
                    rb.path("corrupted").asLong(), cross, spoofed, rb.path("end_seen").asBoolean(), ports, tamper);
            final Map<String, Object> out = new LinkedHashMap<>();
            out.put("sent", sent);
            out.put("received", received);
            out.put("not_arrived", outcome.notArrived());
            out.put("dropped_rx_full", dropsFullB);
            out.put("lost", outcome.lost());
            out.put("duplicated", rb.path("duplicated").asLong());
            out.put("reordered", rb.path("reordered").asLong());
            out.put("corrupted", rb.path("corrupted").asLong());
            out.put("cross_tenant_delivered", cross);
            out.put("spoofed_sent", ra.path("forged_sent").asLong());
            out.put("spoofed_dropped", spoofDropped);
            out.put("spoofed_delivered", spoofed);
            out.put("flood_frames_sent", rc.path("sent").asLong());
            out.put("quarantined_ports", outcome.quarantinedPorts());
            out.put("hostile_quarantined", ports.getLast().quarantined());
            out.put("wrongly_quarantined_ports", outcome.wronglyQuarantinedPorts());
            out.put("slot_tamper_attempts", tamper.attempts());
            out.put("slot_tamper_refused", tamper.refused());
            final Map<String, Object> tried = new LinkedHashMap<>();
            rd.path("tamper").properties().forEach(e -> tried.put(e.getKey(), e.getValue().asText()));
            out.put("slot_tamper", tried);
            final List<Map<String, Object>> portRows = new ArrayList<>();
            for (final DemoOutcome.Port p : ports) {
                portRows.add(new LinkedHashMap<>(Map.of("guest", p.name(), "hostile", p.hostile(), "quarantined", p.quarantined(),
                        "frames_in", p.framesIn(), "frames_out", p.framesOut())));
            }
            out.put("ports", portRows);
            out.put("restarts", restarts.size());
            out.put("restart_downtime_ms", restarts.stream().mapToLong(ControlPlane.Restart::downtimeMillis).max().orElse(0));
            out.put("frames_per_s", Math.round(received / seconds));
            out.put("isolated_uids", isolation.enabled());
            out.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
            final List<String> failures = outcome.failures();
            out.put("failures", failures);
            if (json) {
                System.out.println(Json.write(out));
            } else {
                summary(out, outcome);
            }
            return failures.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private int tapDemo() throws Exception {
        if (pings < 1 || pings > 100_000) {
            throw new IllegalArgumentException("--pings must be 1..100000");
        }
        if (iperfSeconds < 1 || iperfSeconds > 600) {
            throw new IllegalArgumentException("--iperf-seconds must be 1..600");
        }
        final String missing = doms.control.TapLab.missing();
        if (missing != null) {
            System.err.println("demo --tap: skipped: " + missing);
            return ExitCodes.SKIPPED;
        }
        final Isolation isolation = isolation();
        final Path file = pcap != null ? pcap.toAbsolutePath() : Path.of(System.getProperty("java.io.tmpdir"), "doms-tap-demo.pcap");
        try (doms.control.TapLab lab = new doms.control.TapLab(new doms.control.TapLab.Options(doms.cli.JavaProcess.DOMS, pings, iperfSeconds, file, isolation,
                line -> System.err.println("demo --tap: " + line)))) {
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close));
            final Map<String, Object> out = lab.run();
            final boolean ok = doms.control.TapLab.passed(out);
            if (json) {
                System.out.println(Json.write(out));
            } else {
                System.out.printf("ping A -> B: %s pings, %s%% loss%n", out.get("ping_count"), out.get("ping_loss_pct"));
                System.out.printf("iperf3 A -> B: %s Mbit/s through the switch, %s Mbit/s through a Linux bridge (ratio %s)%n",
                        out.get("iperf3_mbps"), out.get("bridge_iperf3_mbps"), out.get("iperf3_ratio_to_bridge"));
                System.out.printf("tenant 2 reaches tenant 1: %s%n", out.get("cross_tenant_reachable"));
                System.out.printf("VXLAN to and from a Linux vxlan device: %s%n", Boolean.TRUE.equals(out.get("vxlan_ping_ok")) ? "ok" : "FAILED");
                System.out.printf("capture of the uplink port: %s frames, %s ICMP, in %s%n", out.get("pcap_frames"), out.get("pcap_icmp_frames"),
                        out.get("pcap_file"));
                System.out.println(ok ? "demo --tap: OK" : "demo --tap: FAILED");
            }
            System.err.println(hold ? "demo --tap: holding; try it by hand (Ctrl-C ends and cleans up):"
                    : "demo --tap: to try it by hand, run ./doms demo --tap --hold, then:");
            lab.handCommands().forEach(c -> System.err.println("  " + c));
            if (hold) {
                new java.util.concurrent.CountDownLatch(1).await();
            }
            return ok ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private Isolation isolation() {
        return Isolation.choose(isolate, JavaProcess.command(Main.class.getName(), List.of("--version")));
    }

    private JsonNode result(final Process guest, final double timeoutSeconds) throws IOException, InterruptedException {
        if (!guest.waitFor((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS)) {
            guest.destroyForcibly();
            throw new IOException("a guest did not finish within " + timeoutSeconds + " s");
        }
        final String line = new String(guest.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (guest.exitValue() != 0 || line.isEmpty()) {
            throw new IOException("a guest failed (exit " + guest.exitValue() + ")");
        }
        return new ObjectMapper().readTree(line.lines().reduce((x, y) -> y).orElseThrow());
    }

    private void progress(final String format, final Object... args) {
        System.err.printf("demo: " + format + "%n", args);
    }

    private static void summary(final Map<String, Object> out, final DemoOutcome outcome) {
        final List<String> lines = new ArrayList<>();
        lines.add(String.format("A -> B: %,d frames sent, %,d received, %,d did not arrive, %d duplicated, %d reordered, %d corrupted (%,d frames/s)",
                out.get("sent"), out.get("received"), outcome.notArrived(), out.get("duplicated"), out.get("reordered"),
                out.get("corrupted"), out.get("frames_per_s")));
        lines.add(String.format("  did not arrive: %,d dropped by the switch at B's full RX ring (B read too slowly), %,d lost (unaccounted)",
                outcome.droppedRxFull(), outcome.lost()));
        lines.add(String.format("forged sources: %d sent by A, %d dropped by the switch, %d delivered",
                out.get("spoofed_sent"), out.get("spoofed_dropped"), out.get("spoofed_delivered")));
        lines.add(String.format("tenants: %,d broadcasts flooded by C, %d frames crossed tenants", out.get("flood_frames_sent"),
                out.get("cross_tenant_delivered")));
        final StringBuilder ports = new StringBuilder();
        for (final DemoOutcome.Port p : outcome.ports()) {
            ports.append(String.format("%s%s %s (%,d in, %,d out)", ports.isEmpty() ? "" : "; ", p.name(),
                    p.quarantined() ? "QUARANTINED" : "forwarding", p.framesIn(), p.framesOut()));
        }
        lines.add("ports: " + ports + "; hostile guest D " + (outcome.ports().getLast().quarantined() ? "quarantined" : "NOT quarantined"));
        lines.add(String.format("D's attempts on its slot's memfd: %d, refused by the kernel: %d (%s)", outcome.tamper().attempts(),
                outcome.tamper().refused(), out.get("slot_tamper")));
        lines.add(String.format("switch: %d restart(s), longest downtime %d ms", out.get("restarts"), out.get("restart_downtime_ms")));
        final List<String> failures = outcome.failures();
        if (failures.isEmpty()) {
            lines.add("demo: OK");
        } else {
            lines.add("demo: FAILED");
            failures.forEach(f -> lines.add("  - " + f));
        }
        lines.forEach(System.out::println);
    }
}
