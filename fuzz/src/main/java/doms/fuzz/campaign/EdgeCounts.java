package doms.fuzz.campaign;

import janala.instrument.FastCoverageListener;

/**
 * Branch coverage of one execution in a fixed array: JQF's fast instrumentation calls this at
 * every method entry, branch arm and switch arm of an instrumented class, with a small id per
 * site. An AFL-style map: one saturating byte counter per id (modulo its size) and the list of
 * ids touched, so that reading and clearing cost what the execution covered, not the map's size.
 *
 * <p>The race target runs instrumented code on two threads at once: a lost count or a lost
 * entry only blurs guidance, and {@link #touched} never writes outside its array.
 */
final class EdgeCounts extends FastCoverageListener.Default {
    static final int SIZE = 1 << 16;
    private static final int MASK = SIZE - 1;

    final byte[] hits = new byte[SIZE];
    final int[] touched = new int[SIZE];
    int touchedCount;

    private void hit(final int site) {
        final int i = site & MASK;
        final byte h = hits[i];
        if (h == 0) {
            final int k = touchedCount;
            if (k < SIZE) {
                touched[k] = i;
                touchedCount = k + 1;
            }
        }
        if (h != -1) {
            hits[i] = (byte) (h + 1);
        }
    }

    /** Forgets the current execution (a skipped trial, or the start of the next). */
    void clear() {
        final int n = Math.min(touchedCount, SIZE);
        for (int k = 0; k < n; k++) {
            hits[touched[k]] = 0;
        }
        touchedCount = 0;
    }

    @Override
    public void logMethodBegin(final int iid) {
        hit(iid);
    }

    @Override
    public void logJump(final int iid, final int branch) {
        hit(iid + branch);
    }

    @Override
    public void logLookUpSwitch(final int value, final int iid, final int dflt, final int[] cases) {
        int arm = cases.length;
        for (int i = 0; i < cases.length; i++) {
            if (value == cases[i]) {
                arm = i;
                break;
            }
        }
        hit(iid + arm + 1);
    }

    @Override
    public void logTableSwitch(final int value, final int iid, final int min, final int max, final int dflt) {
        hit(iid + 1 + (value >= min && value <= max ? value - min : 1 + max - min));
    }
}
