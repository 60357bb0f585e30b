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
 * Empty edge over stale data: the consumer has consumed a whole lap (records 1..4), so the ring
 * is empty but the data area still holds those four well-formed, signalled records. The producer writes
 * records 5 and 6 over them and publishes each; the consumer polls twice. It must deliver only
 * what was published, never a stale record from the old lap and never a half-written one.
 * r1, r2 = seeds delivered during the race (0: none); r3 = 1 when the whole stream (1..6) was
 * intact and in order.
 */
@JCStressTest
@Description("Empty edge: a caught-up consumer never reads the previous lap's records or unpublished bytes")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "both polls found the ring empty")
@Outcome(id = "5, 0, 1", expect = ACCEPTABLE, desc = "the consumer caught the producer between the two publications")
@Outcome(id = "5, 6, 1", expect = ACCEPTABLE, desc = "both new records, intact")
@Outcome(id = {"[1-4], .*", ".*, [1-4], .*"}, expect = FORBIDDEN, desc = "a stale record from the previous lap")
@Outcome(expect = FORBIDDEN, desc = "torn, out of order or lost record")
@State
public class EmptyEdgeStaleDataTest extends RingFixture {
    private int first;
    private int second;

    @SuppressWarnings("this-escape") // prepares its own ring before jcstress hands the state to the actors
    public EmptyEdgeStaleDataTest() {
        super(LAP, lengths(1016, 1016, 1016, 1008, 40, 100), 0); // 4088 bytes: the fullest ring
        prefill(1, 2, 3, 4);
        if (poll(8) != 4) {
            throw new IllegalStateException("setup: the consumer did not take the first lap");
        }
    }

    @Actor
    public void producer() {
        offer(5);
        offer(6);
    }

    @Actor
    public void consumer() {
        poll(8);
        poll(8);
        first = checker.seed(4);
        second = checker.seed(5);
    }

    @Arbiter
    public void arbiter(final III_Result r) {
        final int drained = drain();
        r.r1 = first;
        r.r2 = second;
        r.r3 = drained == 0 && streamIntact(6) ? 1 : 0;
        release();
    }
}
