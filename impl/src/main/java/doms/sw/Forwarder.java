package doms.sw;

import doms.pool.SlotDescriptor;
import doms.net.EthernetFrame;

import doms.pool.Mac;
import doms.ring.RecordDescriptor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The forwarding logic (the paper's Open vSwitch role, minimal): anti-spoofing, unicast by the
 * bound address within a tenant, flooding within a tenant. Nothing here ever crosses tenants:
 * every lookup is keyed by the source port's tenant. Pure decisions on private memory, so the
 * fuzz tests can drive it directly.
 */
public final class Forwarder {
    /** Ports by (tenant, bound address): a lookup can only ever return a port of the asking tenant. */
    private final PortTable<SwitchPort> byTenantAndMac = new PortTable<>(64);
    private final Map<Integer, List<SwitchPort>> byTenant = new HashMap<>();

    public void add(final SwitchPort port) {
        byTenantAndMac.put(port.tenant(), port.mac() & Mac.BROADCAST, port);
        final List<SwitchPort> peers = byTenant.computeIfAbsent(port.tenant(), t -> new ArrayList<>());
        peers.add(port);
        port.peers = peers; // the same list object for the tenant's whole life: floods need no lookup
    }

    public void remove(final SwitchPort port) {
        byTenantAndMac.remove(port.tenant(), port.mac() & Mac.BROADCAST, port);
        final List<SwitchPort> ports = byTenant.get(port.tenant());
        if (ports != null) {
            ports.remove(port);
        }
    }

    /** The ports of a tenant, in attach order (flooding targets minus the source). */
    public List<SwitchPort> tenantPorts(final int tenant) {
        return byTenant.getOrDefault(tenant, List.of());
    }

    /** The port bound to {@code mac} in {@code tenant}, or null. */
    public SwitchPort lookup(final int tenant, final long mac) {
        return byTenantAndMac.get(tenant, mac & Mac.BROADCAST);
    }

    /**
     * Decides on one record copied out of {@code source}'s TX ring into private memory. The
     * record was already checked by the ring (length within the maximum frame size).
     */
    public static Verdict classify(final int type, final MemorySegment frame, final long at, final int length,
                                   final long boundMac) {
        if (type != SlotDescriptor.TYPE_FRAME) {
            return Verdict.DROP_NOT_A_FRAME;
        }
        if (length < EthernetFrame.HEADER_LENGTH) {
            return Verdict.DROP_RUNT;
        }
        if (EthernetFrame.etherType(frame, at) == EthernetFrame.TPID_8021Q && length < EthernetFrame.TAGGED_HEADER_LENGTH) {
            return Verdict.DROP_RUNT;
        }
        if (EthernetFrame.source(frame, at) != boundMac) {
            return Verdict.DROP_SPOOFED;
        }
        return Mac.isGroup(EthernetFrame.destination(frame, at)) ? Verdict.FLOOD : Verdict.UNICAST;
    }
}
