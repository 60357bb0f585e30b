package doms.sw;

import doms.net.Vxlan;
import doms.pool.SwitchStatus;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The switch's uplink port (the paper's physical NIC): Ethernet frames of each tenant carried
 * in VXLAN over UDP (RFC 7348) to other hosts, one VNI per tenant. A non-blocking socket the
 * switch polls in its round like any ring, so the switch still never blocks or sleeps on it.
 *
 * <p>Remote tunnel endpoints are numbered: first the configured remotes (where flooded frames
 * go: head-end replication, as a Linux vxlan device with a {@code remote} does), then any other
 * endpoint a valid packet came from. Remote MACs are learned per tenant with aging
 * ({@link MacTable}); a frame to a learned MAC goes to its endpoint alone.
 *
 * <p>The network is as untrusted as a guest: a datagram too short, without the VNI flag, with
 * an unknown VNI, an inner frame shorter than an Ethernet header or longer than the pool's
 * maximum frame, is dropped and counted. The datagram is received into the switch's private
 * memory, so every decision is on bytes nobody else can change.
 */
public final class VxlanUplink implements AutoCloseable {
    /** Most remote endpoints remembered; packets from further sources are still forwarded, not learned. */
    static final int MAX_ENDPOINTS = 1024;
    static final int MAX_DATAGRAM = 65535;

    /** What the switch does with one decapsulated frame. */
    interface Receiver {
        void onFrame(int tenant, int endpoint, MemorySegment frame, long at, int length);
    }

    /** The configuration: local address and port, flood targets, tenant to VNI (empty: the VNI is the tenant). */
    public record Config(InetSocketAddress local, List<InetSocketAddress> remotes, Map<Integer, Integer> vniByTenant,
                         long agingNanos) {
    }

    private final DatagramChannel channel;
    private final List<InetSocketAddress> endpoints = new ArrayList<>();
    private final Map<InetAddress, Integer> endpointByAddress = new HashMap<>();
    private final int floodTargets;
    private final int defaultPort;
    private final Map<Integer, Integer> vniByTenant;
    private final Map<Integer, Integer> tenantByVni = new HashMap<>();
    private final MacTable macs;
    private final int maxFrame;
    private final ByteBuffer rx = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final MemorySegment rxSegment = MemorySegment.ofBuffer(rx);
    private final ByteBuffer tx;
    private final MemorySegment txSegment;

    long datagramsIn;
    long framesIn;
    long framesOut;
    long dropsMalformed;
    long dropsUnknownVni;
    long dropsSpoofed;
    long sendErrors;
    private long publishedSum = -1;

    private VxlanUplink(final DatagramChannel channel, final Config config, final int maxFrame) {
        this.channel = channel;
        this.vniByTenant = Map.copyOf(config.vniByTenant());
        for (final var e : vniByTenant.entrySet()) {
            if (e.getValue() < 0 || e.getValue() > Vxlan.MAX_VNI) {
                throw new IllegalArgumentException("VNI " + e.getValue() + " out of range 0.." + Vxlan.MAX_VNI);
            }
            if (tenantByVni.put(e.getValue(), e.getKey()) != null) {
                throw new IllegalArgumentException("VNI " + e.getValue() + " is given to two tenants");
            }
        }
        for (final InetSocketAddress remote : config.remotes()) {
            endpoint(remote);
        }
        this.floodTargets = endpoints.size();
        this.defaultPort = config.local().getPort() == 0 ? Vxlan.DEFAULT_PORT : config.local().getPort();
        this.macs = new MacTable(config.agingNanos(), 4096, System::nanoTime);
        this.maxFrame = maxFrame;
        this.tx = ByteBuffer.allocateDirect(Vxlan.HEADER_LENGTH + maxFrame);
        this.txSegment = MemorySegment.ofBuffer(tx);
    }

    /** Binds the uplink's socket; an address in use or not local gives an IOException with the reason. */
    public static VxlanUplink open(final Config config, final int maxFrame) throws IOException {
        final DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.bind(config.local());
            channel.configureBlocking(false);
            return new VxlanUplink(channel, config, maxFrame);
        } catch (IOException | RuntimeException e) {
            channel.close();
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

    private int endpoint(final InetSocketAddress address) {
        final Integer known = endpointByAddress.get(address.getAddress());
        if (known != null) {
            return known;
        }
        if (endpoints.size() >= MAX_ENDPOINTS) {
            return MacTable.UNKNOWN;
        }
        endpoints.add(address);
        endpointByAddress.put(address.getAddress(), endpoints.size() - 1);
        return endpoints.size() - 1;
    }

    /**
     * Takes up to {@code budget} datagrams from the socket and hands each valid frame to
     * {@code receiver}, from the switch's own receive buffer. Returns the datagrams taken.
     */
    int poll(final Receiver receiver, final int budget) {
        int n = 0;
        for (; n < budget; n++) {
            rx.clear();
            final SocketAddress from;
            try {
                from = channel.receive(rx);
            } catch (IOException e) {
                // e.g. ICMP port unreachable reported on the socket: count it, keep polling.
                sendErrors++;
                continue;
            }
            if (from == null) {
                break;
            }
            datagramsIn++;
            final int length = rx.position();
            final int vni = Vxlan.vni(rxSegment, 0, length);
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
            final InetSocketAddress source = (InetSocketAddress) from;
            // Replies go to the sender's VXLAN port, not to its (hashed) UDP source port.
            final int endpoint = endpoint(new InetSocketAddress(source.getAddress(), portFor(source.getAddress())));
            receiver.onFrame(tenant, endpoint, rxSegment, Vxlan.HEADER_LENGTH, frameLength);
        }
        return n;
    }

    private int portFor(final InetAddress address) {
        final Integer known = endpointByAddress.get(address);
        return known == null ? defaultPort : endpoints.get(known).getPort();
    }

    /** The endpoint {@code mac} of {@code tenant} was last seen behind, or {@link MacTable#UNKNOWN}. */
    int lookup(final int tenant, final long mac) {
        return macs.lookup(tenant, mac);
    }

    void learn(final int tenant, final long mac, final int endpoint) {
        if (endpoint != MacTable.UNKNOWN) {
            macs.learn(tenant, mac, endpoint);
        }
    }

    /** Sends a tenant's frame to one endpoint. */
    void send(final int tenant, final int endpoint, final MemorySegment frame, final long at, final int length) {
        final int vni = vni(tenant);
        if (vni < 0) {
            return;
        }
        encapsulate(vni, frame, at, length);
        transmit(endpoints.get(endpoint));
    }

    /** Floods a tenant's frame to every configured remote. */
    void flood(final int tenant, final MemorySegment frame, final long at, final int length) {
        final int vni = vni(tenant);
        if (vni < 0 || floodTargets == 0) {
            return;
        }
        encapsulate(vni, frame, at, length);
        for (int i = 0; i < floodTargets; i++) {
            transmit(endpoints.get(i));
        }
    }

    private void encapsulate(final int vni, final MemorySegment frame, final long at, final int length) {
        Vxlan.writeHeader(txSegment, 0, vni);
        MemorySegment.copy(frame, at, txSegment, Vxlan.HEADER_LENGTH, length);
        tx.limit(Vxlan.HEADER_LENGTH + length);
    }

    private void transmit(final InetSocketAddress to) {
        tx.position(0);
        try {
            if (channel.send(tx, to) == 0) {
                sendErrors++; // socket buffer full: dropped, like a full ring
            } else {
                framesOut++;
            }
        } catch (IOException e) {
            sendErrors++;
        }
    }

    /** Ages out old entries (the switch calls this on its discovery rounds). */
    void sweep() {
        macs.sweep();
    }

    MacTable macs() {
        return macs;
    }

    void publishCountersIfChanged(final SwitchStatus status) {
        final long sum = framesIn + framesOut + dropsMalformed + dropsUnknownVni + dropsSpoofed + sendErrors + macs.size();
        if (sum != publishedSum) {
            publishedSum = sum;
            status.uplinkCounter(SwitchStatus.UPLINK_FRAMES_IN, framesIn);
            status.uplinkCounter(SwitchStatus.UPLINK_FRAMES_OUT, framesOut);
            status.uplinkCounter(SwitchStatus.UPLINK_DROPS_MALFORMED, dropsMalformed);
            status.uplinkCounter(SwitchStatus.UPLINK_DROPS_UNKNOWN_VNI, dropsUnknownVni);
            status.uplinkCounter(SwitchStatus.UPLINK_DROPS_SPOOFED, dropsSpoofed);
            status.uplinkCounter(SwitchStatus.UPLINK_SEND_ERRORS, sendErrors);
            status.uplinkCounter(SwitchStatus.UPLINK_LEARNED, macs.size());
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

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
