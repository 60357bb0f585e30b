package doms.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * The demo's figures and its pass rule, apart from the processes that produce them: a pure
 * function of the counts, so a unit test can show which runs fail.
 *
 * @param sent frames A sent to B (forged ones not counted)
 * @param received distinct frames B received from A
 * @param droppedRxFull frames for B the switch dropped because B's RX ring was full (counted by the switch)
 * @param duplicated frames B received more than once (allowed: a switch killed between forwarding a frame and
 *        releasing it forwards it again after its restart, by design, so that no frame is lost)
 * @param corrupted frames B received with bad content
 * @param crossTenant frames any guest received from another tenant
 * @param spoofedDelivered frames any guest received with a forged source
 * @param endSeen B saw A's end marker (A's traffic got through to the end, past the switch's restart)
 * @param ports every guest's port, the hostile one included
 * @param tamper what the hostile guest tried on its slot's memfd
 */
record DemoOutcome(long sent, long received, long droppedRxFull, long duplicated, long corrupted, long crossTenant,
                   long spoofedDelivered, boolean endSeen, List<Port> ports, Tamper tamper) {

    /**
     * The hostile guest's attempts on its slot's memfd (shrink, grow, extend, chmod, punch a hole).
     *
     * @param attempts how many it made
     * @param refused how many the kernel refused
     * @param resized how many of the size-changing ones (shrink, grow, extend) went through: must be 0
     */
    record Tamper(int attempts, int refused, int resized) {
        static final Tamper NONE = new Tamper(0, 0, 0);
    }

    DemoOutcome(final long sent, final long received, final long droppedRxFull, final long duplicated, final long corrupted,
                final long crossTenant, final long spoofedDelivered, final boolean endSeen, final List<Port> ports) {
        this(sent, received, droppedRxFull, duplicated, corrupted, crossTenant, spoofedDelivered, endSeen, ports, Tamper.NONE);
    }

    /**
     * One guest's port as the switch counted it.
     *
     * @param name the guest's name in the summary (A, B, ...)
     * @param hostile whether the demo makes this guest hostile (it must be quarantined)
     * @param quarantined whether the switch quarantined the port
     * @param framesIn frames the switch took from the guest
     * @param framesOut frames the switch delivered to the guest
     */
    record Port(String name, boolean hostile, boolean quarantined, long framesIn, long framesOut) {
    }

    DemoOutcome {
        ports = List.copyOf(ports);
    }

    /** Frames A sent that B did not receive. */
    long notArrived() {
        return Math.max(0, sent - received);
    }

    /** Frames that did not arrive and that nothing accounts for (the switch's full-ring drops are accounted for). */
    long lost() {
        return Math.max(0, sent - received - droppedRxFull);
    }

    long quarantinedPorts() {
        return ports.stream().filter(Port::quarantined).count();
    }

    /** Ports quarantined although their guest is honest: must be 0. */
    long wronglyQuarantinedPorts() {
        return ports.stream().filter(p -> p.quarantined() && !p.hostile()).count();
    }

    /** Why the run failed, one reason a line; empty when it passed. */
    List<String> failures() {
        final List<String> why = new ArrayList<>();
        if (lost() > 0) {
            why.add(String.format("%,d frame(s) from A to B lost: neither received nor dropped by the switch at a full ring", lost()));
        }
        if (corrupted > 0) {
            why.add(corrupted + " frame(s) delivered corrupted to B");
        }
        if (crossTenant > 0) {
            why.add(crossTenant + " frame(s) crossed tenants");
        }
        if (spoofedDelivered > 0) {
            why.add(spoofedDelivered + " frame(s) with a forged source delivered");
        }
        if (!endSeen) {
            why.add("B never saw A's end marker: A's traffic did not get through to the end");
        }
        if (tamper.resized() > 0) {
            why.add(tamper.resized() + " attempt(s) to resize a slot's memory went through (its seals should refuse them)");
        }
        for (final Port p : ports) {
            if (p.hostile() && !p.quarantined()) {
                why.add("hostile guest " + p.name() + "'s port was not quarantined");
            } else if (!p.hostile() && p.quarantined()) {
                why.add("guest " + p.name() + "'s port was quarantined although the guest is not hostile");
            } else if (!p.hostile() && p.framesIn() + p.framesOut() == 0) {
                why.add("guest " + p.name() + "'s port forwarded nothing");
            }
        }
        return why;
    }
}
