package doms.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much CPU other work used while a trial ran: the machine's busy time over the trial (from
 * /proc/stat) minus the CPU our own processes reported. A shared 2-core machine makes this the
 * difference between a figure and noise: a disturbed trial is run again.
 */
final class Disturbance {
    /** More than this many cores of other work during a trial makes it disturbed. */
    static final double THRESHOLD = 0.2;
    /** /proc/stat counts in USER_HZ, 100 on every Linux we run on. */
    private static final double TICKS_PER_SECOND = 100;

    private final long startNanos;
    private final long startTicks;

    private Disturbance(final long startNanos, final long startTicks) {
        this.startNanos = startNanos;
        this.startTicks = startTicks;
    }

    static Disturbance start() {
        return new Disturbance(System.nanoTime(), busyTicks());
    }

    /**
     * Cores of other work since {@link #start()}, given the CPU seconds our processes burnt in
     * that time; NaN where /proc/stat cannot be read.
     */
    double foreignCores(final double ourCpuSeconds) {
        final long ticks = busyTicks();
        final double wall = (System.nanoTime() - startNanos) / 1e9;
        if (ticks < 0 || startTicks < 0 || wall <= 0) {
            return Double.NaN;
        }
        return Math.max(0, ((ticks - startTicks) / TICKS_PER_SECOND - ourCpuSeconds) / wall);
    }

    /** Non-idle time of all CPUs in USER_HZ ticks: user, nice, system, irq, softirq, steal; -1 if unknown. */
    static long busyTicks() {
        try {
            return busyTicks(Files.readAllLines(Path.of("/proc/stat")).getFirst());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long busyTicks(final String cpuLine) {
        final String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 9) {
            return -1;
        }
        long busy = 0;
        for (final int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system (idle iowait) irq softirq steal
            busy += Long.parseLong(f[i]);
        }
        return busy;
    }

    static boolean disturbed(final double foreignCores) {
        return foreignCores > THRESHOLD;
    }
}
