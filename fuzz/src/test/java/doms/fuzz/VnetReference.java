package doms.fuzz;

/**
 * The acceptance rule for a virtio-net header, written a second time for the fuzz oracle:
 * slow and plain, on byte arrays, in a different order from {@code VirtioNetHeader.validate}
 * (first describe the frame as it is, then hold each header field against that description)
 * and sharing no code with it. proofs-notes/offloads.md states the rule both implement.
 */
final class VnetReference {
    /** What the frame is, independent of the header. Offsets are -1 where the frame has no such header. */
    record Frame(int l3, int ipVersion, int l4, int protocol, int payloadOffset) {
        boolean isTcpOrUdpOverIp() {
            return payloadOffset >= 0;
        }
    }

    /** The reference verdict: accepted or not, and (when accepted with offloads) the headers' end. */
    record Verdict(boolean accepted, Frame frame) {
    }

    private VnetReference() {
    }

    static int be16(final byte[] b, final int at) {
        return (b[at] & 0xFF) * 256 + (b[at + 1] & 0xFF);
    }

    static int le16(final byte[] b, final int at) {
        return (b[at] & 0xFF) + (b[at + 1] & 0xFF) * 256;
    }

    /** Describes the frame: Ethernet (one optional 802.1Q tag), then IPv4 or IPv6, then TCP or UDP, every length exact. */
    static Frame describe(final byte[] f) {
        final Frame none = new Frame(-1, 0, -1, 0, -1);
        if (f.length < 14) {
            return none;
        }
        int l3 = 14;
        int etherType = be16(f, 12);
        if (etherType == 0x8100) {
            if (f.length < 18) {
                return none;
            }
            l3 = 18;
            etherType = be16(f, 16);
        }
        final Frame ethernetOnly = new Frame(l3, 0, -1, 0, -1);
        final int ipBytes = f.length - l3;
        int l4;
        int protocol;
        int version;
        if (etherType == 0x0800 && ipBytes >= 20) {
            final int ihl = (f[l3] & 0x0F) * 4;
            final boolean ok = (f[l3] & 0xF0) == 0x40 && ihl >= 20 && ihl <= ipBytes && be16(f, l3 + 2) == ipBytes
                    && (f[l3 + 6] & 0x20) == 0 && (be16(f, l3 + 6) & 0x1FFF) == 0;
            if (!ok) {
                return ethernetOnly;
            }
            version = 4;
            l4 = l3 + ihl;
            protocol = f[l3 + 9] & 0xFF;
        } else if (etherType == 0x86DD && ipBytes >= 40) {
            if ((f[l3] & 0xF0) != 0x60 || be16(f, l3 + 4) != ipBytes - 40) {
                return ethernetOnly;
            }
            version = 6;
            l4 = l3 + 40;
            protocol = f[l3 + 6] & 0xFF;
        } else {
            return ethernetOnly;
        }
        final int l4Bytes = f.length - l4;
        if (protocol == 6 && l4Bytes >= 20) {
            final int dataOffset = ((f[l4 + 12] & 0xF0) >> 4) * 4;
            if (dataOffset >= 20 && dataOffset <= l4Bytes) {
                return new Frame(l3, version, l4, 6, l4 + dataOffset);
            }
        }
        if (protocol == 17 && l4Bytes >= 8 && be16(f, l4 + 4) == l4Bytes) {
            return new Frame(l3, version, l4, 17, l4 + 8);
        }
        return new Frame(l3, version, l4, protocol, -1);
    }

    /** The header's ten bytes against the frame. */
    static Verdict judge(final byte[] h, final byte[] f) {
        final Frame d = describe(f);
        final int flags = h[0] & 0xFF;
        final int gsoType = h[1] & 0xFF;
        final int hdrLen = le16(h, 2);
        final int gsoSize = le16(h, 4);
        final int csumStart = le16(h, 6);
        final int csumOffset = le16(h, 8);
        final Verdict no = new Verdict(false, d);
        if (d.l3() < 0 || f.length - d.l3() > 65_535) {
            return no;
        }
        if (!(flags == 0 || flags == 1 || flags == 2)) {
            return no;
        }
        final boolean csum = flags == 1;
        if (!csum) {
            final boolean allZero = gsoType == 0 && hdrLen == 0 && gsoSize == 0 && csumStart == 0 && csumOffset == 0;
            return new Verdict(allZero, d);
        }
        if (!d.isTcpOrUdpOverIp()) {
            return no;
        }
        final boolean tcp = d.protocol() == 6;
        final int payload = f.length - d.payloadOffset();
        final boolean typeMatches = switch (gsoType) {
            case 0 -> true;
            case 1, 0x81 -> tcp && d.ipVersion() == 4;
            case 4, 0x84 -> tcp && d.ipVersion() == 6;
            case 5 -> !tcp;
            default -> false;
        };
        if (!typeMatches) {
            return no;
        }
        final boolean gsoFields;
        if (gsoType == 0) {
            gsoFields = hdrLen == 0 && gsoSize == 0;
        } else if (tcp) {
            gsoFields = hdrLen >= d.payloadOffset() && hdrLen <= f.length && gsoSize >= 48 && payload >= 1;
        } else {
            int datagrams = 0;
            for (int done = 0; gsoSize > 0 && done < payload; done += gsoSize) {
                datagrams++;
            }
            gsoFields = hdrLen >= d.payloadOffset() && hdrLen <= f.length && gsoSize >= 1 && payload >= 1 && datagrams <= 128;
        }
        final boolean csumFields = csumStart == d.l4() && csumOffset == (tcp ? 16 : 6);
        return new Verdict(gsoFields && csumFields, d);
    }
}
