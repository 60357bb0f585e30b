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
 * Producer position cache: the ring was full, then the consumer released records 1 and 2, but
 * the producer's cache of the consumer position still says "full at record 1". The producer
 * offers records 5, 6, 7 (retrying on FULL) while the consumer reads record 3 in place, slowly.
 * A stale cache may only make the producer refresh, never write over unreleased bytes: 5 and 6
 * fit in the space freed before, 7 only once record 3 is released.
 * r1 = records the producer got in (2 or 3); r2 = what the consumer's poll returned; r3 = 1
 * when every record was delivered intact and in order.
 */
@JCStressTest
@Description("Position caches: the producer's stale cache of the consumer position never leads to an overwrite")
@Outcome(id = "2, 1, 1", expect = ACCEPTABLE, desc = "records 5 and 6 in the space freed before; gave up on 7 while record 3 was read")
@Outcome(id = "3, 1, 1", expect = ACCEPTABLE, desc = "record 7 written after the consumer released record 3")
@Outcome(expect = FORBIDDEN, desc = "record 3 changed under the consumer, the producer missed freed space, or a lost/torn record")
@State
public class ProducerStaleCacheTest extends RingFixture {
    static final int TRIES = 1000;
    private int written;
    private int polled;

    @SuppressWarnings("this-escape") // prepares its own ring before jcstress hands the state to the actors
    public ProducerStaleCacheTest() {
        // Full: 4088 bytes from index 8 to the end, and the zeroed word at index 0; so 5 and 6 go
        // from index 0 without a PAD, into the space of records 1 and 2.
        super(LAP + 8, lengths(1016, 1016, 1016, 1008, 1016, 1016, 1016), 2);
        prefill(1, 2, 3, 4);
        if (poll(2) != 2) { // the producer is not told: its cache stays at the start
            throw new IllegalStateException("setup: the consumer did not take records 1 and 2");
        }
    }

    @Actor
    public void producer() {
        for (int seed = 5; seed <= 7; seed++) {
            if (offerRetrying(seed, TRIES) != RingResult.OK) {
                break;
            }
            written++;
        }
    }

    @Actor
    public void consumer() {
        polled = poll(1);
    }

    @Arbiter
    public void arbiter(final III_Result r) {
        final int drained = drain();
        r.r1 = written;
        r.r2 = polled;
        r.r3 = drained == 0 && streamIntact(4 + written) ? 1 : 0;
        release();
    }
}
