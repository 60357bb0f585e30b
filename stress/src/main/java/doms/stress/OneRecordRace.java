package doms.stress;

import doms.ring.RecordDescriptor;

/**
 * Base of the negative controls in which a deliberately weakened producer writes one record of
 * {@link #LENGTH} bytes at {@link #START} while the real {@code RingConsumer} polls once. The
 * weakened write bypasses the fixture's producer (whose private position stays at the start),
 * so the arbiter checks the record itself rather than the fixture's stream.
 */
public abstract class OneRecordRace extends RingFixture {
    protected static final long START = LAP;
    protected static final int LENGTH = 4000;
    /** What the racing poll returned. */
    protected int polled;

    protected OneRecordRace() {
        super(START, lengths(LENGTH), 0);
    }

    /** Arbiter use: 1 when the ring drained cleanly and the one record arrived intact, exactly once. */
    protected final int recordIntact() {
        final int drained = drain();
        return drained == 0 && checker.delivered(1, 1) && consumer.failure() == 0
                && consumer.position() == START + RecordDescriptor.alignedLength(LENGTH) ? 1 : 0;
    }
}
