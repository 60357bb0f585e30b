package doms.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import doms.control.ControlPlane;
import doms.control.Isolation;
import doms.control.Launcher;
import doms.control.PoolAdmin;
import doms.pool.Mac;
import doms.pool.SwitchStatus;
import doms.net.EthernetFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The main job: a control plane, a switch and four guests as separate processes, traffic, a
 * forged source, a hostile guest, and a SIGKILL of the switch mid-run. {@link TapLab} is its
 * twin with real traffic.
 */
public final class ProcessDemo {
    static final long A = Mac.parse("02:00:00:00:01:0a");
    static final long B = Mac.parse("02:00:00:00:01:0b");
    static final long C = Mac.parse("02:00:00:00:02:0c");
    static final long D = Mac.parse("02:00:00:00:02:0d");

    /** What to run: how the control plane starts processes, A's traffic, and whether the switch is killed. */
    public record Options(Launcher launcher, double seconds, long rate, int size, int pages, boolean kill, Isolation isolation,
                          Path dir, Consumer<String> progress) {
        public Options {
            if (!(seconds >= 1) || seconds > 3600) {
                throw new IllegalArgumentException("--seconds must be 1..3600");
            }
            if (size < doms.guest.DemoFrame.MIN_LENGTH || size > EthernetFrame.DEFAULT_MAX_FRAME) {
                throw new IllegalArgumentException("--size must be " + doms.guest.DemoFrame.MIN_LENGTH + ".." + EthernetFrame.DEFAULT_MAX_FRAME);
            }
        }
    }

    /** The figures (the --json object), the human summary, and the verdict of {@link DemoOutcome}. */
    public record Report(Map<String, Object> json, List<String> summary, boolean passed) {
    }

    private ProcessDemo() {
    }

    public static Report run(final Options o) throws IOException, InterruptedException {
        final Path poolDir = o.dir().resolve("doms-demo-" + ProcessHandle.current().pid());
        final long started = System.nanoTime();
        o.progress().accept(String.format("booting the switch over a pool of 8 slots x 2 rings x %d pages in %s%s", o.pages(), poolDir,
                o.isolation().enabled() ? " (each process under its own uid)" : ""));
        try (ControlPlane cp = ControlPlane.boot(o.launcher(), poolDir, 8, o.pages(), EthernetFrame.DEFAULT_MAX_FRAME, o.isolation(), List.of())) {
            Runtime.getRuntime().addShutdownHook(new Thread(cp::close));
            final PoolAdmin.Assignment a = cp.assign(A, 1);
            final PoolAdmin.Assignment b = cp.assign(B, 1);
            final PoolAdmin.Assignment c = cp.assign(C, 2);
            final PoolAdmin.Assignment d = cp.assign(D, 2);
            final String deadline = Double.toString(o.seconds() + 30);
            final Process guestB = cp.startGuest(b, List.of("--mac", Mac.format(B), "--tenant-macs", Mac.format(A),
                    "--expect-end-from", Mac.format(A), "--deadline", deadline));
            awaitReady(guestB, "B"); // B polls before A sends: A's end marker must not meet a ring nobody reads
            final Process guestA = cp.startGuest(a, List.of("--mac", Mac.format(A), "--tenant-macs", Mac.format(B),
                    "--send-to", Mac.format(B), "--seconds", Double.toString(o.seconds()), "--rate", Long.toString(o.rate()),
                    "--size", Integer.toString(o.size()), "--forge-every", "100", "--deadline", deadline));
            final Process guestC = cp.startGuest(c, List.of("--mac", Mac.format(C), "--tenant-macs", Mac.format(D),
                    "--send-to", Mac.format(Mac.BROADCAST), "--seconds", Double.toString(o.seconds()), "--rate", "20000",
                    "--size", "128", "--deadline", deadline));
            final Process guestD = cp.startGuest(d, List.of("--mac", Mac.format(D), "--tenant-macs", Mac.format(C),
                    "--send-to", Mac.format(Mac.BROADCAST), "--seconds", "1", "--rate", "1000", "--hostile", "LENGTH",
                    "--tamper", "--deadline", deadline));
            o.progress().accept(String.format("guests A %s and B %s (tenant 1), C %s and D %s (tenant 2) started; A sends %s frames/s for %.0f s",
                    Mac.format(A), Mac.format(B), Mac.format(C), Mac.format(D), o.rate() == 0 ? "max" : Long.toString(o.rate()), o.seconds()));
            if (o.kill()) {
                LockSupport.parkNanos((long) (o.seconds() / 2 * 1e9));
                o.progress().accept(String.format("killing the switch (SIGKILL, pid %d) mid-run", cp.switchProcess().pid()));
                cp.killSwitch();
            }
            final JsonNode ra = result(guestA, o.seconds() + 40);
            final JsonNode rb = result(guestB, o.seconds() + 40);
            final JsonNode rc = result(guestC, o.seconds() + 40);
            final JsonNode rd = result(guestD, o.seconds() + 40);
            final SwitchStatus st = cp.status();
            awaitLastCounters(st, d.slot());
            final long dropsFullB = st.opaqueCounter(b.slot(), SwitchStatus.SlotCounter.DROPS_FULL);
            final List<DemoOutcome.Port> ports = new ArrayList<>();
            final String[] names = {"A", "B", "C", "D"};
            final List<PoolAdmin.Assignment> guests = List.of(a, b, c, d);
            for (int i = 0; i < guests.size(); i++) {
                final int slot = guests.get(i).slot();
                ports.add(new DemoOutcome.Port(names[i], guests.get(i) == d, st.opaqueCounter(slot, SwitchStatus.SlotCounter.QUARANTINED) != 0,
                        st.opaqueCounter(slot, SwitchStatus.SlotCounter.FRAMES_IN), st.opaqueCounter(slot, SwitchStatus.SlotCounter.FRAMES_OUT)));
            }
            final long spoofDropped = st.opaqueCounter(a.slot(), SwitchStatus.SlotCounter.DROPS_SPOOFED);
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
            out.put("frames_per_s", Math.round(received / o.seconds()));
            out.put("isolated_uids", o.isolation().enabled());
            out.put("seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
            final List<String> failures = outcome.failures();
            out.put("failures", failures);
            return new Report(out, summary(out, outcome), failures.isEmpty());
        }
    }

    /**
     * Waits until the counters are the last ones: every guest has exited, so once the switch has
     * begun two rounds after now it has polled every ring since (a round publishes its counters
     * before the next one starts), and hostile D's forged header, written just before D exited,
     * has been seen. A sleep was here once: CI read D's counters before the switch had looked.
     * Bounded: a switch that never quarantines D is reported by the verdict, not waited for.
     */
    private static void awaitLastCounters(final SwitchStatus st, final int hostileSlot) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long beat = st.opaqueHeartbeat();
        int rounds = 0; // heartbeat changes seen (a restarted switch counts from 1 again)
        while (System.nanoTime() - deadline < 0) {
            final long now = st.opaqueHeartbeat();
            if (now != beat) {
                beat = now;
                rounds++;
            }
            if (rounds >= 2 && st.opaqueCounter(hostileSlot, SwitchStatus.SlotCounter.QUARANTINED) != 0) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // polling a condition, not a core
        }
    }

    /** Reads the guest's first line, 'ready slot=N', bounded: the rest stays for {@link #result}. */
    private static void awaitReady(final Process guest, final String name) throws IOException, InterruptedException {
        final java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            final StringBuilder sb = new StringBuilder();
            try {
                for (int c = guest.getInputStream().read(); c != -1 && c != '\n'; c = guest.getInputStream().read()) {
                    sb.append((char) c);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return sb.toString();
        });
        final String got;
        try {
            got = line.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            guest.destroyForcibly();
            throw new IOException("guest " + name + " did not attach within 60 s", e);
        }
        if (!got.startsWith("ready")) {
            throw new IOException("guest " + name + " did not attach: '" + got + "' (exit " + (guest.isAlive() ? "none yet" : guest.exitValue()) + ")");
        }
    }

    private static JsonNode result(final Process guest, final double timeoutSeconds) throws IOException, InterruptedException {
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

    private static List<String> summary(final Map<String, Object> out, final DemoOutcome outcome) {
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
        return lines;
    }
}
