package doms.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * FIFO: two records published one after the other are delivered in that order. The consumer
 * polls twice with a limit of one record, so it may catch the producer between the two
 * publications. r1, r2 = seeds of the first and second record delivered during the race (0:
 * none); r3 = 1 when the whole stream was intact and in order.
 */
@JCStressTest
@Description("FIFO: two separately published records are never delivered out of order")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "both polls came before the first publication")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "the consumer caught the producer between the two publications")
@Outcome(id = "1, 2, 1", expect = ACCEPTABLE, desc = "both records, in order")
@Outcome(id = {"2, .*", ".*, 1, .*"}, expect = FORBIDDEN, desc = "the second record before the first")
@Outcome(expect = FORBIDDEN, desc = "torn, duplicated or lost record")
@State
public class FifoTest extends RingFixture {
    private int first;
    private int second;

    public FifoTest() {
        super(LAP + 2048, lengths(120, 64), 0);
    }

    @Actor
    public void producer() {
        offer(1);
        offer(2);
    }

    @Actor
    public void consumer() {
        poll(1);
        poll(1);
        first = checker.seed(0);
        second = checker.seed(1);
    }

    @Arbiter
    public void arbiter(final III_Result r) {
        final int drained = drain();
        r.r1 = first;
        r.r2 = second;
        r.r3 = drained == 0 && streamIntact(2) ? 1 : 0;
        release();
    }
}
