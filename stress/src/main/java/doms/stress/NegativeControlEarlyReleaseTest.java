package doms.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import doms.ring.RecordDescriptor;
import doms.ring.RingDescriptor;
import doms.ring.RingResult;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * NEGATIVE CONTROL, EXPECTED TO FAIL: shows that the suite can see an overwrite under a reader.
 * Excluded from the default selection; {@code ./doms jcstress --negative-control} runs it alone.
 *
 * <p>Same set-up as {@link FullEdgeNoOverwriteTest} (a full ring, the real {@code RingProducer}
 * retrying a record into record 1's space), but the consumer is a deliberately weakened copy of
 * {@code RingConsumer#poll} that stores its new position <em>before</em> reading the payload:
 * the order in which a plain (not release) store may let the producer see freed space on a weakly
 * ordered machine. That is the TLA+ bug model {@code spec/ring/MCRingBug2EarlyHeadPublish}
 * (TLC reports NoOverwrite), written out in program order because x86 never lets a store
 * overtake earlier loads. The producer overwrites record 1 while the consumer is still reading
 * it: the forbidden outcome.
 * r1 = 1 when record 1 read intact; r2 = 1 if the producer got record 5 in.
 */
@JCStressTest
@Description("NEGATIVE CONTROL (expected to FAIL): a consumer that releases a record before reading it")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the producer gave up before the early release")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the producer overwrote record 1 only after it had been read")
@Outcome(id = "0, 1", expect = FORBIDDEN, desc = "record 1 was overwritten while the consumer was reading it")
@Outcome(expect = FORBIDDEN, desc = "torn record")
@State
public class NegativeControlEarlyReleaseTest extends RingFixture {
    private static final VarHandle POSITION = ValueLayout.JAVA_LONG.varHandle();
    private static final long START = LAP + 8; // the records end at index 0: record 5 fits where record 1 is
    private int written;

    @SuppressWarnings("this-escape") // prepares its own ring before jcstress hands the state to the actors
    public NegativeControlEarlyReleaseTest() {
        super(START, lengths(1016, 1016, 1016, 1008, 1016), 2); // full: 4088 bytes and the zeroed word
        prefill(1, 2, 3, 4);
    }

    /** The weakened poll of one record: release first, then read the payload in place. */
    static void pollReleasingEarly(final MemorySegment ring, final long head, final Checker checker) {
        final long tail = (long) POSITION.getAcquire(ring, RingDescriptor.PRODUCER_POSITION_OFFSET);
        if (tail == head) {
            return;
        }
        final long at = RingDescriptor.DATA_OFFSET + (head & (CAPACITY - 1));
        final int length = ring.get(ValueLayout.JAVA_INT, at + RecordDescriptor.LENGTH_OFFSET);
        final int type = ring.get(ValueLayout.JAVA_INT, at + RecordDescriptor.TYPE_OFFSET) & ~RecordDescriptor.SIGNAL;
        if (length < 0 || length > Payloads.MAX_LENGTH) {
            return;
        }
        POSITION.setRelease(ring, RingDescriptor.CONSUMER_POSITION_OFFSET, head + RecordDescriptor.alignedLength(length)); // BUG: too early
        checker.onRecord(type, ring, at + RecordDescriptor.HEADER_LENGTH, length);
    }

    @Actor
    public void producer() {
        written = offerRetrying(5, FullEdgeNoOverwriteTest.TRIES) == RingResult.OK ? 1 : 0;
    }

    @Actor
    public void consumer() {
        pollReleasingEarly(ring, START, checker);
    }

    @Arbiter
    public void arbiter(final II_Result r) {
        r.r1 = checker.delivered(1, 1) ? 1 : 0;
        r.r2 = written;
        release();
    }
}
