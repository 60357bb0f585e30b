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
 * NEGATIVE CONTROL, EXPECTED TO FAIL: shows that the suite can see a broken publication.
 * Excluded from the default selection; {@code ./doms jcstress --negative-control} runs it alone.
 *
 * <p>The producer here is a deliberately weakened copy of {@code RingProducer#offer}: it stores
 * the producer position with a plain store <em>before</em> the record's payload and header,
 * i.e. the order in which a plain (not release) store may become visible on a weakly ordered
 * machine or after compiler reordering. That is the TLA+ bug model
 * {@code spec/ring/MCRingBug1PublishBeforeWrite} (TLC reports NoTornRead).
 * x86 keeps stores in order and HotSpot does not reorder plain accesses to native memory
 * segments, so a plain store in the right place would show nothing here; the reordering is
 * therefore written out in program order (proofs-notes/access-modes.md, "jcstress evidence").
 * The consumer is the real {@code RingConsumer}: it sees the new position, reads a header that
 * is still poison, and reports a corrupt record, the forbidden outcome.
 * r1 = what the racing poll returned; r2 = 1 when the record arrived intact by the end.
 */
@JCStressTest
@Description("NEGATIVE CONTROL (expected to FAIL): a producer that publishes its position before writing the record")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the poll came before the publication: empty")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the poll came after the record was complete")
@Outcome(id = "-3, 0", expect = FORBIDDEN, desc = "the consumer saw the position before the record: corrupt record")
@Outcome(expect = FORBIDDEN, desc = "torn record")
@State
public class NegativeControlPublishEarlyTest extends OneRecordRace {
    /** The weakened offer: publish first (plain store), then write the record. */
    static void offerPublishingEarly(final MemorySegment ring, final long tail, final int seed, final int length) {
        final long size = RecordDescriptor.alignedLength(length);
        final long at = RingDescriptor.DATA_OFFSET + (tail & (CAPACITY - 1));
        ring.set(ValueLayout.JAVA_LONG, RingDescriptor.PRODUCER_POSITION_OFFSET, tail + size); // BUG: too early
        MemorySegment.copy(Payloads.source(seed), 0, ring, at + RecordDescriptor.HEADER_LENGTH, length);
        ring.set(ValueLayout.JAVA_INT, at + RecordDescriptor.LENGTH_OFFSET, length);
        ring.set(ValueLayout.JAVA_INT, at + RecordDescriptor.TYPE_OFFSET, RecordDescriptor.TYPE_FIRST_USER + seed);
    }

    @Actor
    public void producer() {
        offerPublishingEarly(ring, START, 1, LENGTH);
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
