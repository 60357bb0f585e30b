package doms.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Publication of one record in the middle of the data area, written by {@code offer}: a
 * consumer that sees its signalled header (or the new producer position) sees the whole record
 * (header and every payload byte) behind it.
 * r1 = what the racing poll returned (records, or a negative corruption result); r2 = 1 when
 * the consumer got exactly the record, intact, by the end (arbiter drains the rest).
 */
@JCStressTest
@Description("Publication: one record, no wrap; seeing its signalled header means seeing every byte behind it")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the poll came before the publication: empty")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the poll saw the publication and the whole record")
@Outcome(expect = FORBIDDEN, desc = "torn or corrupt record, or a record seen twice or lost")
@State
public class PublicationTest extends RingFixture {
    private int polled;

    public PublicationTest() {
        super(LAP + 1024, lengths(500), 0);
    }

    @Actor
    public void producer() {
        offer(1);
    }

    @Actor
    public void consumer() {
        polled = poll(8);
    }

    @Arbiter
    public void arbiter(final II_Result r) {
        final int drained = drain();
        r.r1 = polled;
        r.r2 = drained == 0 && streamIntact(1) ? 1 : 0;
        release();
    }
}
