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
 * FIFO over several laps: twelve records of mixed sizes (0 to 2000 bytes, about 2.3 laps of a
 * 4 KiB ring, with PADs wherever one does not fit before the end) go through while both sides
 * run: the producer retries on FULL, the consumer polls two at a time and checks every payload
 * in place. r1 = 1 if the producer got all twelve in (it gives up after {@value #TRIES}
 * consecutive FULLs); r2 = 1 when every record was delivered intact, in order, exactly once;
 * r3 = 0, or the {@link RingFixture#faults} bits saying what broke (a forbidden outcome's id
 * then names the rule).
 */
@JCStressTest
@Description("FIFO over several laps with wraps, PADs, FULLs and empties on both sides")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "all twelve records, in order, intact")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "the producer gave up on a full ring; what it wrote arrived in order, intact")
@Outcome(expect = FORBIDDEN, desc = "r3 bits: 1 bytes, 2 order, 4 consumer corrupt, 8 producer corrupt, 16 positions, 32 drain")
@State
public class RingLapsTest extends RingFixture {
    static final int RECORDS = 12;
    static final int TRIES = 2000;
    static final int POLLS = 2000;
    private int written;

    public RingLapsTest() {
        super(LAP + 3000, lengths(700, 60, 1500, 8, 900, 333, 2000, 0, 1200, 77, 640, 1016), 0);
    }

    @Actor
    public void producer() {
        for (int seed = 1; seed <= RECORDS; seed++) {
            if (offerRetrying(seed, TRIES) != RingResult.OK) {
                break;
            }
            written++;
        }
    }

    @Actor
    public void consumer() {
        for (int i = 0; i < POLLS && checker.count() < RECORDS; i++) {
            if (poll(2) < 0) {
                break;
            }
        }
    }

    @Arbiter
    public void arbiter(final III_Result r) {
        final int faults = faults(written, drain());
        r.r1 = written == RECORDS ? 1 : 0;
        r.r2 = faults == 0 ? 1 : 0;
        r.r3 = faults;
        release();
    }
}
