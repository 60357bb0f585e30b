package doms.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DemoOutcomeTest {
    private static List<DemoOutcome.Port> ports(final boolean dQuarantined) {
        return List.of(new DemoOutcome.Port("A", false, false, 300_000, 0), new DemoOutcome.Port("B", false, false, 0, 276_019),
                new DemoOutcome.Port("C", false, false, 120_000, 0), new DemoOutcome.Port("D", true, dQuarantined, 3, 120_000));
    }

    /** A run that passed wrongly: 23,928 frames dropped at B's full ring, D not quarantined, "demo: OK" printed. */
    @Test
    void failsWhenTheHostileGuestIsNotQuarantinedEvenIfNothingWasLost() {
        final DemoOutcome o = new DemoOutcome(299_947, 276_019, 23_928, 0, 0, 0, 0, true, ports(false));
        assertThat(o.lost()).isZero();
        assertThat(o.notArrived()).isEqualTo(23_928);
        assertThat(o.failures()).containsExactly("hostile guest D's port was not quarantined");
    }

    @Test
    void passesWhenEveryMissingFrameWasDroppedAtAFullRingAndDWasQuarantined() {
        final DemoOutcome o = new DemoOutcome(299_947, 276_019, 23_928, 5, 0, 0, 0, true, ports(true));
        assertThat(o.failures()).isEmpty();
        assertThat(o.quarantinedPorts()).isEqualTo(1);
    }

    @Test
    void framesNeitherReceivedNorDroppedAreLost() {
        final DemoOutcome o = new DemoOutcome(1_000, 990, 4, 0, 0, 0, 0, true, ports(true));
        assertThat(o.notArrived()).isEqualTo(10);
        assertThat(o.lost()).isEqualTo(6);
        assertThat(o.failures()).containsExactly("6 frame(s) from A to B lost: neither received nor dropped by the switch at a full ring");
        // More drops than missing frames (drops counted for frames A sent twice after the restart): nothing lost.
        assertThat(new DemoOutcome(1_000, 990, 50, 0, 0, 0, 0, true, ports(true)).lost()).isZero();
        assertThat(new DemoOutcome(1_000, 1_000, 0, 0, 0, 0, 0, true, ports(true)).notArrived()).isZero();
    }

    @Test
    void failsWhenAnotherPortWasQuarantinedOrForwardedNothing() {
        final List<DemoOutcome.Port> quarantinedA = List.of(new DemoOutcome.Port("A", false, true, 10, 0),
                new DemoOutcome.Port("B", false, false, 0, 10), new DemoOutcome.Port("D", true, true, 1, 0));
        assertThat(new DemoOutcome(10, 10, 0, 0, 0, 0, 0, true, quarantinedA).failures())
                .containsExactly("guest A's port was quarantined although the guest is not hostile");
        final List<DemoOutcome.Port> idleC = List.of(new DemoOutcome.Port("C", false, false, 0, 0), new DemoOutcome.Port("D", true, true, 0, 0));
        assertThat(new DemoOutcome(10, 10, 0, 0, 0, 0, 0, true, idleC).failures()).containsExactly("guest C's port forwarded nothing");
        final List<DemoOutcome.Port> onlyOut = List.of(new DemoOutcome.Port("B", false, false, 0, 1), new DemoOutcome.Port("D", true, true, 0, 0));
        assertThat(new DemoOutcome(10, 10, 0, 0, 0, 0, 0, true, onlyOut).failures()).isEmpty();
    }

    @Test
    void failsOnCorruptionCrossTenantSpoofingOrAMissingEndMarker() {
        assertThat(new DemoOutcome(10, 10, 0, 0, 1, 0, 0, true, ports(true)).failures()).containsExactly("1 frame(s) delivered corrupted to B");
        assertThat(new DemoOutcome(10, 10, 0, 0, 0, 2, 0, true, ports(true)).failures()).containsExactly("2 frame(s) crossed tenants");
        assertThat(new DemoOutcome(10, 10, 0, 0, 0, 0, 3, true, ports(true)).failures())
                .containsExactly("3 frame(s) with a forged source delivered");
        assertThat(new DemoOutcome(10, 10, 0, 0, 0, 0, 0, false, ports(true)).failures())
                .containsExactly("B never saw A's end marker: A's traffic did not get through to the end");
    }

    @Test
    void failsWhenTheHostileGuestResizedItsSlot() {
        assertThat(new DemoOutcome(10, 10, 0, 0, 0, 0, 0, true, ports(true), new DemoOutcome.Tamper(5, 4, 0)).failures()).isEmpty();
        assertThat(new DemoOutcome(10, 10, 0, 0, 0, 0, 0, true, ports(true), new DemoOutcome.Tamper(5, 2, 1)).failures())
                .containsExactly("1 attempt(s) to resize a slot's memory went through (its seals should refuse them)");
        assertThat(new DemoOutcome(10, 10, 0, 0, 0, 0, 0, true, ports(true)).wronglyQuarantinedPorts()).isZero();
    }
}
