package doms.sw;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded waits on an observable condition for the multi-process tests: never a sleep. */
final class Waits {
    private Waits() {
    }

    /** Runs {@code step} until {@code condition} holds; fails after 20 s naming {@code what}. */
    static void await(final String what, final BooleanSupplier condition, final Runnable step) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            step.run();
            Thread.onSpinWait();
        }
    }
}
