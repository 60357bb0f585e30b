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
 * Consumer position cache: the consumer has taken record 1 of two signalled ones (offer). The
 * producer now writes records 3 and 4 unsignalled (offerDeferred; the first of them needs a PAD
 * and wraps to index 0) and publishes them together. The consumer's next poll must deliver
 * record 2 and stop at the unsignalled PAD without reading further; the poll after it loads the
 * producer position and gets 3 and 4 together, or nothing.
 * r1 = records the first racing poll delivered (exactly 1); r2 = records the second delivered
 * (0 or 2); r3 = 1 when the whole stream was intact and in order.
 */
@JCStressTest
@Description("Position caches: a consumer never reads past the signalled records and the position it loaded")
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "record 2 by its signal; the batch was not published yet")
@Outcome(id = "1, 2, 1", expect = ACCEPTABLE, desc = "record 2 by its signal, then the published batch across the wrap")
@Outcome(id = ".*, 1, .*", expect = FORBIDDEN, desc = "half of a batch: the consumer read beyond what was published")
@Outcome(expect = FORBIDDEN, desc = "read past the cached position, or a torn, stale or lost record")
@State
public class ConsumerStaleCacheTest extends RingFixture {
    private int first;
    private int second;

    @SuppressWarnings("this-escape") // prepares its own ring before jcstress hands the state to the actors
    public ConsumerStaleCacheTest() {
        super(LAP + CAPACITY - 40, lengths(8, 8, 100, 60), 0);
        prefill(1, 2);
        if (poll(1) != 1) {
            throw new IllegalStateException("setup: the consumer did not take record 1");
        }
    }

    @Actor
    public void producer() {
        offerDeferred(3);
        offerDeferred(4);
        producer.publish();
    }

    @Actor
    public void consumer() {
        first = poll(8);
        second = poll(8);
    }

    @Arbiter
    public void arbiter(final III_Result r) {
        final int drained = drain();
        r.r1 = first;
        r.r2 = second;
        r.r3 = drained == 0 && streamIntact(4) ? 1 : 0;
        release();
    }
}
