package doms.poll;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The three polling disciplines: busy-spin, a fixed polling period (park for the period after
 * an empty poll, as the paper did with 0.05 ms and 1 ms), and adaptive backoff (spin, then
 * yield, then park with a period doubling from 1 microsecond up to a cap).
 */
public final class IdleStrategies {
    public static final String SYNTAX = "busy | period:MICROS | adaptive[:CAP_MICROS]";

    private IdleStrategies() {
    }

    /** Parses {@value #SYNTAX}; throws IllegalArgumentException with a one-line message. */
    public static IdleStrategy parse(final String spec) {
        final String s = spec.trim();
        if (s.equals("busy")) {
            return busySpin();
        }
        if (s.startsWith("period:")) {
            return period(micros(s.substring("period:".length()), spec));
        }
        if (s.equals("adaptive")) {
            return adaptive(1000);
        }
        if (s.startsWith("adaptive:")) {
            return adaptive(micros(s.substring("adaptive:".length()), spec));
        }
        throw new IllegalArgumentException("unknown polling strategy '" + spec + "': expected " + SYNTAX);
    }

    /** The longest single park a strategy spelled {@code spec} makes, in microseconds (0 for busy). */
    public static double longestParkMicros(final String spec) {
        final String s = spec.trim();
        if (s.startsWith("period:")) {
            return micros(s.substring("period:".length()), spec);
        }
        if (s.startsWith("adaptive:")) {
            return micros(s.substring("adaptive:".length()), spec);
        }
        return s.equals("adaptive") ? 1000 : 0;
    }

    private static double micros(final String text, final String spec) {
        final double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad microseconds in polling strategy '" + spec + "': expected " + SYNTAX);
        }
        if (!(value > 0) || value > 10_000_000) {
            throw new IllegalArgumentException("polling period must be more than 0 and at most 10 s, got '" + spec + "'");
        }
        return value;
    }

    public static IdleStrategy busySpin() {
        return new IdleStrategy() {
            @Override
            public void idle(final int workCount) {
                if (workCount == 0) {
                    Thread.onSpinWait();
                }
            }

            @Override
            public void reset() {
            }

            @Override
            public String spec() {
                return "busy";
            }
        };
    }

    public static IdleStrategy period(final double micros) {
        final long nanos = Math.max(1, Math.round(micros * 1000));
        final String spec = "period:" + formatMicros(micros);
        return new IdleStrategy() {
            @Override
            public void idle(final int workCount) {
                if (workCount == 0) {
                    LockSupport.parkNanos(nanos);
                }
            }

            @Override
            public void reset() {
            }

            @Override
            public String spec() {
                return spec;
            }
        };
    }

    public static IdleStrategy adaptive(final double capMicros) {
        return new Adaptive(Math.max(1, Math.round(capMicros * 1000)), "adaptive:" + formatMicros(capMicros));
    }

    private static String formatMicros(final double micros) {
        return micros == Math.rint(micros) ? Long.toString((long) micros) : Double.toString(micros);
    }

    /** Spin, then yield, then park with exponential growth up to a cap; any work starts over. */
    private static final class Adaptive implements IdleStrategy {
        private static final int SPINS = 200;
        private static final int YIELDS = 50;
        private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(1);

        private final long maxParkNanos;
        private final String spec;
        private int idleCount;
        private long parkNanos = MIN_PARK_NANOS;

        Adaptive(final long maxParkNanos, final String spec) {
            this.maxParkNanos = maxParkNanos;
            this.spec = spec;
        }

        @Override
        public void idle(final int workCount) {
            if (workCount > 0) {
                reset();
                return;
            }
            final int n = idleCount++;
            if (n < SPINS) {
                Thread.onSpinWait();
            } else if (n < SPINS + YIELDS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(parkNanos);
                parkNanos = Math.min(parkNanos << 1, maxParkNanos);
            }
        }

        @Override
        public void reset() {
            idleCount = 0;
            parkNanos = MIN_PARK_NANOS;
        }

        @Override
        public String spec() {
            return spec;
        }
    }
}
