package doms.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import doms.ring.RingDescriptor;
import doms.ring.RingProducer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Switch against control plane (spec/pool SwitchRelease vs Scrub): the switch delivers a last
 * frame into the retiring guest's RX ring, then publishes the release of the generation; the
 * control plane scrubs the ring only after it sees that release (acquire). The switch's frame
 * must never land after the scrub, or the next guest of the slot would read the previous
 * tenant's data. r1 = 1 when the control plane scrubbed, r2 = the first payload byte at the end.
 */
@JCStressTest
@Description("Slot handshake: a scrub after the switch's release is never overtaken by the switch's last write")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "released, then scrubbed: nothing of the old tenant remains")
@Outcome(id = "0, 90", expect = ACCEPTABLE, desc = "the control plane looked before the release and did not scrub")
@Outcome(expect = FORBIDDEN, desc = "the old tenant's frame survived the scrub, or was never written")
@State
public class SlotScrubAfterReleaseTest extends SlotFixture {
    private final MemorySegment rx = RingPool.acquire(64, 0); // the retiring guest's RX ring
    private final RingProducer producer = RingProducer.attach(rx);
    private int scrubbed;

    @Actor
    public void switchDeliversThenReleases() {
        producer.offer(2, MemorySegment.ofArray(new byte[] {90, 90, 90, 90}), 0, 4);
        status.soReleasedGeneration(0, 1);
    }

    @Actor
    public void controlPlaneScrubs() {
        if (status.lvReleasedGeneration(0) >= 1) {
            rx.asSlice(RingDescriptor.DATA_OFFSET, RingPool.CAPACITY).fill((byte) 0);
            scrubbed = 1;
        }
    }

    @Arbiter
    public void arbiter(final II_Result r) {
        r.r1 = scrubbed;
        r.r2 = rx.get(ValueLayout.JAVA_BYTE, RingDescriptor.DATA_OFFSET + 8);
        RingPool.release(rx);
        release();
    }
}
