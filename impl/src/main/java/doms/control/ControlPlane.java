package doms.control;

import doms.pool.BindingTable;
import doms.pool.PoolFiles;
import doms.pool.SwitchStatus;
import doms.shm.FileTrees;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The control plane: the paper's hypervisor and Dom0, the only privileged role. It writes the
 * binding table, creates each slot generation's memory (a sealed memfd) and hands it out over
 * its socket ({@link CapabilityServer}), boots the switch over a pool, assigns slots to guests
 * and starts them, retires guests (wait for the switch's release, drop the memory, free), and
 * restarts a switch whose process died or whose heartbeat stopped. It is never in the data path.
 *
 * <p>spec/pool actions: {@link #boot} ({@code AllocatePool}, then {@code StartSwitch}), {@link #assign}
 * ({@code Assign}), {@link #retire} ({@code Retire}, then {@code Scrub}, which also frees the slot),
 * {@link #restartSwitch} ({@code StartSwitch} after a {@code SwitchCrash}).
 */
public final class ControlPlane implements AutoCloseable {
    /** Heartbeat silence after which a live switch process counts as hung. */
    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);

    /** One switch restart, and how long forwarding was down. */
    public record Restart(String cause, long downtimeMillis) {
    }

    private final Launcher launcher;
    private final PoolAdmin admin;
    private final PoolFiles pool;
    private final Isolation isolation;
    private final List<String> switchArgs;
    private final List<String> switchLauncher;
    private final List<Restart> restarts = new ArrayList<>();
    private final Process[] guests;
    private CapabilityServer server;
    private SwitchStatus status;
    private volatile Process switchProcess;
    private volatile Process standby;
    private volatile long readyAt;
    private volatile String readyLine;
    private volatile long killedAt;
    private volatile boolean closing;
    private Thread monitor;

    private ControlPlane(final Launcher launcher, final PoolAdmin admin, final Isolation isolation, final List<String> switchArgs,
                         final List<String> switchLauncher) {
        this.launcher = launcher;
        this.admin = admin;
        this.pool = admin.pool();
        this.isolation = isolation;
        this.switchArgs = switchArgs;
        this.switchLauncher = switchLauncher;
        this.guests = new Process[admin.bindings().slots()];
    }

    /**
     * Boot (spec: AllocatePool, StartSwitch): writes a fresh binding table and status file, opens
     * the control socket, starts the switch, waits until it forwards, and starts watching it.
     */
    public static ControlPlane boot(final Launcher launcher, final Path dir, final int slots, final int pages, final int maxFrame,
                                    final Isolation isolation, final List<String> switchArgs) throws IOException {
        return boot(launcher, dir, slots, pages, maxFrame, isolation, switchArgs, List.of());
    }

    /**
     * Boot, with a launcher command in front of every switch process (e.g. {@code ip netns exec
     * NAME}: the switch then runs in that network namespace, where its uplink is).
     */
    public static ControlPlane boot(final Launcher launcher, final Path dir, final int slots, final int pages, final int maxFrame,
                                    final Isolation isolation, final List<String> switchArgs,
                                    final List<String> switchLauncher) throws IOException {
        final ControlPlane cp = new ControlPlane(launcher, PoolAdmin.create(dir, slots, pages, maxFrame, isolation), isolation, switchArgs,
                List.copyOf(switchLauncher));
        try {
            cp.server = new CapabilityServer(cp.admin, isolation, cp.new Operator());
            cp.status = cp.admin.status();
            cp.startSwitch();
            if (doms.pool.PoolTrace.ON) {
                doms.pool.PoolTrace.allocatePool(slots); // the pool is ready once its first switch is
            }
        } catch (IOException | RuntimeException e) {
            cp.close();
            throw e;
        }
        cp.monitor = Thread.ofPlatform().daemon().name("doms-monitor").start(cp::watch);
        return cp;
    }

    /** Starts a switch process and waits until it forwards, then warms up the next one. */
    private void startSwitch() throws IOException {
        activateSwitch();
        spawnStandby();
    }

    /** Starts a switch process and waits until it forwards: by activating the warm standby, or fresh. */
    private void activateSwitch() throws IOException {
        Process process = standby;
        standby = null;
        if (process == null || !process.isAlive()) {
            if (process != null) {
                process.destroyForcibly();
            }
            process = spawnSwitch(false);
        } else {
            final var stdin = process.getOutputStream();
            stdin.write('\n');
            stdin.flush();
        }
        String line = readLine(process);
        while (SwitchLines.isStandby(line)) {
            line = readLine(process);
        }
        if (!SwitchLines.isReady(line)) {
            process.destroyForcibly();
            throw new IOException("the switch did not start (see its message above)");
        }
        readyAt = System.nanoTime();
        readyLine = line;
        switchProcess = process;
    }

    private void spawnStandby() throws IOException {
        if (!closing) {
            standby = spawnSwitch(true); // the next switch's JVM warms up while this one works
        }
    }

    private Process spawnSwitch(final boolean asStandby) throws IOException {
        final List<String> args = new ArrayList<>(List.of("switch", "--pool", pool.dir().toString()));
        if (asStandby) {
            args.add("--standby");
        }
        args.addAll(switchArgs);
        final List<String> prefix = new ArrayList<>(switchLauncher);
        prefix.addAll(isolation.prefixForSwitch());
        return start(prefix, args, ProcessBuilder.Redirect.INHERIT);
    }

    private final java.util.Map<Process, BufferedReader> outputs = new java.util.concurrent.ConcurrentHashMap<>();

    /** The next line of a switch's standard output (blocks until it prints one or dies). */
    private String readLine(final Process process) throws IOException {
        return outputs.computeIfAbsent(process,
                p -> new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))).readLine();
    }

    /** Assign (spec: Assign): binds a free slot to a guest, with a fresh sealed memfd for the new generation. */
    public PoolAdmin.Assignment assign(final long mac, final int tenant) throws IOException {
        return admin.assign(mac, tenant);
    }

    /**
     * Assign, for a TAP guest: the control plane also opens the TAP device {@code tap} (in network
     * namespace {@code netns}, null for ours) as root and hands it to the guest with its memory.
     */
    public PoolAdmin.Assignment assign(final long mac, final int tenant, final String tap, final String netns) throws IOException {
        if (tap != null) {
            doms.net.Tap.checkName(tap);
        }
        synchronized (admin) {
            final PoolAdmin.Assignment a = admin.assign(mac, tenant);
            server.tap(a.slot(), tap == null ? null : new CapabilityServer.TapSpec(tap, netns));
            return a;
        }
    }

    /** What the control socket's ASSIGN and RETIRE do. */
    private final class Operator implements CapabilityServer.Operator {
        @Override
        public PoolAdmin.Assignment assign(final long mac, final int tenant, final CapabilityServer.TapSpec tap) throws IOException {
            return ControlPlane.this.assign(mac, tenant, tap == null ? null : tap.name(), tap == null ? null : tap.netns());
        }

        @Override
        public long retire(final int slot) throws IOException, InterruptedException {
            return ControlPlane.this.retire(slot);
        }
    }

    /** Requests the control socket refused for the peer's uid (a guest asking for another's slot). */
    public long refusedRequests() {
        return server.refused();
    }

    /** Starts the guest process of an assignment, under the guest's own uid when isolating. */
    public synchronized Process startGuest(final PoolAdmin.Assignment a, final List<String> guestArgs) throws IOException {
        return startGuest(a, guestArgs, List.of());
    }

    /** Starts the guest process behind a launcher command (e.g. {@code ip netns exec NAME}, where its TAP is). */
    public synchronized Process startGuest(final PoolAdmin.Assignment a, final List<String> guestArgs, final List<String> launcher)
            throws IOException {
        if (closing) {
            throw new IOException("the control plane is closed");
        }
        final List<String> args = new ArrayList<>(List.of("guest", "--pool", pool.dir().toString(), "--slot", Integer.toString(a.slot())));
        args.addAll(guestArgs);
        final List<String> prefix = new ArrayList<>(launcher);
        prefix.addAll(isolation.prefixForGuest(a.slot()));
        final Process process = start(prefix, args, ProcessBuilder.Redirect.INHERIT);
        guests[a.slot()] = process;
        return process;
    }

    /**
     * Retire (spec: Retire, then Scrub): marks the slot RETIRING, stops the guest, waits until
     * the switch has released this generation (or is not running), drops the generation's
     * memfd and frees the slot. Returns the retired generation.
     */
    public synchronized long retire(final int slot) throws IOException, InterruptedException {
        final long generation = admin.beginRetire(slot);
        server.tap(slot, null);
        final Process guest = guests[slot];
        if (guest != null) {
            // The guest and anything it forked: nothing of it may outlive its binding.
            guest.descendants().forEach(ProcessHandle::destroyForcibly);
            guest.destroyForcibly().waitFor();
            guests[slot] = null;
        }
        isolation.killAll(slot);
        // A dead switch touches nothing; its successor sees RETIRING and never attaches.
        admin.finishRetire(slot, generation, () -> switchProcess != null && switchProcess.isAlive(), 10_000);
        return generation;
    }

    /** Simulates a crash of the switch: SIGKILL. The monitor notices and restarts it. */
    public void killSwitch() {
        killedAt = System.nanoTime();
        switchProcess.destroyForcibly();
    }

    private void watch() {
        long lastBeat = -1;
        long lastChange = System.nanoTime();
        while (!closing) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            final Process sw = switchProcess;
            final long now = System.nanoTime();
            final long beat = status.opaqueHeartbeat();
            if (beat != lastBeat) {
                lastBeat = beat;
                lastChange = now;
            }
            if (closing) {
                return;
            }
            if (!sw.isAlive()) {
                if (doms.pool.PoolTrace.ON) {
                    doms.pool.PoolTrace.switchCrash(sw.pid());
                }
                restartSwitch(killedAt != 0 ? "killed (SIGKILL)" : "died (exit " + sw.exitValue() + ")", killedAt != 0 ? killedAt : now);
                lastChange = System.nanoTime();
            } else if (now - lastChange > STALL_NANOS) {
                sw.destroyForcibly();
                try {
                    sw.waitFor();
                } catch (InterruptedException e) {
                    return;
                }
                if (doms.pool.PoolTrace.ON) {
                    doms.pool.PoolTrace.switchCrash(sw.pid());
                }
                restartSwitch("heartbeat stopped", lastChange);
                lastChange = System.nanoTime();
            }
        }
    }

    /** StartSwitch after a SwitchCrash: a new switch over the same pool; it re-attaches and validates every assigned slot. */
    private synchronized void restartSwitch(final String cause, final long downSince) {
        if (closing) {
            // close() ran while the monitor waited for this lock: a switch started now would outlive us.
            return;
        }
        try {
            activateSwitch();
        } catch (IOException e) {
            System.err.println("doms control: restarting the switch failed: " + e.getMessage() + "; trying again");
            return;
        }
        // Recorded as soon as the new switch forwards, not after the next standby's fork (a
        // JVM start on a loaded machine, while callers already see traffic cross the new switch).
        final long downtime = TimeUnit.NANOSECONDS.toMillis(readyAt - downSince);
        synchronized (restarts) {
            restarts.add(new Restart(cause, downtime));
        }
        killedAt = 0;
        System.err.println("doms control: switch " + cause + "; restarted in " + downtime + " ms");
        try {
            spawnStandby();
        } catch (IOException e) {
            System.err.println("doms control: no warm standby for the next restart: " + e.getMessage());
        }
    }

    public List<Restart> restarts() {
        synchronized (restarts) {
            return List.copyOf(restarts);
        }
    }

    public SwitchStatus status() {
        return status;
    }

    public BindingTable bindings() {
        return admin.bindings();
    }

    public PoolFiles pool() {
        return pool;
    }

    public Isolation isolation() {
        return isolation;
    }

    /** What the running switch printed when it was ready (e.g. {@code ready ports=2 uplink=/127.0.0.1:4789}). */
    public String switchReadyLine() {
        return readyLine;
    }

    public Process switchProcess() {
        return switchProcess;
    }

    private Process start(final List<String> prefix, final List<String> args, final ProcessBuilder.Redirect stderr) throws IOException {
        final List<String> command = new ArrayList<>(prefix);
        command.addAll(launcher.command(args));
        return new ProcessBuilder(command).redirectError(stderr).start();
    }

    /** Stops every guest and the switch, and deletes the pool. */
    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (monitor != null) {
            monitor.interrupt();
            try {
                monitor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (final Process guest : guests) {
            if (guest != null) {
                guest.destroyForcibly();
            }
        }
        final Process spare = standby;
        if (spare != null) {
            spare.destroyForcibly();
        }
        final Process sw = switchProcess;
        if (sw != null) {
            sw.destroy();
            try {
                if (!sw.waitFor(5, TimeUnit.SECONDS)) {
                    sw.destroyForcibly();
                }
            } catch (InterruptedException e) {
                sw.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (server != null) {
            server.close();
        }
        admin.close();
        try {
            FileTrees.delete(pool.dir());
        } catch (IOException e) {
            System.err.println("doms control: could not delete " + pool.dir() + ": " + e.getMessage());
        }
    }
}
