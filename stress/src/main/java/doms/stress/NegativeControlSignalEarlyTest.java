package doms.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import doms.ring.RecordDescriptor;
import doms.ring.RingDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * NEGATIVE CONTROL, EXPECTED TO FAIL: shows that the suite can see a signalled header that
 * became visible before its payload. Excluded from the default selection;
 * {@code ./doms jcstress --negative-control} runs it with the others.
 *
 * <p>The producer here is a weakened copy of {@code RingProducer#offer}: it stores the record's
 * signalled header (plain) <em>before</em> the payload, the order a plain header store may take
 * on a weakly ordered machine (access-modes.md row 17). That is the TLA+ bug model
 * {@code spec/ring/MCRingBug9SignalBeforeWrite} (TLC reports NoTornRead). As in
 * {@link NegativeControlPublishEarlyTest}, the reordering is written out in program order. The
 * consumer is the real {@code RingConsumer}: it takes the signalled record without loading the
 * producer position and copies a payload that is still poison, the forbidden outcome.
 * r1 = what the racing poll returned; r2 = 1 when every record delivered was intact.
 */
@JCStressTest
@Description("NEGATIVE CONTROL (expected to FAIL): a producer that signals its record before writing the payload")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the poll came before the header: empty")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the poll came after the record was complete")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "the consumer took the signalled record before its payload: torn record")
@Outcome(expect = FORBIDDEN, desc = "other")
@State
public class NegativeControlSignalEarlyTest extends OneRecordRace {
    /** The weakened offer: the signalled header first, then the payload, then the position. */
    static void offerSignallingEarly(final MemorySegment ring, final long tail, final int seed, final int length) {
        final long size = RecordDescriptor.alignedLength(length);
        final long at = RingDescriptor.DATA_OFFSET + (tail & (CAPACITY - 1));
        ring.set(ValueLayout.JAVA_LONG, at, RecordDescriptor.header(length,
                (RecordDescriptor.TYPE_FIRST_USER + seed) | RecordDescriptor.SIGNAL)); // BUG: before the payload
        ring.set(ValueLayout.JAVA_LONG, RingDescriptor.DATA_OFFSET + ((tail + size) & (CAPACITY - 1)), 0L);
        // Byte by byte: a window wide enough that a racing poll lands in it on every run.
        final MemorySegment source = Payloads.source(seed);
        for (int i = 0; i < length; i++) {
            ring.set(ValueLayout.JAVA_BYTE, at + RecordDescriptor.HEADER_LENGTH + i, source.get(ValueLayout.JAVA_BYTE, i));
        }
        ring.set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, tail + size);
    }

    @Actor
    public void producer() {
        offerSignallingEarly(ring, START, 1, LENGTH);
    }

    @Actor
    public void consumer() {
        polled = poll(8);
    }

    @Arbiter
    public void arbiter(final II_Result r) {
        r.r1 = polled;
        r.r2 = recordIntact();
        release();
    }
}
