package doms.sw;

import doms.cap.UdpSocket;
import doms.net.EthernetFrame;
import doms.net.Vxlan;
import doms.pool.SwitchStatus;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The switch's uplink port (the paper's physical NIC): Ethernet frames of each tenant carried
 * in VXLAN over UDP (RFC 7348) to other hosts, one VNI per tenant. A non-blocking socket the
 * switch polls in its round like any ring, so the switch still never blocks or sleeps on it.
 *
 * <p>Flooded frames go to every configured remote (head-end replication, as a Linux vxlan
 * device with a {@code remote} does). Remote MACs are learned per tenant with aging
 * ({@link MacTable}), behind the address the packet came from (at the VXLAN port, not the
 * packet's hashed source port); a frame to a learned MAC goes to that endpoint alone. Nothing
 * is learned from a packet the switch rejects, and learning is bounded per tenant and in all.
 *
 * <p>The segments of one super-frame ({@link #queue}, {@link #flush}) leave with one
 * {@code sendmsg} and {@code UDP_SEGMENT} per destination, up to 64 datagrams or 64 KiB at a
 * time; where the kernel refuses that (no UDP_SEGMENT, a datagram over the MTU), the uplink
 * sends them one by one from then on.
 *
 * <p>The network is as untrusted as a guest: a datagram too short, without the VNI flag, with
 * an unknown VNI (or the VNI of a tenant with no guest here), an inner frame shorter than an
 * Ethernet header or longer than the pool's maximum frame, is dropped and counted. No socket
 * error or exception of the socket leaves {@link #poll} or a send: the switch's round goes on.
 * The datagram is received into the switch's private memory, so every decision is on bytes
 * nobody else can change.
 */
public final class VxlanUplink implements AutoCloseable {
    static final int MAX_DATAGRAM = 65535;
    /** Learned MACs: at most this many in all, and a quarter of it in one tenant. */
    static final int MAX_LEARNED = 8192;
    /** The most one UDP_SEGMENT send carries: under an IPv4 datagram's 65,507-byte payload. */
    static final int MAX_BATCH_BYTES = 65_000;

    /** What the switch does with one decapsulated frame from {@code from}. */
    interface Receiver {
        void onFrame(int tenant, InetSocketAddress from, MemorySegment frame, long at, int length);
    }

    /** The configuration: local address and port, flood targets, tenant to VNI (empty: the VNI is the tenant). */
    public record Config(InetSocketAddress local, List<InetSocketAddress> remotes, Map<Integer, Integer> vniByTenant,
                         long agingNanos) {
        public Config {
            remotes = List.copyOf(remotes);
            vniByTenant = Map.copyOf(vniByTenant);
            for (final InetSocketAddress r : remotes) {
                if (r.getAddress().getClass() != local.getAddress().getClass()) {
                    throw new IllegalArgumentException("remote " + r + " is not of the local address's family (" + local + ")");
                }
            }
            final java.util.Set<Integer> vnis = new java.util.HashSet<>();
            for (final var e : vniByTenant.entrySet()) {
                if (e.getValue() < 0 || e.getValue() > Vxlan.MAX_VNI) {
                    throw new IllegalArgumentException("VNI " + e.getValue() + " out of range 0.." + Vxlan.MAX_VNI);
                }
                if (!vnis.add(e.getValue())) {
                    throw new IllegalArgumentException("VNI " + e.getValue() + " is given to two tenants");
                }
            }
        }
    }

    private final UdpSocket socket;
    private final InetSocketAddress[] remotes;
    private final Map<InetAddress, Integer> remotePorts = new HashMap<>();
    private final int defaultPort;
    private final Map<Integer, Integer> vniByTenant;
    private final Map<Integer, Integer> tenantByVni = new HashMap<>();
    private final MacTable<InetSocketAddress> macs;
    private final int maxFrame;
    private final MemorySegment rx = Arena.ofAuto().allocate(MAX_DATAGRAM, 8);
    private final MemorySegment tx;
    // The queued segments: datagrams of batchSize bytes (the last may be shorter) to one place.
    private final MemorySegment batch = Arena.ofAuto().allocate(MAX_BATCH_BYTES, 8);
    private int batchBytes;
    private int batchCount;
    private int batchSize;
    private InetSocketAddress batchTo; // null: flooded to every remote
    private boolean batchShort;
    private boolean segmentOffload = true;

    long datagramsIn;
    long framesIn;
    long framesOut;
    long dropsMalformed;
    long dropsTooBig;
    long dropsUnknownVni;
    long dropsSpoofed;
    long socketErrors;
    long sends; // system calls that sent (or tried to): for tests of the batching
    private long publishedSum = -1;
    private int publishedLearned = -1;

    private VxlanUplink(final UdpSocket socket, final Config config, final int maxFrame) {
        this.socket = socket;
        this.vniByTenant = config.vniByTenant();
        vniByTenant.forEach((tenant, vni) -> tenantByVni.put(vni, tenant));
        this.remotes = config.remotes().toArray(InetSocketAddress[]::new);
        for (final InetSocketAddress remote : remotes) {
            remotePorts.put(remote.getAddress(), remote.getPort());
        }
        this.defaultPort = config.local().getPort() == 0 ? Vxlan.DEFAULT_PORT : config.local().getPort();
        this.macs = new MacTable<>(config.agingNanos(), MAX_LEARNED, MAX_LEARNED / 4, System::nanoTime);
        this.maxFrame = maxFrame;
        this.tx = Arena.ofAuto().allocate(Vxlan.HEADER_LENGTH + maxFrame, 8);
    }

    /** Binds the uplink's socket; an address in use or not local gives an IOException with the reason. */
    public static VxlanUplink open(final Config config, final int maxFrame) throws IOException {
        final UdpSocket socket = UdpSocket.open(config.local(), 4 << 20);
        try {
            return new VxlanUplink(socket, config, maxFrame);
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The VNI that carries {@code tenant}, or -1 if the tenant has none (it stays local). */
    int vni(final int tenant) {
        if (vniByTenant.isEmpty()) {
            return tenant >= 0 && tenant <= Vxlan.MAX_VNI ? tenant : -1;
        }
        return vniByTenant.getOrDefault(tenant, -1);
    }

    private int tenant(final int vni) {
        return vniByTenant.isEmpty() ? vni : tenantByVni.getOrDefault(vni, -1);
    }

    /**
     * Takes up to {@code budget} datagrams from the socket and hands each well-formed frame of a
     * known VNI to {@code receiver}, from the switch's own receive buffer. Returns the datagrams taken.
     */
    int poll(final Receiver receiver, final int budget) {
        int n = 0;
        for (; n < budget; n++) {
            final int length;
            final InetSocketAddress from;
            try {
                length = socket.receive(rx, MAX_DATAGRAM);
                if (length < 0) {
                    break;
                }
                from = socket.source();
            } catch (IOException | RuntimeException e) {
                socketErrors++;
                continue;
            }
            datagramsIn++;
            final int vni = Vxlan.vni(rx, 0, length);
            final int frameLength = length - Vxlan.HEADER_LENGTH;
            if (vni < 0 || frameLength < EthernetFrame.HEADER_LENGTH || frameLength > maxFrame) {
                dropsMalformed++;
                continue;
            }
            final int tenant = tenant(vni);
            if (tenant < 0) {
                dropsUnknownVni++;
                continue;
            }
            framesIn++;
            receiver.onFrame(tenant, endpoint(from), rx, Vxlan.HEADER_LENGTH, frameLength);
        }
        return n;
    }

    /** Where replies to a packet from {@code source} go: its VXLAN port, not its (hashed) UDP source port. */
    private InetSocketAddress endpoint(final InetSocketAddress source) {
        final int port = remotePorts.getOrDefault(source.getAddress(), defaultPort);
        return source.getPort() == port ? source : new InetSocketAddress(source.getAddress(), port);
    }

    /** The endpoint {@code mac} of {@code tenant} was last seen behind, or null. */
    InetSocketAddress lookup(final int tenant, final long mac) {
        return macs.lookup(tenant, mac);
    }

    /** Called by the switch for a frame it accepted (never for one it dropped). */
    void learn(final int tenant, final long mac, final InetSocketAddress endpoint) {
        macs.learn(tenant, mac, endpoint);
    }

    /** The largest inner frame this uplink sends or takes. */
    int maxFrame() {
        return maxFrame;
    }

    /** Sends a tenant's frame to one endpoint. */
    void send(final int tenant, final InetSocketAddress endpoint, final MemorySegment frame, final long at, final int length) {
        final int vni = vni(tenant);
        if (vni < 0) {
            return;
        }
        final int datagram = encapsulate(vni, frame, at, length);
        transmit(endpoint, tx, 0, datagram);
    }

    /** True if {@code tenant}'s floods leave through the uplink: it has a VNI and there is a remote. */
    boolean floods(final int tenant) {
        return remotes.length > 0 && vni(tenant) >= 0;
    }

    /** Floods a tenant's frame to every configured remote. */
    void flood(final int tenant, final MemorySegment frame, final long at, final int length) {
        if (!floods(tenant)) {
            return;
        }
        final int datagram = encapsulate(vni(tenant), frame, at, length);
        for (final InetSocketAddress remote : remotes) {
            transmit(remote, tx, 0, datagram);
        }
    }

    /**
     * Queues one of a run of frames to one place ({@code to}, or flooded when null): the
     * segments of one super-frame, which {@link #flush} sends with as few system calls as the
     * kernel allows. A frame that cannot join the run (another place, a size that breaks the
     * rule "equal, the last may be shorter", a full batch) flushes the run first; the VNI may
     * differ, each datagram has its own header.
     */
    void queue(final int tenant, final InetSocketAddress to, final MemorySegment frame, final long at, final int length) {
        final int vni = vni(tenant);
        if (vni < 0) {
            return; // (a flood without remotes is queued and then sent to none)
        }
        final int datagram = Vxlan.HEADER_LENGTH + length;
        if (batchCount > 0 && (to != batchTo || datagram > batchSize || batchShort
                || batchCount == UdpSocket.MAX_SEGMENTS || batchBytes + datagram > MAX_BATCH_BYTES)) {
            flush();
        }
        if (datagram > MAX_BATCH_BYTES) {
            sendOrFlood(tenant, to, frame, at, length);
            return;
        }
        if (batchCount == 0) {
            batchSize = datagram;
            batchTo = to;
            batchShort = false;
        }
        Vxlan.writeHeader(batch, batchBytes, vni);
        MemorySegment.copy(frame, at, batch, batchBytes + Vxlan.HEADER_LENGTH, length);
        batchBytes += datagram;
        batchCount++;
        batchShort = datagram < batchSize;
    }

    private void sendOrFlood(final int tenant, final InetSocketAddress to, final MemorySegment frame, final long at, final int length) {
        if (to != null) {
            send(tenant, to, frame, at, length);
        } else {
            flood(tenant, frame, at, length);
        }
    }

    /** Sends what {@link #queue} holds. */
    void flush() {
        if (batchCount == 0) {
            return;
        }
        if (batchTo != null) {
            transmitBatch(batchTo);
        } else {
            for (final InetSocketAddress remote : remotes) {
                transmitBatch(remote);
            }
        }
        batchCount = 0;
        batchBytes = 0;
    }

    private void transmitBatch(final InetSocketAddress to) {
        if (batchCount > 1 && segmentOffload) {
            try {
                sends++;
                final int sent = socket.sendSegments(batch, 0, batchBytes, batchSize, to);
                if (sent > 0) {
                    framesOut += batchCount;
                    return;
                }
                if (sent == 0) {
                    socketErrors += batchCount; // socket buffer full: dropped, like a full ring
                    return;
                }
                segmentOffload = false; // refused: one by one, now and from now on
            } catch (IOException | RuntimeException e) {
                socketErrors += batchCount;
                return;
            }
        }
        for (int at = 0; at < batchBytes; at += batchSize) {
            transmit(to, batch, at, Math.min(batchSize, batchBytes - at));
        }
    }

    /** False once the kernel refused UDP_SEGMENT: the uplink then sends a super-frame's segments one by one. */
    boolean segmentOffload() {
        return segmentOffload;
    }

    /** For tests: as if the kernel had refused UDP_SEGMENT. */
    void segmentOffload(final boolean on) {
        segmentOffload = on;
    }

    private int encapsulate(final int vni, final MemorySegment frame, final long at, final int length) {
        Vxlan.writeHeader(tx, 0, vni);
        MemorySegment.copy(frame, at, tx, Vxlan.HEADER_LENGTH, length);
        return Vxlan.HEADER_LENGTH + length;
    }

    private void transmit(final InetSocketAddress to, final MemorySegment data, final long at, final int length) {
        try {
            sends++;
            if (socket.send(data, at, length, to) == 0) {
                socketErrors++; // socket buffer full: dropped, like a full ring
            } else {
                framesOut++;
            }
        } catch (IOException | RuntimeException e) {
            socketErrors++; // unreachable, unsupported address: counted, never the end of the round
        }
    }

    /** Ages out old entries if the last sweep is long enough ago (the switch asks on its discovery rounds). */
    void sweepIfDue() {
        macs.sweepIfDue();
    }

    void publishCountersIfChanged(final SwitchStatus status) {
        final long sum = datagramsIn + framesOut + socketErrors + dropsTooBig;
        final int learned = macs.size();
        if (sum != publishedSum || learned != publishedLearned) {
            publishedSum = sum;
            publishedLearned = learned;
            status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.FRAMES_IN, framesIn);
            status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.FRAMES_OUT, framesOut);
            status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_MALFORMED, dropsMalformed);
            status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_UNKNOWN_VNI, dropsUnknownVni);
            status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_SPOOFED, dropsSpoofed);
            status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.SOCKET_ERRORS, socketErrors);
            status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.LEARNED, learned);
            status.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_TOO_BIG, dropsTooBig);
        }
    }

    /** Every datagram taken from the socket, valid or not. */
    public long datagramsIn() {
        return datagramsIn;
    }

    public long framesIn() {
        return framesIn;
    }

    public long framesOut() {
        return framesOut;
    }

    public long dropsMalformed() {
        return dropsMalformed;
    }

    public long dropsUnknownVni() {
        return dropsUnknownVni;
    }

    public long dropsSpoofed() {
        return dropsSpoofed;
    }

    /** Offloaded records not sent: their UDP datagrams exceed this uplink's maximum frame. */
    public long dropsTooBig() {
        return dropsTooBig;
    }

    /** The switch could not cut an offloaded record into frames this uplink can carry. */
    void countTooBig() {
        dropsTooBig++;
    }

    /** Learned remote MACs now. */
    public int learned() {
        return macs.size();
    }

    public InetSocketAddress localAddress() throws IOException {
        return socket.localAddress();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
