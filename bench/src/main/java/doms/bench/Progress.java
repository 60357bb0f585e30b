package doms.bench;

import java.util.Locale;

/** Progress lines on standard error (standard output is kept for --json). */
final class Progress {
    private static final long START = System.nanoTime();

    private Progress() {
    }

    static void say(final String format, final Object... args) {
        System.err.printf(Locale.ROOT, "bench %5.1fs: %s%n", (System.nanoTime() - START) / 1e9, String.format(Locale.ROOT, format, args));
    }

    static double elapsed() {
        return (System.nanoTime() - START) / 1e9;
    }
}
