package doms.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import doms.ring.RecordDescriptor;
import doms.ring.RingDescriptor;
import doms.ring.RingResult;
import java.lang.foreign.MemorySegment;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Deferred release (how the switch consumes a guest's ring): the ring is full (4088 bytes and
 * the zeroed word); the consumer
 * takes record 1 with {@code pollCopyDeferred}, which copies it out but leaves it unreleased,
 * then re-reads record 1 in the ring, slowly, and only then calls {@code publish()}. The
 * producer keeps offering record 5, which can only go where record 1 is: it must get FULL until
 * that {@code publish()}, so the re-read always finds record 1 intact.
 * r1 = what pollCopyDeferred returned; r2 = 1 if the producer got record 5 in; r3 = 1 when the
 * copy and the in-place re-read were both intact and every record arrived in order.
 */
@JCStressTest
@Description("Deferred release: records consumed with pollCopyDeferred stay unwritable until publish()")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "the producer gave up before the consumer released record 1")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "the producer wrote record 5 after the deferred release")
@Outcome(expect = FORBIDDEN, desc = "record 1 overwritten before its release, or a lost/torn record")
@State
public class DeferredReleaseTest extends RingFixture {
    private static final int LENGTH = 1016;
    private static final long RECORD_1 = RingDescriptor.DATA_OFFSET + 8 + RecordDescriptor.HEADER_LENGTH; // at index 8
    private final MemorySegment scratch = MemorySegment.ofArray(new byte[LENGTH]);
    private final Checker copies = new Checker(lengths(LENGTH, LENGTH, LENGTH, LENGTH - 8, LENGTH), 0);
    private int polled;
    private boolean stillThere;
    private int written;

    @SuppressWarnings("this-escape") // prepares its own ring before jcstress hands the state to the actors
    public DeferredReleaseTest() {
        // Full: 4088 bytes from index 8 to the end and the zeroed word at index 0, so record 5
        // goes exactly where record 1 is (no PAD).
        super(LAP + 8, lengths(LENGTH, LENGTH, LENGTH, LENGTH - 8, LENGTH), 0);
        prefill(1, 2, 3, 4);
    }

    @Actor
    public void producer() {
        written = offerRetrying(5, FullEdgeNoOverwriteTest.TRIES) == RingResult.OK ? 1 : 0;
    }

    @Actor
    public void consumer() {
        polled = consumer.pollCopyDeferred(copies, 1, scratch);
        // consumed but not released: record 1 must still be in the ring, untouched
        stillThere = Payloads.matchesSlowly(ring, RECORD_1, LENGTH, 1) & Payloads.matchesSlowly(ring, RECORD_1, LENGTH, 1);
        consumer.publish();
    }

    @Arbiter
    public void arbiter(final III_Result r) {
        final int drained = drain(); // the rest through the fixture's checker: records 2..4 (and 5)
        r.r1 = polled;
        r.r2 = written;
        r.r3 = drained == 0 && stillThere && copies.delivered(1, 1) && checker.delivered(2, 4 + written)
                && consumer.position() == producer.position() ? 1 : 0;
        release();
    }
}
