package doms.trace;

import doms.control.ControlPlane;
import doms.control.Isolation;
import doms.control.PoolAdmin;
import doms.guest.DemoFrame;
import doms.guest.GuestPort;
import doms.guest.SlotGrant;
import doms.net.EthernetFrame;
import doms.net.VirtioNetHeader;
import doms.pool.Mac;
import doms.pool.PoolTrace;
import doms.pool.SlotDescriptor;
import doms.pool.SwitchStatus;
import doms.ring.RingDescriptor;
import doms.ring.RingResult;
import doms.shm.FileTrees;
import doms.shm.SharedFile;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Where pool traces come from: one run of the whole pool protocol per JVM, this process being
 * the control plane (a real {@link ControlPlane}, which starts and restarts real switch
 * processes) and the guests (each on its own slot's memory from the control socket, as in
 * SwitchProcessTest). Guests A and B (tenant 1) and X and Y (tenant 2) exchange unicast,
 * broadcast, unknown-unicast and cross-tenant frames, some of them as offloaded records (B
 * accepts offloads and gets them unchanged, A and C as plain frames); A is retired and its
 * slot reassigned to C (tenant 1); the switch is SIGKILLed, frames are committed while it is
 * down, and the control plane's restart forwards them.
 *
 * <p>Run with {@code -Ddoms.trace=SCRATCH -Ddoms.trace.label=LABEL}: every process of the run
 * logs into SCRATCH (the ring ends too), and at the end the pool logs are moved to the output
 * directory and SCRATCH deleted. Scenarios: {@code full} (the above, the kill while nothing is
 * in flight), {@code busy} (the kill while C and X are sending and the switch forwarding),
 * {@code short} (the first traffic only), {@code retire} (up to the frames sent after A's
 * retirement).
 * Waits are bounded polls of an observable condition, never sleeps.
 */
public final class PoolTraceWorkload {
    static final long A = Mac.parse("02:00:00:00:01:0a");
    static final long B = Mac.parse("02:00:00:00:01:0b");
    static final long C = Mac.parse("02:00:00:00:01:0c");
    static final long X = Mac.parse("02:00:00:00:02:0a");
    static final long Y = Mac.parse("02:00:00:00:02:0b");
    static final long UNKNOWN = Mac.parse("02:00:00:00:09:09");
    static final int LENGTH = 64;
    static final int PAGES = 4;

    private final ControlPlane cp;
    private final SwitchStatus status;
    private final MemorySegment frame = Arena.ofAuto().allocate(256, 8);
    private final List<Guest> live = new ArrayList<>();

    /** A guest of this run: its port and what it sent in its generation. */
    private static final class Guest {
        final long mac;
        final int slot;
        final SlotGrant grant;
        final GuestPort port;
        long sent;

        Guest(final long mac, final int slot, final SlotGrant grant) {
            this.mac = mac;
            this.slot = slot;
            this.grant = grant;
            this.port = GuestPort.attach(grant.memory());
        }
    }

    private PoolTraceWorkload(final ControlPlane cp) {
        this.cp = cp;
        this.status = cp.status();
    }

    /** Args: OUT FRAMES SEED SCENARIO SWITCH_MAIN [SWITCH_ARGS...]; the switch processes run SWITCH_MAIN. */
    public static void main(final String[] args) throws Exception {
        if (!PoolTrace.ON) {
            throw new IllegalStateException("run with -Ddoms.trace=DIR");
        }
        final Path out = Path.of(args[0]);
        final int frames = Integer.parseInt(args[1]);
        final long seed = Long.parseLong(args[2]);
        final String scenario = args[3];
        final List<String> switchMain = List.of(args).subList(4, args.length);
        final String label = System.getProperty("doms.trace.label", "pool");
        final List<String> flags = List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Ddoms.trace=" + PoolTrace.DIR, "-Ddoms.trace.label=" + label);
        final doms.control.Launcher launcher = domsArgs -> {
            final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(flags);
            command.addAll(List.of("-cp", System.getProperty("java.class.path")));
            command.addAll(switchMain);
            command.addAll(domsArgs);
            return command;
        };
        final Path dir = SharedFile.DEFAULT_DIRECTORY.resolve("doms-trace-pool-" + ProcessHandle.current().pid());
        final ControlPlane cp = ControlPlane.boot(launcher, dir, 4, PAGES, EthernetFrame.DEFAULT_MAX_FRAME, Isolation.off(),
                List.of("--poll", "adaptive:50"));
        final PoolTraceWorkload w = new PoolTraceWorkload(cp);
        try {
            w.run(frames, new SplittableRandom(seed), scenario);
        } finally {
            w.live.forEach(g -> g.grant.close());
            cp.close();
        }
        Files.createDirectories(out);
        try (var files = Files.list(Path.of(PoolTrace.DIR))) {
            for (final Path p : files.toList()) {
                final String n = p.getFileName().toString();
                if (n.startsWith(label + ".pool-") && n.endsWith(".ndjson")) {
                    Files.move(p, out.resolve(n), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        FileTrees.delete(Path.of(PoolTrace.DIR));
    }

    private void run(final int frames, final SplittableRandom r, final String scenario) throws Exception {
        final Guest a = assign(A, 1);
        final Guest b = assign(B, 1);
        b.port.acceptOffloads(); // offloaded records reach B unchanged, every other guest as plain frames
        final Guest x = assign(X, 2);
        final Guest y = assign(Y, 2);
        traffic(frames, r, a, b, x, y);
        if (scenario.equals("short")) {
            return;
        }
        cp.retire(a.slot);
        live.remove(a);
        a.grant.close();
        for (int i = 0; i < 5; i++) {
            send(b, i % 2 == 0 ? A : Mac.BROADCAST); // A's address is nobody's now: flooded within tenant 1
        }
        quiet();
        if (scenario.equals("retire")) {
            return;
        }
        final Guest c = assign(C, 1);
        traffic(frames / 2, r, c, b, x, y);
        quiet();
        if (scenario.equals("busy")) {
            for (int i = 0; i < 60; i++) { // the kill falls among frames being forwarded
                send(c, B);
                send(x, Y);
                if (i == 30) {
                    cp.killSwitch();
                }
            }
        } else {
            cp.killSwitch();
        }
        for (int i = 0; i < 5; i++) { // committed while no switch runs
            send(c, B);
            send(x, Y);
        }
        await("the restarted switch", () -> !cp.restarts().isEmpty());
        traffic(frames / 2, r, c, b, x, y);
        quiet();
    }

    private Guest assign(final long mac, final int tenant) throws IOException {
        final PoolAdmin.Assignment a = cp.assign(mac, tenant);
        final Guest g = new Guest(mac, a.slot(), SlotGrant.request(cp.pool().dir(), a.slot()));
        live.add(g);
        return g;
    }

    /** Frames between the four guests: unicast both ways, broadcast, unknown unicast, another tenant's address. */
    private void traffic(final int frames, final SplittableRandom r, final Guest p, final Guest q, final Guest x, final Guest y) {
        for (int i = 0; i < frames; i++) {
            final int pick = r.nextInt(10);
            switch (pick) {
                case 0 -> sendOffloaded(p, Mac.BROADCAST);
                case 1 -> send(x, UNKNOWN);
                case 2 -> send(p, x.mac);        // another tenant's guest: unknown in p's, flooded there
                case 3 -> send(q, p.mac);
                case 4 -> sendOffloaded(q, p.mac);   // to a guest without offloads: a plain frame
                case 5, 6 -> send(x, y.mac);
                case 7 -> send(y, Mac.BROADCAST);
                case 8 -> sendOffloaded(p, q.mac);
                default -> send(p, q.mac);
            }
            if (i % 16 == 15) {
                quiet(); // few frames in flight: no RX ring fills, nothing is dropped for FULL
            }
        }
        quiet();
    }

    /** One frame; its tag (the demo frame's sequence number) is the guest's count of its sends. */
    private void send(final Guest g, final long dst) {
        DemoFrame.write(frame, dst, g.mac, DemoFrame.DATA, g.sent + 1, LENGTH);
        await("room in " + Mac.format(g.mac) + "'s TX ring", () -> g.port.send(frame, 0, LENGTH) == RingResult.OK);
        g.sent++;
    }

    /** The same frame as an offloaded record: behind a virtio-net header that asks for nothing. */
    private void sendOffloaded(final Guest g, final long dst) {
        frame.asSlice(0, VirtioNetHeader.LENGTH).fill((byte) 0);
        DemoFrame.write(frame.asSlice(VirtioNetHeader.LENGTH), dst, g.mac, DemoFrame.DATA, g.sent + 1, LENGTH);
        await("room in " + Mac.format(g.mac) + "'s TX ring", () -> {
            final boolean ok = g.port.sendOffloadedDeferred(frame, 0, VirtioNetHeader.LENGTH + LENGTH) == RingResult.OK;
            g.port.flush();
            return ok;
        });
        g.sent++;
    }

    /**
     * Until the switch has released every frame each guest committed (the consumer position in
     * its TX ring has reached the guest's own position: the one in the ring lags it, as send
     * stores it once per lap) and finished two more rounds; the guests drain their RX rings
     * meanwhile.
     */
    private void quiet() {
        for (final Guest g : live) {
            final MemorySegment tx = SlotDescriptor.txRing(g.port.sharedMemory(), PAGES);
            await("the switch releases " + Mac.format(g.mac) + "'s frames",
                    () -> tx.get(ValueLayout.JAVA_LONG_UNALIGNED, RingDescriptor.CONSUMER_POSITION_OFFSET) == g.port.txPosition());
        }
        final long beat = status.opaqueHeartbeat();
        await("two more rounds", () -> status.opaqueHeartbeat() > beat + 2);
        drain();
    }

    private void drain() {
        for (final Guest g : live) {
            g.port.receive((type, buffer, offset, length) -> { }, 1000);
        }
    }

    private void await(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            drain();
            Thread.onSpinWait();
        }
    }

    /**
     * Writes the pool traces of {@code runs} runs into traceDir (labels {@code pool-K}), each in
     * a JVM of its own on this class path with the real switch; odd runs kill it while busy.
     */
    public static void generate(final Path traceDir, final int runs, final int frames, final long seed)
            throws IOException, InterruptedException {
        for (int run = 0; run < runs; run++) {
            final Process p = start(traceDir, "pool-" + run, frames, seed + run, run % 2 == 0 ? "full" : "busy",
                    List.of("doms.cli.Main"));
            if (p.waitFor() != 0) {
                throw new IllegalStateException("pool trace run " + run + " failed (exit " + p.exitValue() + ")");
            }
        }
    }

    /** Starts one run labelled label whose switch processes run switchMain (a main class and its first arguments). */
    public static Process start(final Path traceDir, final String label, final int frames, final long seed, final String scenario,
            final List<String> switchMain) throws IOException {
        final Path scratch = Files.createTempDirectory("doms-trace-" + label + "-");
        final List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Ddoms.trace=" + scratch.toAbsolutePath(), "-Ddoms.trace.label=" + label,
                "-cp", System.getProperty("java.class.path"), PoolTraceWorkload.class.getName(),
                traceDir.toAbsolutePath().toString(), Integer.toString(frames), Long.toString(seed), scenario));
        command.addAll(switchMain);
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
