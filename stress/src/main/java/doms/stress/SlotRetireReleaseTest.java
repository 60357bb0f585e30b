package doms.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import doms.pool.BindingTable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Control plane against switch (spec/pool Retire vs SwitchRelease): the control plane marks
 * the slot RETIRING and then looks for the switch's release of that generation; the switch
 * releases a generation only after it saw RETIRING. r1 = 1 when the control plane saw the
 * release (it would scrub now), r2 = 1 when the switch saw RETIRING.
 */
@JCStressTest
@Description("Slot handshake: the control plane never sees a release the switch did not make for RETIRING")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the switch looked before the retirement")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the switch released, but after the control plane looked")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "release seen: the switch saw RETIRING and let go")
@Outcome(expect = FORBIDDEN, desc = "a release without RETIRING having been seen: scrubbing would race the switch")
@State
public class SlotRetireReleaseTest extends SlotFixture {
    private int switchSawRetiring;
    private int controlPlaneSawRelease;

    public SlotRetireReleaseTest() {
        table.assign(0, MAC, TENANT, 1000);
    }

    @Actor
    public void controlPlane() {
        final long generation = table.retire(0);
        controlPlaneSawRelease = status.lvReleasedGeneration(0) >= generation ? 1 : 0;
    }

    @Actor
    public void switchDiscovery() {
        final long word = table.lvState(0);
        if (BindingTable.state(word) == BindingTable.RETIRING) {
            switchSawRetiring = 1;
            status.soReleasedGeneration(0, BindingTable.generation(word));
        }
    }

    @Arbiter
    public void arbiter(final II_Result r) {
        r.r1 = controlPlaneSawRelease;
        r.r2 = switchSawRetiring;
        release();
    }
}
