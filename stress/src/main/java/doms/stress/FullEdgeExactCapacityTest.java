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
 * Full is not empty: the ring holds as much as it ever can, {@code capacity - 8} bytes (three
 * 1 KiB records and one of 1016 bytes starting half-way, so they wrap; the 8 bytes left are the
 * header word the producer keeps zeroed), producer and consumer positions one word apart. The
 * consumer must take all four in one poll, while the producer retries two more records into
 * the space being freed.
 * r1 = records the consumer's poll delivered; r2 = records the producer got in (0..2);
 * r3 = 1 when every record was delivered intact and in order.
 */
@JCStressTest
@Description("Full edge: a ring holding capacity - 8 bytes reads as full to the producer and as four records to the consumer")
@Outcome(id = "4, 0, 1", expect = ACCEPTABLE, desc = "the producer gave up before the consumer released anything")
@Outcome(id = "4, 1, 1", expect = ACCEPTABLE, desc = "the producer got one record into the freed space")
@Outcome(id = "4, 2, 1", expect = ACCEPTABLE, desc = "the producer got both records into the freed space")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "a full ring taken for an empty one")
@Outcome(expect = FORBIDDEN, desc = "overwritten, torn or lost record")
@State
public class FullEdgeExactCapacityTest extends RingFixture {
    static final int TRIES = 1000;
    private int polled;
    private int written;

    @SuppressWarnings("this-escape") // prepares its own ring before jcstress hands the state to the actors
    public FullEdgeExactCapacityTest() {
        super(LAP + CAPACITY / 2, lengths(1016, 1016, 1016, 1008, 1016, 1016), 1);
        prefill(1, 2, 3, 4);
    }

    @Actor
    public void producer() {
        if (offerRetrying(5, TRIES) == RingResult.OK) {
            written++;
            if (offerRetrying(6, TRIES) == RingResult.OK) {
                written++;
            }
        }
    }

    @Actor
    public void consumer() {
        polled = poll(8);
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
