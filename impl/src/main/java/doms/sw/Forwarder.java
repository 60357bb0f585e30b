package doms.sw;

import doms.net.EthernetFrame;
import doms.net.FrameLayout;
import doms.net.Segmenter;
import doms.net.VirtioNetHeader;
import doms.pool.Mac;
import doms.pool.PoolTrace;
import doms.pool.SlotDescriptor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The forwarding decision (the paper's Open vSwitch role, minimal), and the only place that
 * makes it. A frame's path, top-down: {@link SwitchPort#pollTx} copies a record out of a guest's
 * TX ring into private memory and hands it to {@link #fromPort}; ingress checks it
 * ({@link #classify}: a frame, long enough, from the port's bound address); the decision picks
 * the egress (a port of the tenant by destination address, a remote endpoint learned on the
 * uplink, or every port of the tenant); {@link SwitchPort#deliver} writes it into each egress
 * port's RX ring. Frames from the uplink enter at {@link #fromUplink}.
 *
 * <p>A record of type {@link SlotDescriptor#TYPE_VNET_FRAME} (offloads: a virtio-net header and
 * a super-frame, or a frame whose checksum is to complete) has its header validated against its
 * frame first ({@link VirtioNetHeader#validate}, on the private copy, each field read once); a bad
 * one is dropped and counted as malformed. A valid one passes the same ingress checks on its frame
 * and goes to each egress as that egress takes it: unchanged to a guest that accepts offloads,
 * else, and to the uplink, as plain wire frames ({@link Segmenter#wireFrames}), a super-frame's
 * segments queued and sent together ({@link VxlanUplink#queue}).
 *
 * <p>Nothing here ever crosses tenants: every table is keyed by the source's tenant.
 */
public final class Forwarder {
    /** Ports by (tenant, bound address): a lookup can only ever return a port of the asking tenant. */
    private final PortTable<SwitchPort> byTenantAndMac = new PortTable<>(64);
    /** Ports by tenant, in attach order: the flooding targets. */
    private final Map<Integer, List<SwitchPort>> byTenant = new HashMap<>();
    private VxlanUplink uplink;
    private Capture capture;
    /** The validated layout of the offloaded record being forwarded (one at a time: reused). */
    private final FrameLayout layout = new FrameLayout();
    /** Where plain frames are built from an offloaded record (allocated at the first one). */
    private MemorySegment wire;

    void add(final SwitchPort port) {
        byTenantAndMac.put(port.tenant(), port.mac() & Mac.BROADCAST, port);
        byTenant.computeIfAbsent(port.tenant(), t -> new ArrayList<>()).add(port);
    }

    void remove(final SwitchPort port) {
        byTenantAndMac.remove(port.tenant(), port.mac() & Mac.BROADCAST, port);
        final List<SwitchPort> ports = byTenant.get(port.tenant());
        if (ports != null) {
            ports.remove(port);
        }
    }

    void uplink(final VxlanUplink uplink) {
        this.uplink = uplink;
    }

    void capture(final Capture capture) {
        this.capture = capture;
    }

    /**
     * Ingress checks of one record copied out of a guest's TX ring into private memory (the ring
     * already bounded its length by the maximum frame). Pure, so the fuzz tests drive it directly.
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

    /** A frame from a guest: ingress, decision, egress. */
    void fromPort(final SwitchPort source, final int type, final MemorySegment frame, final long at, final int length) {
        source.framesIn++;
        if (PoolTrace.ON) {
            PoolTrace.forwardBegin();
        }
        if (type == SlotDescriptor.TYPE_VNET_FRAME) {
            fromPortOffloaded(source, frame, at, length);
        } else {
            source.captureFrame(frame, at, length);
            switch (classify(type, frame, at, length, source.mac())) {
                case DROP_RUNT, DROP_NOT_A_FRAME -> source.dropsMalformed++;
                case DROP_SPOOFED -> source.dropsSpoofed++;
                case UNICAST -> unicast(source, EthernetFrame.destination(frame, at), frame, at, length, null);
                case FLOOD -> flood(source, source.tenant(), frame, at, length, true, null);
            }
        }
        if (PoolTrace.ON) { // the frame, behind the virtio-net header of an offloaded record
            final int skip = type == SlotDescriptor.TYPE_VNET_FRAME && length >= VirtioNetHeader.LENGTH ? VirtioNetHeader.LENGTH : 0;
            PoolTrace.forwardEnd(source.slot(), source.generation(), frame, at + skip, length - skip);
        }
    }

    /** An offloaded record: its header against its frame, then the frame's ingress checks, then the decision. */
    private void fromPortOffloaded(final SwitchPort source, final MemorySegment record, final long at, final int length) {
        final int h = VirtioNetHeader.LENGTH;
        if (length < h + EthernetFrame.HEADER_LENGTH
                || VirtioNetHeader.validate(record, at, record, at + h, length - h, layout) != VirtioNetHeader.VALID) {
            source.dropsMalformed++;
            return;
        }
        source.captureFrame(record, at + h, length - h);
        switch (classify(SlotDescriptor.TYPE_FRAME, record, at + h, length - h, source.mac())) {
            case DROP_RUNT, DROP_NOT_A_FRAME -> source.dropsMalformed++;
            case DROP_SPOOFED -> source.dropsSpoofed++;
            case UNICAST -> unicast(source, EthernetFrame.destination(record, at + h), record, at, length, layout);
            case FLOOD -> flood(source, source.tenant(), record, at, length, true, layout);
        }
    }

    /** One frame to one port: a plain frame as it is, an offloaded record ({@code offload} its layout) as the port takes it. */
    private void toPort(final SwitchPort port, final MemorySegment frame, final long at, final int length, final FrameLayout offload) {
        if (offload == null) {
            port.deliver(frame, at, length);
        } else {
            port.deliverOffloaded(frame, at, length, offload, wire());
        }
    }

    /** One frame to the uplink, to {@code remote} or flooded (null): an offloaded record as plain wire frames. */
    private void toUplink(final VxlanUplink up, final int tenant, final InetSocketAddress remote, final MemorySegment frame,
                          final long at, final int length, final FrameLayout offload) {
        if (offload == null) {
            captureUplink(frame, at, length);
            send(up, tenant, remote, frame, at, length);
            return;
        }
        final int frames = Segmenter.wireFrames(frame, at, length, offload, up.maxFrame(), wire(), (w, n) -> {
            captureUplink(w, 0, n);
            up.queue(tenant, remote, w, 0, n);
        });
        up.flush();
        if (frames == Segmenter.TOO_BIG) {
            up.countTooBig();
        }
    }

    private static void send(final VxlanUplink up, final int tenant, final InetSocketAddress remote, final MemorySegment frame,
                             final long at, final int length) {
        if (remote != null) {
            up.send(tenant, remote, frame, at, length);
        } else {
            up.flood(tenant, frame, at, length);
        }
    }

    private MemorySegment wire() {
        if (wire == null) {
            wire = Arena.ofAuto().allocate(SlotDescriptor.MAX_FRAME_LIMIT, 8);
        }
        return wire;
    }

    private void unicast(final SwitchPort source, final long destination, final MemorySegment frame, final long at,
                         final int length, final FrameLayout offload) {
        final int tenant = source.tenant();
        final SwitchPort target = byTenantAndMac.get(tenant, destination & Mac.BROADCAST);
        if (target != null) {
            if (target != source) {
                toPort(target, frame, at, length, offload);
            }
            return;
        }
        final VxlanUplink up = uplink;
        final InetSocketAddress remote = up != null ? up.lookup(tenant, destination) : null;
        if (remote != null) {
            toUplink(up, tenant, remote, frame, at, length, offload);
        } else {
            flood(source, tenant, frame, at, length, true, offload); // unknown unicast: as a switch does, within the tenant
        }
    }

    /**
     * A frame from the uplink, in its private receive buffer. The uplink binds no address, so only
     * the frame's shape is checked, plus one rule: a remote host may not use an address bound to a
     * local guest of the tenant (that would steal the guest's traffic). Never sent back to the
     * uplink (split horizon).
     */
    void fromUplink(final int tenant, final InetSocketAddress from, final MemorySegment frame, final long at, final int length) {
        final VxlanUplink up = uplink;
        captureUplink(frame, at, length);
        if (byTenant.getOrDefault(tenant, List.of()).isEmpty()) {
            // No guest of this tenant here: nothing to deliver, and nothing worth learning (a
            // sender cycling through VNIs must not make the switch keep state per VNI).
            up.dropsUnknownVni++;
            return;
        }
        final long source = EthernetFrame.source(frame, at);
        if (Mac.isGroup(source) || classify(SlotDescriptor.TYPE_FRAME, frame, at, length, source) == Verdict.DROP_RUNT) {
            up.dropsMalformed++;
            return;
        }
        if (byTenantAndMac.get(tenant, source) != null) {
            up.dropsSpoofed++;
            return;
        }
        up.learn(tenant, source, from);
        final long destination = EthernetFrame.destination(frame, at);
        final SwitchPort target = Mac.isGroup(destination) ? null : byTenantAndMac.get(tenant, destination);
        if (target != null) {
            target.deliver(frame, at, length);
        } else {
            flood(null, tenant, frame, at, length, false, null);
        }
    }

    /** To every port of the tenant but {@code source}, and to the uplink too unless the frame came from it. */
    private void flood(final SwitchPort source, final int tenant, final MemorySegment frame, final long at, final int length,
                       final boolean alsoUplink, final FrameLayout offload) {
        final List<SwitchPort> ports = byTenant.getOrDefault(tenant, List.of());
        for (int i = 0, n = ports.size(); i < n; i++) {
            final SwitchPort port = ports.get(i);
            if (port != source) {
                toPort(port, frame, at, length, offload);
            }
        }
        final VxlanUplink up = uplink;
        if (alsoUplink && up != null && up.floods(tenant)) {
            toUplink(up, tenant, null, frame, at, length, offload);
        }
    }

    private void captureUplink(final MemorySegment frame, final long at, final int length) {
        final Capture c = capture;
        if (c != null && c.port() == Capture.UPLINK) {
            c.frame(frame, at, length);
        }
    }
}
