package doms.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import doms.ring.RingResult;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Full edge at the wrap point: the ring has 24 bytes free, the 16 left before the end and the 8
 * at index 0 (the records start at index 8). A 208-byte record does not fit; the PAD and the
 * zeroed word after it (at index 0) fit exactly: the producer may write and publish the PAD
 * alone, then put the record at index 0 once the consumer has released record 1. The consumer reads
 * record 1 in place, slowly, meanwhile.
 * r1 = how the producer did: 3 = PAD and record in one offer (the consumer had already freed
 * space), 2 = PAD alone first, record later, 1 = PAD alone, then gave up; r2 = what the
 * consumer's poll returned; r3 = 1 when every record was delivered intact, in order, and both
 * sides agree on the end of the stream (PAD included).
 */
@JCStressTest
@Description("Full edge at the wrap: PAD published alone, record at index 0 only after the consumer released it")
@Outcome(id = "3, 1, 1", expect = ACCEPTABLE, desc = "the consumer had freed record 1: PAD and record in one go")
@Outcome(id = "2, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "PAD published alone while full, record written after the release")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "PAD published alone, then the producer gave up")
@Outcome(expect = FORBIDDEN, desc = "record 1 changed under the consumer, no progress on FULL, or a lost/torn record")
@State
public class FullEdgePadAloneTest extends RingFixture {
    static final int TRIES = 1000;
    private static final long START = LAP + 8;
    private int producerOutcome;
    private int polled;

    @SuppressWarnings("this-escape") // prepares its own ring before jcstress hands the state to the actors
    public FullEdgePadAloneTest() {
        super(START, lengths(1016, 1016, 1016, 992, 200), 2);
        prefill(1, 2, 3, 4); // 3 x 1024 + 1000 bytes from index 8: 16 free before the end, 8 at index 0
    }

    @Actor
    public void producer() {
        final int first = offer(5);
        if (first == RingResult.OK) {
            producerOutcome = 3;
        } else if (first == RingResult.FULL && producer.position() == LAP + CAPACITY) { // the PAD alone
            producerOutcome = offerRetrying(5, TRIES) == RingResult.OK ? 2 : 1;
        }
    }

    @Actor
    public void consumer() {
        polled = poll(1);
    }

    @Arbiter
    public void arbiter(final III_Result r) {
        final int drained = drain();
        r.r1 = producerOutcome;
        r.r2 = polled;
        r.r3 = drained == 0 && streamIntact(producerOutcome >= 2 ? 5 : 4) ? 1 : 0;
        release();
    }
}
