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
import java.lang.foreign.MemorySegment;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Publication of a batch written with {@code offerBatch} that straddles the wrap point: the
 * first record ends 16 bytes before the end, the second needs a PAD and goes to index 0, the
 * third follows it; one release store publishes all. The consumer sees none or all three.
 * r1 = records the racing poll delivered; r2 = 1 when the whole stream was intact;
 * r3 = what offerBatch returned (records written).
 */
@JCStressTest
@Description("Publication of an offerBatch across the wrap point (record, PAD, record, record)")
@Outcome(id = "0, 1, 3", expect = ACCEPTABLE, desc = "the poll came before the publication: empty")
@Outcome(id = "3, 1, 3", expect = ACCEPTABLE, desc = "the poll saw the whole batch across the wrap, intact")
@Outcome(id = {"1, .*", "2, .*"}, expect = FORBIDDEN, desc = "part of a batch was visible before its publication")
@Outcome(expect = FORBIDDEN, desc = "torn or corrupt record or PAD, or a lost record")
@State
public class PublicationBatchWrapTest extends RingFixture {
    private static final int[] LENGTHS = lengths(40, 200, 100);
    private final MemorySegment[] batch = {
        Payloads.source(1).asSlice(0, LENGTHS[1]),
        Payloads.source(2).asSlice(0, LENGTHS[2]),
        Payloads.source(3).asSlice(0, LENGTHS[3]),
    };
    private int polled;
    private int written;

    public PublicationBatchWrapTest() {
        super(LAP + CAPACITY - 64, LENGTHS, 0);
    }

    @Actor
    public void producer() {
        // offerBatch gives every record the same type: the checker tells them apart by length.
        written = producer.offerBatch(doms.ring.RecordDescriptor.TYPE_FIRST_USER, batch, batch.length);
    }

    @Actor
    public void consumer() {
        polled = poll(8);
    }

    @Arbiter
    public void arbiter(final III_Result r) {
        final int drained = drain();
        r.r1 = polled;
        r.r2 = drained == 0 && streamIntact(3) ? 1 : 0;
        r.r3 = written;
        release();
    }
}
