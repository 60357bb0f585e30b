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
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Publication of a batch: three records written with {@code offerDeferred} and made visible by
 * one {@code publish()}. The consumer sees none of them or all three, each intact, never part of
 * the batch. r1 = records the racing poll delivered; r2 = 1 when the whole stream was intact.
 */
@JCStressTest
@Description("Publication of a batch: offerDeferred x3 then one publish; all or nothing, every byte")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the poll came before the publication: empty")
@Outcome(id = "3, 1", expect = ACCEPTABLE, desc = "the poll saw the whole batch, intact")
@Outcome(id = {"1, .*", "2, .*"}, expect = FORBIDDEN, desc = "part of a batch was visible before its publication")
@Outcome(expect = FORBIDDEN, desc = "torn or corrupt record, or a lost record")
@State
public class PublicationBatchTest extends RingFixture {
    private int polled;

    public PublicationBatchTest() {
        super(LAP + 512, lengths(100, 300, 7), 0);
    }

    @Actor
    public void producer() {
        offerDeferred(1);
        offerDeferred(2);
        offerDeferred(3);
        producer.publish();
    }

    @Actor
    public void consumer() {
        polled = poll(8);
    }

    @Arbiter
    public void arbiter(final II_Result r) {
        final int drained = drain();
        r.r1 = polled;
        r.r2 = drained == 0 && streamIntact(3) ? 1 : 0;
        release();
    }
}
