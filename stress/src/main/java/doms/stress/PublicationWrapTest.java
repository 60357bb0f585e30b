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
 * Publication of a record that does not fit before the end of the data area: the producer
 * writes a PAD over the last 24 bytes and the record at index 0, then publishes both with one
 * release store. A consumer that sees the position sees the PAD and the whole record.
 * r1 = what the racing poll returned; r2 = 1 when the whole stream was intact (arbiter drains);
 * r3 = how far the racing poll moved the consumer (0, or PAD 24 + record 512).
 */
@JCStressTest
@Description("Publication across the wrap point: PAD at the end, record at index 0, one release")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "the poll came before the publication: empty")
@Outcome(id = "1, 1, 536", expect = ACCEPTABLE, desc = "the poll saw the PAD and the whole wrapped record")
@Outcome(expect = FORBIDDEN, desc = "torn PAD or record, the PAD without its record, or a lost record")
@State
public class PublicationWrapTest extends RingFixture {
    private static final long START = LAP + CAPACITY - 24;
    private int polled;
    private long moved;

    public PublicationWrapTest() {
        super(START, lengths(500), 0);
    }

    @Actor
    public void producer() {
        offer(1);
    }

    @Actor
    public void consumer() {
        polled = poll(8);
        moved = consumer.position() - START;
    }

    @Arbiter
    public void arbiter(final III_Result r) {
        final int drained = drain();
        r.r1 = polled;
        r.r2 = drained == 0 && streamIntact(1) ? 1 : 0;
        r.r3 = (int) moved;
        release();
    }
}
