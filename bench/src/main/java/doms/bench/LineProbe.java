package doms.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The cost of moving one cache line between the two cores, measured by the driver between trials
 * (the trial's processes are blocked then): two threads bounce a counter through two words in
 * lines of their own, and the median round trip is kept. On this project's 2-vCPU machines it
 * moves between steady levels (about 60, 130 and 400 ns, each for seconds at a time), as the host
 * places the two vCPUs; both rings pay it on every record they hand over, so a ratio of two trials
 * taken at different levels says more about the host than about the rings.
 */
final class LineProbe {
    /** Two trials are at one level when their round trips differ by at most this factor. */
    static final double SAME_LEVEL = 1.5;
    private static final int WARM = 1_000;
    private static final int MEASURED = 2_000;
    private static final int PING = 0;
    private static final int PONG = 32; // 256 bytes apart: never in one line, nor in adjacent-line prefetch pairs
    /** A probe that takes longer (the echo thread not scheduled) gives up: NaN, and the echo thread ends. */
    private static final long LIMIT_NANOS = 200_000_000L;

    private LineProbe() {
    }

    /** The median round trip of one line between two threads, in nanoseconds; NaN if it did not finish in time. */
    static double roundTripNanos() {
        final AtomicLongArray words = new AtomicLongArray(PONG + 1);
        final int total = WARM + MEASURED;
        final Thread echo = Thread.ofPlatform().daemon().name("line-probe").start(() -> {
            for (long v = 1; v <= total; v++) {
                long seen;
                while ((seen = words.get(PING)) != v) {
                    if (seen < 0) {
                        return; // the prober gave up
                    }
                    Thread.onSpinWait();
                }
                words.set(PONG, v);
            }
        });
        final long[] nanos = new long[MEASURED];
        final long deadline = System.nanoTime() + LIMIT_NANOS;
        for (long v = 1; v <= total; v++) {
            final long start = System.nanoTime();
            words.set(PING, v);
            int spins = 0;
            while (words.get(PONG) != v) {
                if ((++spins & 0xFFF) == 0 && System.nanoTime() - deadline > 0) {
                    words.set(PING, -1);
                    return Double.NaN;
                }
                Thread.onSpinWait();
            }
            if (v > WARM) {
                nanos[(int) (v - WARM - 1)] = System.nanoTime() - start;
            }
        }
        try {
            echo.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
        Arrays.sort(nanos);
        return nanos[MEASURED / 2];
    }

    /** True when both probes of each trial, and the two trials, are within {@link #SAME_LEVEL} of each other. */
    static boolean oneLevel(final double... roundTrips) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (final double r : roundTrips) {
            if (!(r > 0) || Double.isInfinite(r)) {
                return false;
            }
            lo = Math.min(lo, r);
            hi = Math.max(hi, r);
        }
        return roundTrips.length > 0 && hi <= lo * SAME_LEVEL;
    }
}
