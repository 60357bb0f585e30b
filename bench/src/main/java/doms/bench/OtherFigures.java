package doms.bench;

import doms.control.ControlPlane;
import doms.control.Isolation;
import doms.control.PoolAdmin;
import doms.pool.Mac;
import doms.pool.SwitchStatus;
import doms.net.EthernetFrame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/** Latency, the switch and the idle cost. */
final class OtherFigures {
    static final List<String> LATENCY_TRANSPORTS = List.of("doms", "agrona", "tcp", "uds");
    static final double[] PERCENTILES = {50, 90, 99, 99.9};

    private OtherFigures() {
    }

    /**
     * Round trip of a 64 B message between two processes, busy polling on the rings; rounds of
     * each transport interleaved, histograms merged.
     */
    static void latency(final Plan plan, final Path work, final List<Row> rows) throws IOException {
        final List<Child> started = new ArrayList<>();
        final Map<String, Child[]> pairs = new LinkedHashMap<>();
        try {
            for (final String t : LATENCY_TRANSPORTS) {
                final List<String> pong = new ArrayList<>(List.of("transport=" + t, "size=" + plan.latencySize()));
                final List<String> ping = new ArrayList<>(pong);
                switch (t) {
                    case "doms", "agrona" -> {
                        final Path a = RingFiles.create(t, work.resolve("latency-" + t + "-ping.ring"), Plan.PAGES);
                        final Path b = RingFiles.create(t, work.resolve("latency-" + t + "-pong.ring"), Plan.PAGES);
                        pong.addAll(List.of("in=" + a, "out=" + b));
                        ping.addAll(List.of("out=" + a, "in=" + b));
                    }
                    case "uds" -> {
                        pong.add("path=" + work.resolve("latency.sock"));
                        ping.add("path=" + work.resolve("latency.sock"));
                    }
                    default -> {
                    }
                }
                final Child ponger = Child.worker(t + "-pong", "pong", pong);
                started.add(ponger);
                final KeyValues first = ponger.expect(t.equals("tcp") || t.equals("uds") ? "listening" : "ready", 120);
                if (t.equals("tcp")) {
                    ping.add("port=" + first.get("port"));
                }
                final Child pinger = Child.worker(t + "-ping", "ping", ping);
                started.add(pinger);
                pinger.expect("ready", 120);
                pairs.put(t, new Child[] {pinger, ponger});
            }
            final Map<String, Histogram> merged = new LinkedHashMap<>();
            final String command = KeyValues.format("run", "poll", "busy", "warm_ns", StreamBench.nanos(plan.latencyWarm()),
                    "measure_ns", StreamBench.nanos(plan.latencyMeasure()), "limit_ns", StreamBench.nanos(30));
            // Round 0 warms up the JIT of every pair and is not recorded.
            final String warmUp = KeyValues.format("run", "poll", "busy", "warm_ns", StreamBench.nanos(plan.jitWarmup()),
                    "measure_ns", StreamBench.nanos(0.1), "limit_ns", StreamBench.nanos(30));
            int disturbedRounds = 0;
            final Map<String, double[]> lineRange = new LinkedHashMap<>(); // transport -> lowest, highest line round trip probed
            for (int round = 0; round <= plan.latencyRounds(); round++) {
                for (int i = 0; i < LATENCY_TRANSPORTS.size(); i++) {
                    final String t = LATENCY_TRANSPORTS.get((i + round) % LATENCY_TRANSPORTS.size());
                    final Child[] pair = pairs.get(t);
                    Histogram best = null;
                    double bestForeign = Double.NaN;
                    final boolean ring = t.equals("doms") || t.equals("agrona");
                    for (int attempt = 0; attempt <= (round == 0 ? 0 : plan.retries()); attempt++) {
                        final double lineBefore = ring && round > 0 ? LineProbe.roundTripNanos() : Double.NaN;
                        final Disturbance disturbance = Disturbance.start();
                        pair[1].send(round == 0 ? warmUp : command);
                        pair[0].send(round == 0 ? warmUp : command);
                        final double timeout = plan.jitWarmup() + plan.latencyWarm() + plan.latencyMeasure() + 60;
                        final KeyValues result = pair[0].expect("ok", timeout);
                        final KeyValues echo = pair[1].expect("ok", timeout);
                        if (round == 0) {
                            break;
                        }
                        final double foreign = disturbance.foreignCores((result.getLong("cpu_ns") + echo.getLong("cpu_ns")) / 1e9);
                        final double lineAfter = ring ? LineProbe.roundTripNanos() : Double.NaN;
                        final Histogram h = Histogram.decodeFromCompressedByteBuffer(
                                ByteBuffer.wrap(Base64.getDecoder().decode(result.get("hist"))), 0);
                        Progress.say("latency round %d %-7s p50 %6.2f us  p99 %7.2f us  (%,d round trips)  other work %.2f%s%s", round, t,
                                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getTotalCount(), foreign,
                                Disturbance.disturbed(foreign) ? " (DISTURBED)" : "",
                                ring ? String.format(java.util.Locale.ROOT, "  line %.0f/%.0f ns", lineBefore, lineAfter) : "");
                        if (ring) {
                            final double[] range = lineRange.computeIfAbsent(t, k -> new double[] {Double.POSITIVE_INFINITY, 0});
                            for (final double line : new double[] {lineBefore, lineAfter}) {
                                if (line > 0) {
                                    range[0] = Math.min(range[0], line);
                                    range[1] = Math.max(range[1], line);
                                }
                            }
                        }
                        if (best == null || !(foreign >= bestForeign)) {
                            best = h;
                            bestForeign = foreign;
                        }
                        if (!Disturbance.disturbed(bestForeign)) {
                            break;
                        }
                    }
                    if (best != null) {
                        disturbedRounds += Disturbance.disturbed(bestForeign) ? 1 : 0;
                        merged.computeIfAbsent(t, k -> new Histogram(1, 60_000_000_000L, 3)).add(best);
                    }
                }
            }
            for (final String t : LATENCY_TRANSPORTS) {
                final Histogram h = merged.get(t);
                final String variant = t.equals("doms") || t.equals("agrona") ? "busy" : "";
                final double[] line = lineRange.get(t);
                for (final double p : PERCENTILES) {
                    final Row row = Row.of("latency", t, variant, "p" + Format.x(p), h.getValueAtPercentile(p) / 1e3, "us")
                            .with("round_trips", h.getTotalCount())
                            .with("disturbed_rounds_all_transports", disturbedRounds)
                            .with("mean_us", h.getMean() / 1e3)
                            .with("max_us", h.getMaxValue() / 1e3);
                    // The line round trip over this transport's rounds: a wide range means its histogram mixes levels.
                    rows.add(line == null || line[1] == 0 ? row : row.with("line_rtt_min_ns", line[0]).with("line_rtt_max_ns", line[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw e instanceof IOException io ? io : new IOException(e);
        } catch (java.util.zip.DataFormatException e) {
            throw new IOException("a latency histogram did not decode: " + e.getMessage(), e);
        } finally {
            for (final Child c : started.reversed()) {
                c.close();
            }
        }
    }

    /**
     * The switch: a control plane boots it over a pool (as in the demo), then for each frame size
     * and guest count, guests as processes each send to the next one as fast as their TX ring takes
     * frames; frames/s is what all guests received in their measured window.
     */
    static void switchFigure(final Plan plan, final Path work, final List<Row> rows) throws IOException, InterruptedException {
        final int slots = plan.switchGuests().stream().mapToInt(Integer::intValue).max().orElse(2);
        final Path poolDir = work.resolve("switch-pool");
        Progress.say("switch: booting the switch over a pool of %d slots x 2 rings x %d pages", slots, Plan.PAGES);
        try (ControlPlane cp = ControlPlane.boot(doms.cli.JavaProcess.DOMS, poolDir, slots, Plan.PAGES, EthernetFrame.DEFAULT_MAX_FRAME, Isolation.off(), List.of())) {
            Jvm.register(cp.switchProcess());
            final Thread stop = new Thread(cp::close, "doms-bench-switch");
            Runtime.getRuntime().addShutdownHook(stop); // Ctrl-C: stop the switch, its standby and the guests
            final SwitchStatus status = cp.status();
            for (final int size : plan.switchSizes()) {
                for (final int guests : plan.switchGuests()) {
                    rows.add(switchPoint(plan, cp, status, size, guests));
                }
            }
            Runtime.getRuntime().removeShutdownHook(stop);
        }
    }

    private static Row switchPoint(final Plan plan, final ControlPlane cp, final SwitchStatus status, final int size, final int guests)
            throws IOException, InterruptedException {
        final List<PoolAdmin.Assignment> assigned = new ArrayList<>();
        final List<Child> children = new ArrayList<>();
        try {
            for (int i = 0; i < guests; i++) {
                assigned.add(cp.assign(mac(i), 1));
            }
            final long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (final PoolAdmin.Assignment a : assigned) {
                while (status.opaqueServedGeneration(a.slot()) != a.generation()) {
                    if (System.nanoTime() - waitUntil > 0) {
                        throw new IOException("the switch did not attach slot " + a.slot() + " within 20 s");
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            }
            for (int i = 0; i < guests; i++) {
                final PoolAdmin.Assignment a = assigned.get(i);
                children.add(Child.worker("guest-" + i, "guest", List.of("pool=" + cp.pool().dir(), "slot=" + a.slot(), "mac=" + Mac.format(mac(i)),
                        "to=" + Mac.format(mac((i + 1) % guests)), "size=" + size, "poll=adaptive:100")));
            }
            for (final Child c : children) {
                c.expect("ready", 120);
            }
            final long out0 = sum(status, assigned, SwitchStatus.SlotCounter.FRAMES_OUT);
            final String go = KeyValues.format("go", "warm_ns", StreamBench.nanos(plan.switchWarm()),
                    "measure_ns", StreamBench.nanos(plan.switchMeasure()));
            final long start = System.nanoTime();
            for (final Child c : children) {
                c.send(go);
            }
            double framesPerSecond = 0;
            long sent = 0;
            long received = 0;
            for (final Child c : children) {
                final KeyValues r = c.expect("ok", plan.switchWarm() + plan.switchMeasure() + 60);
                framesPerSecond += r.getLong("window_received") / (r.getLong("window_ns") / 1e9);
                sent += r.getLong("sent");
                received += r.getLong("received");
            }
            final double elapsed = (System.nanoTime() - start) / 1e9;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            final long out = sum(status, assigned, SwitchStatus.SlotCounter.FRAMES_OUT) - out0;
            final long drops = sum(status, assigned, SwitchStatus.SlotCounter.DROPS_FULL);
            Progress.say("switch %4d B %d guests: %,12.0f frames/s (%,.0f Mbit/s), %,d sent, %,d received, %,d dropped (RX full)",
                    size, guests, framesPerSecond, framesPerSecond * size * 8 / 1e6, sent, received, drops);
            return Row.of("switch", "doms switch", size + " B", guests, framesPerSecond, "frames/s")
                    .with("mbit_per_s", framesPerSecond * size * 8 / 1e6)
                    .with("frames_sent", sent)
                    .with("frames_received", received)
                    .with("switch_frames_out", out)
                    .with("switch_frames_out_per_s", out / elapsed)
                    .with("drops_rx_full", drops)
                    .with("poll", "adaptive:100");
        } finally {
            for (final Child c : children) {
                c.close();
            }
            for (final PoolAdmin.Assignment a : assigned) {
                cp.retire(a.slot());
            }
        }
    }

    private static long mac(final int i) {
        return Mac.parse(String.format("02:00:00:00:0b:%02x", i + 1));
    }

    private static long sum(final SwitchStatus status, final List<PoolAdmin.Assignment> slots, final SwitchStatus.SlotCounter field) {
        long total = 0;
        for (final PoolAdmin.Assignment a : slots) {
            total += status.opaqueCounter(a.slot(), field);
        }
        return total;
    }

    /** Idle cost: one consumer per strategy on an empty ring, all at once, CPU time over wall time. */
    static void idle(final Plan plan, final Path work, final List<Row> rows) throws IOException {
        final List<Child> children = new ArrayList<>();
        final List<Path> files = new ArrayList<>();
        try {
            for (int i = 0; i < plan.idlePolls().size(); i++) {
                final Path file = RingFiles.doms(work.resolve("idle-" + i + ".ring"), 1);
                files.add(file);
                children.add(Child.worker("idle-" + plan.idlePolls().get(i), "idle", List.of("file=" + file, "poll=" + plan.idlePolls().get(i))));
            }
            for (final Child c : children) {
                c.expect("ready", 120);
            }
            final String go = KeyValues.format("go", "warm_ns", StreamBench.nanos(plan.idleWarm()), "measure_ns", StreamBench.nanos(plan.idleMeasure()));
            for (final Child c : children) {
                c.send(go);
            }
            for (int i = 0; i < children.size(); i++) {
                final KeyValues r = children.get(i).expect("ok", plan.idleWarm() + plan.idleMeasure() + 60);
                final double wall = r.getLong("wall_ns");
                final double process = r.getLong("cpu_ns") / wall * 100;
                final double thread = r.getLong("thread_cpu_ns") / wall * 100;
                final String poll = plan.idlePolls().get(i);
                final Object x = poll.startsWith("period:") ? Plan.periodX(poll) : poll;
                Progress.say("idle %-13s %6.2f%% of a core (polling thread %6.2f%%), %,d polls/s", poll, process, thread,
                        Math.round(r.getLong("polls") / (wall / 1e9)));
                rows.add(Row.of("idle", "doms", "", x, process, "% of a core")
                        .with("poll", poll)
                        .with("polling_thread_pct", thread)
                        .with("polls_per_s", Math.round(r.getLong("polls") / (wall / 1e9))));
            }
        } finally {
            for (final Child c : children) {
                c.close();
            }
            for (final Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }
}
