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
 * Control plane against switch (spec/pool Assign vs SwitchDiscover): the control plane writes
 * MAC and tenant, then publishes ASSIGNED (release); the switch loads the state word (acquire)
 * and only then reads the binding. r1 = the state the switch saw, r2 = 1 when the binding it
 * read is the one assigned, -1 when it read none (the slot looked free).
 */
@JCStressTest
@Description("Slot handshake: a switch that sees ASSIGNED sees the binding written before it")
@Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "discovery came first: the slot is still free")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "ASSIGNED, with the binding the control plane wrote")
@Outcome(expect = FORBIDDEN, desc = "ASSIGNED with a stale binding, or a state that was never written")
@State
public class SlotAssignDiscoveryTest extends SlotFixture {
    @Actor
    public void controlPlane() {
        table.assign(0, MAC, TENANT, 1000);
    }

    @Actor
    public void switchDiscovery(final II_Result r) {
        final long word = table.lvState(0);
        r.r1 = BindingTable.state(word);
        if (BindingTable.state(word) == BindingTable.ASSIGNED) {
            r.r2 = table.lpMac(0) == MAC && table.lpTenant(0) == TENANT && BindingTable.generation(word) == 1 ? 1 : 0;
        } else {
            r.r2 = -1;
        }
    }

    @Arbiter
    public void arbiter(final II_Result r) {
        release();
    }
}
