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
 * Full edge: the ring is full (four records, 4088 bytes, and the zeroed word). The consumer takes record 1 zero
 * copy and reads it in place twice, slowly, while the producer keeps offering record 5, which
 * can only go where record 1 is. The producer must get FULL until the consumer has finished
 * reading and released the space: record 1 is never overwritten under the reader.
 * r1 = what the consumer's poll returned; r2 = 1 if the producer got record 5 in (it gives up
 * after {@value #TRIES} FULLs); r3 = 1 when every record was delivered intact and in order.
 */
@JCStressTest
@Description("Full edge: the producer never overwrites a record the consumer is still reading in place")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "the producer gave up while the consumer was still reading")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "the producer wrote record 5 after the consumer released record 1")
@Outcome(expect = FORBIDDEN, desc = "record 1 changed under the consumer, or a lost/torn record")
@State
public class FullEdgeNoOverwriteTest extends RingFixture {
    static final int TRIES = 1000;
    private int polled;
    private int written;

    @SuppressWarnings("this-escape") // prepares its own ring before jcstress hands the state to the actors
    public FullEdgeNoOverwriteTest() {
        // Full: 4088 bytes from index 8 to the end and the zeroed word at index 0, so record 5
        // goes exactly where record 1 is (no PAD).
        super(LAP + 8, lengths(1016, 1016, 1016, 1008, 1016), 2);
        prefill(1, 2, 3, 4);
    }

    @Actor
    public void producer() {
        written = offerRetrying(5, TRIES) == RingResult.OK ? 1 : 0;
    }

    @Actor
    public void consumer() {
        polled = poll(1);
    }

    @Arbiter
    public void arbiter(final III_Result r) {
        final int drained = drain();
        r.r1 = polled;
        r.r2 = written;
        r.r3 = drained == 0 && streamIntact(4 + written) ? 1 : 0;
        release();
    }
}
