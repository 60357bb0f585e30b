package doms.net;

/**
 * Where the headers of a frame lie, as {@link VirtioNetHeader#validate} found them: offsets from
 * the start of the frame, and the offload the header asked for. Filled only when the verdict is
 * {@link VirtioNetHeader#VALID}; one instance per port, reused for every frame (no allocation).
 * The segmenter takes every length and offset from here, never from the frame again: a frame in
 * memory a peer can still write cannot move its own headers after validation (no double fetch).
 */
public final class FrameLayout {
    int l3Offset;
    int l4Offset;
    int payloadOffset;
    int ipVersion;
    int protocol;
    int gsoType;
    int gsoSize;
    boolean needsChecksum;

    /** The IP header's offset: 14, or 18 behind one 802.1Q tag. */
    public int l3Offset() {
        return l3Offset;
    }

    /** The TCP or UDP header's offset; 0 when the frame was not parsed past Ethernet. */
    public int l4Offset() {
        return l4Offset;
    }

    /** The first payload byte after the TCP or UDP header: the length of the headers every segment repeats. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** 4, 6, or 0 when the frame was not parsed past Ethernet (no offload asked for). */
    public int ipVersion() {
        return ipVersion;
    }

    /** {@link VirtioNetHeader#IPPROTO_TCP}, {@link VirtioNetHeader#IPPROTO_UDP}, or 0 when not parsed. */
    public int protocol() {
        return protocol;
    }

    /** The GSO type without the ECN bit: NONE, TCPV4, TCPV6 or UDP_L4. */
    public int gsoType() {
        return gsoType;
    }

    public int gsoSize() {
        return gsoSize;
    }

    /** The header asked for the L4 checksum to be completed (always so with GSO). */
    public boolean needsChecksum() {
        return needsChecksum;
    }

    public boolean isGso() {
        return gsoType != VirtioNetHeader.GSO_NONE;
    }

    void set(final int l3, final int l4, final int payload, final int version, final int proto,
             final int gso, final int size, final boolean csum) {
        l3Offset = l3;
        l4Offset = l4;
        payloadOffset = payload;
        ipVersion = version;
        protocol = proto;
        gsoType = gso;
        gsoSize = size;
        needsChecksum = csum;
    }

    @Override
    public String toString() {
        return "FrameLayout[l3=" + l3Offset + " l4=" + l4Offset + " payload=" + payloadOffset + " ipv" + ipVersion
                + " proto=" + protocol + " gso=" + gsoType + "/" + gsoSize + (needsChecksum ? " csum" : "") + "]";
    }
}
