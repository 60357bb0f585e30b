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
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * FIFO across the wrap point: record 1 ends 64 bytes before the end, record 2 needs a PAD and
 * goes to index 0, record 3 follows; each is published on its own. The consumer polls three
 * times, one record at a time. r1..r3 = seeds delivered during the race, in order (0: none);
 * r4 = 1 when the whole stream was intact and in order.
 */
@JCStressTest
@Description("FIFO across the wrap point: record, PAD + record at index 0, record; always a prefix")
@Outcome(id = "0, 0, 0, 1", expect = ACCEPTABLE, desc = "nothing published yet")
@Outcome(id = "1, 0, 0, 1", expect = ACCEPTABLE, desc = "the record before the wrap only")
@Outcome(id = "1, 2, 0, 1", expect = ACCEPTABLE, desc = "up to the first record after the PAD")
@Outcome(id = "1, 2, 3, 1", expect = ACCEPTABLE, desc = "all three, in order")
@Outcome(expect = FORBIDDEN, desc = "out of order, torn, duplicated or lost record")
@State
public class FifoWrapTest extends RingFixture {
    private int first;
    private int second;
    private int third;

    public FifoWrapTest() {
        super(LAP + CAPACITY - 136, lengths(64, 96, 32), 0);
    }

    @Actor
    public void producer() {
        offer(1);
        offer(2);
        offer(3);
    }

    @Actor
    public void consumer() {
        poll(1);
        poll(1);
        poll(1);
        first = checker.seed(0);
        second = checker.seed(1);
        third = checker.seed(2);
    }

    @Arbiter
    public void arbiter(final IIII_Result r) {
        final int drained = drain();
        r.r1 = first;
        r.r2 = second;
        r.r3 = third;
        r.r4 = drained == 0 && streamIntact(3) ? 1 : 0;
        release();
    }
}
