package doms.net;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The virtio-net header (virtio 1.x, section 5.1.6; {@code struct virtio_net_hdr} in
 * linux/virtio_net.h) that a Linux TAP opened with {@code IFF_VNET_HDR} puts in front of every
 * frame it reads and expects in front of every frame written to it. It asks for two offloads:
 * checksum completion and segmentation of a super-frame (GSO) into wire-size frames.
 *
 * <pre>
 *   0        1          2                4                6                8                10
 *   +--------+----------+----------------+----------------+----------------+----------------+----------
 *   | flags  | gso_type | hdr_len (u16)  | gso_size (u16) | csum_start(u16)| csum_offset    | Ethernet frame
 *   +--------+----------+----------------+----------------+----------------+----------------+----------
 *   flags:    1 NEEDS_CSUM (complete the L4 checksum)  2 DATA_VALID (checksum already checked)  4 RSC_INFO
 *   gso_type: 0 NONE  1 TCPV4  3 UDP (UFO, not accepted)  4 TCPV6  5 UDP_L4 (USO);  | 0x80 ECN
 *   hdr_len:  the length of the headers (a hint from Linux: the skb's linear part)
 *   gso_size: the payload of each segment (the MSS for TCP, the datagram payload for UDP)
 *   csum_start, csum_offset: the checksum covers [csum_start, end) and goes at csum_start + csum_offset;
 *             both from the start of the Ethernet frame
 * </pre>
 *
 * <p>The u16 fields are little-endian: virtio 1.x says so, and the TAP uses it once
 * {@code TUNSETVNETLE} is set (it is the native order on x86-64 and AArch64 anyway).
 *
 * <p>The header is hostile input: {@link #validate} reads each field exactly once into a local,
 * checks every field against the frame it describes, reads nothing outside the frame and
 * answers with a verdict code (negative: the rule that failed), never an exception.
 * proofs-notes/offloads.md gives every rule and why.
 */
public final class VirtioNetHeader {
    public static final int LENGTH = 10;
    public static final long FLAGS_OFFSET = 0;
    public static final long GSO_TYPE_OFFSET = 1;
    public static final long HDR_LEN_OFFSET = 2;
    public static final long GSO_SIZE_OFFSET = 4;
    public static final long CSUM_START_OFFSET = 6;
    public static final long CSUM_OFFSET_OFFSET = 8;

    public static final int F_NEEDS_CSUM = 1;
    public static final int F_DATA_VALID = 2;
    public static final int F_RSC_INFO = 4;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    public static final int GSO_ECN = 0x80;

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int IPV4_MIN_HEADER = 20;
    public static final int IPV6_HEADER = 40;
    public static final int TCP_MIN_HEADER = 20;
    public static final int UDP_HEADER = 8;
    /** Where the checksum lies in the TCP header (RFC 793) and in the UDP header (RFC 768). */
    public static final int TCP_CHECKSUM_OFFSET = 16;
    public static final int UDP_CHECKSUM_OFFSET = 6;

    /** The largest IP datagram (a 16-bit total or payload length): a frame is at most this plus its Ethernet header. */
    public static final int MAX_IP_DATAGRAM = 65_535;
    /** Linux's TCP_MIN_SND_MSS: a smaller MSS only multiplies segments (CVE-2019-11479). */
    public static final int MIN_TCP_GSO_SIZE = 48;
    /** Linux's UDP_MAX_SEGMENTS: a UDP super-frame makes at most this many datagrams. */
    public static final int MAX_UDP_SEGMENTS = 128;

    /** Verdicts of {@link #validate}: {@link #VALID}, or the rule that failed (all negative). */
    public static final int VALID = 0;
    public static final int BAD_FRAME_LENGTH = -1;
    public static final int BAD_FLAGS = -2;
    public static final int BAD_GSO_TYPE = -3;
    public static final int BAD_NETWORK_HEADER = -4;
    public static final int BAD_TRANSPORT_HEADER = -5;
    public static final int BAD_HDR_LEN = -6;
    public static final int BAD_GSO_SIZE = -7;
    public static final int BAD_CSUM_START = -8;
    public static final int BAD_CSUM_OFFSET = -9;

    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private VirtioNetHeader() {
    }

    /** A verdict's name, for counters and logs. */
    public static String verdictName(final int verdict) {
        return switch (verdict) {
            case VALID -> "valid";
            case BAD_FRAME_LENGTH -> "frame length";
            case BAD_FLAGS -> "flags";
            case BAD_GSO_TYPE -> "gso_type";
            case BAD_NETWORK_HEADER -> "IP header";
            case BAD_TRANSPORT_HEADER -> "TCP/UDP header";
            case BAD_HDR_LEN -> "hdr_len";
            case BAD_GSO_SIZE -> "gso_size";
            case BAD_CSUM_START -> "csum_start";
            case BAD_CSUM_OFFSET -> "csum_offset";
            default -> "unknown verdict " + verdict;
        };
    }

    /** True when the header at {@code at} asks for nothing: no segmentation and no checksum to complete. */
    public static boolean isPlain(final MemorySegment header, final long at) {
        return header.get(ValueLayout.JAVA_BYTE, at + GSO_TYPE_OFFSET) == GSO_NONE
                && (header.get(ValueLayout.JAVA_BYTE, at + FLAGS_OFFSET) & F_NEEDS_CSUM) == 0;
    }

    /** Writes a header: for the TAP writer and for tests. */
    public static void write(final MemorySegment header, final long at, final int flags, final int gsoType, final int hdrLen,
                             final int gsoSize, final int csumStart, final int csumOffset) {
        header.set(ValueLayout.JAVA_BYTE, at + FLAGS_OFFSET, (byte) flags);
        header.set(ValueLayout.JAVA_BYTE, at + GSO_TYPE_OFFSET, (byte) gsoType);
        header.set(LE_SHORT, at + HDR_LEN_OFFSET, (short) hdrLen);
        header.set(LE_SHORT, at + GSO_SIZE_OFFSET, (short) gsoSize);
        header.set(LE_SHORT, at + CSUM_START_OFFSET, (short) csumStart);
        header.set(LE_SHORT, at + CSUM_OFFSET_OFFSET, (short) csumOffset);
    }

    /**
     * Checks the header at {@code headerAt} against the frame of {@code frameLength} bytes at
     * {@code frameAt}; on {@link #VALID} fills {@code layout}. Each header field is read once;
     * each frame byte it reads lies inside {@code [frameAt, frameAt + frameLength)}, and the
     * caller guarantees that range is inside {@code frame}.
     */
    public static int validate(final MemorySegment header, final long headerAt, final MemorySegment frame, final long frameAt,
                               final int frameLength, final FrameLayout layout) {
        final int flags = Byte.toUnsignedInt(header.get(ValueLayout.JAVA_BYTE, headerAt + FLAGS_OFFSET));
        final int gsoType = Byte.toUnsignedInt(header.get(ValueLayout.JAVA_BYTE, headerAt + GSO_TYPE_OFFSET));
        final int hdrLen = Short.toUnsignedInt(header.get(LE_SHORT, headerAt + HDR_LEN_OFFSET));
        final int gsoSize = Short.toUnsignedInt(header.get(LE_SHORT, headerAt + GSO_SIZE_OFFSET));
        final int csumStart = Short.toUnsignedInt(header.get(LE_SHORT, headerAt + CSUM_START_OFFSET));
        final int csumOffset = Short.toUnsignedInt(header.get(LE_SHORT, headerAt + CSUM_OFFSET_OFFSET));

        // Ethernet, untagged or with one 802.1Q tag; the IP datagram behind it at most 64 KiB.
        if (frameLength < EthernetFrame.HEADER_LENGTH) {
            return BAD_FRAME_LENGTH;
        }
        final boolean tagged = u16(frame, frameAt + 12) == EthernetFrame.TPID_8021Q;
        final int l3 = tagged ? EthernetFrame.TAGGED_HEADER_LENGTH : EthernetFrame.HEADER_LENGTH;
        if (frameLength < l3 || frameLength - l3 > MAX_IP_DATAGRAM) {
            return BAD_FRAME_LENGTH;
        }
        final boolean needsCsum = (flags & F_NEEDS_CSUM) != 0;
        // DATA_VALID and NEEDS_CSUM contradict each other; RSC_INFO and unknown bits are not for us.
        if ((flags & ~(F_NEEDS_CSUM | F_DATA_VALID)) != 0 || flags == (F_NEEDS_CSUM | F_DATA_VALID)) {
            return BAD_FLAGS;
        }
        final int gso = gsoType & ~GSO_ECN;
        final boolean ecn = (gsoType & GSO_ECN) != 0;
        final boolean tcpGso = gso == GSO_TCPV4 || gso == GSO_TCPV6;
        // ECN asks the segmenter to handle CWR: it means something for TCP only.
        if (!(gso == GSO_NONE || tcpGso || gso == GSO_UDP_L4) || ecn && !tcpGso) {
            return BAD_GSO_TYPE;
        }
        if (gso != GSO_NONE && !needsCsum) {
            return BAD_FLAGS; // segments need their checksums recomputed: GSO without NEEDS_CSUM is not a shape Linux makes
        }
        if (!needsCsum) {
            // Nothing to do for the switch: every offload field must be zero, as Linux writes them.
            if (hdrLen != 0) {
                return BAD_HDR_LEN;
            }
            if (gsoSize != 0) {
                return BAD_GSO_SIZE;
            }
            if (csumStart != 0) {
                return BAD_CSUM_START;
            }
            if (csumOffset != 0) {
                return BAD_CSUM_OFFSET;
            }
            layout.set(l3, 0, l3, 0, 0, GSO_NONE, 0, false);
            return VALID;
        }
        return validateOffload(frame, frameAt, frameLength, l3, u16(frame, frameAt + l3 - 2), gso, hdrLen, gsoSize,
                csumStart, csumOffset, layout);
    }

    /** The frame must be IPv4 or IPv6 with TCP or UDP right behind, matching the GSO type; then the offload fields. */
    private static int validateOffload(final MemorySegment frame, final long at, final int length, final int l3,
                                       final int etherType, final int gso, final int hdrLen, final int gsoSize,
                                       final int csumStart, final int csumOffset, final FrameLayout layout) {
        final int version;
        final int l4;
        final int protocol;
        if (etherType == ETHERTYPE_IPV4) {
            if (length - l3 < IPV4_MIN_HEADER) {
                return BAD_NETWORK_HEADER;
            }
            final int versionIhl = u8(frame, at + l3);
            final int ihl = (versionIhl & 0x0F) * 4;
            final int totalLength = u16(frame, at + l3 + 2);
            final int fragment = u16(frame, at + l3 + 6) & 0x3FFF; // MF and the fragment offset
            // No Ethernet padding, no fragment: the L4 header and all its bytes are in this frame.
            if (versionIhl >>> 4 != 4 || ihl < IPV4_MIN_HEADER || ihl > length - l3 || totalLength != length - l3 || fragment != 0) {
                return BAD_NETWORK_HEADER;
            }
            version = 4;
            l4 = l3 + ihl;
            protocol = u8(frame, at + l3 + 9);
        } else if (etherType == ETHERTYPE_IPV6) {
            if (length - l3 < IPV6_HEADER) {
                return BAD_NETWORK_HEADER;
            }
            final int versionByte = u8(frame, at + l3);
            final int payloadLength = u16(frame, at + l3 + 4);
            if (versionByte >>> 4 != 6 || payloadLength != length - l3 - IPV6_HEADER) {
                return BAD_NETWORK_HEADER;
            }
            version = 6;
            l4 = l3 + IPV6_HEADER;
            protocol = u8(frame, at + l3 + 6); // extension headers are not accepted: TCP or UDP must follow
        } else {
            return BAD_NETWORK_HEADER;
        }
        final boolean tcp = protocol == IPPROTO_TCP;
        if (!tcp && protocol != IPPROTO_UDP) {
            return BAD_TRANSPORT_HEADER;
        }
        if (gso == GSO_TCPV4 && (version != 4 || !tcp) || gso == GSO_TCPV6 && (version != 6 || !tcp)
                || gso == GSO_UDP_L4 && tcp) {
            return BAD_GSO_TYPE;
        }
        final int payloadOffset;
        if (tcp) {
            if (length - l4 < TCP_MIN_HEADER) {
                return BAD_TRANSPORT_HEADER;
            }
            final int dataOffset = (u8(frame, at + l4 + 12) >>> 4) * 4;
            if (dataOffset < TCP_MIN_HEADER || dataOffset > length - l4) {
                return BAD_TRANSPORT_HEADER;
            }
            payloadOffset = l4 + dataOffset;
        } else {
            if (length - l4 < UDP_HEADER || u16(frame, at + l4 + 4) != length - l4) {
                return BAD_TRANSPORT_HEADER;
            }
            payloadOffset = l4 + UDP_HEADER;
        }
        final int payload = length - payloadOffset;
        // hdr_len is only a hint (the segmenter uses its own parse), but it must cover the headers and stay in the frame.
        if (gso == GSO_NONE ? hdrLen != 0 : hdrLen < payloadOffset || hdrLen > length) {
            return BAD_HDR_LEN;
        }
        final boolean sizeOk = switch (gso) {
            case GSO_NONE -> gsoSize == 0;
            case GSO_UDP_L4 -> gsoSize > 0 && payload > 0 && (payload + gsoSize - 1) / gsoSize <= MAX_UDP_SEGMENTS;
            default -> gsoSize >= MIN_TCP_GSO_SIZE && payload > 0;
        };
        if (!sizeOk) {
            return BAD_GSO_SIZE;
        }
        if (csumStart != l4) {
            return BAD_CSUM_START;
        }
        if (csumOffset != (tcp ? TCP_CHECKSUM_OFFSET : UDP_CHECKSUM_OFFSET)) {
            return BAD_CSUM_OFFSET;
        }
        layout.set(l3, l4, payloadOffset, version, protocol, gso, gsoSize, true);
        return VALID;
    }

    private static int u8(final MemorySegment s, final long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at));
    }

    private static int u16(final MemorySegment s, final long at) {
        return Short.toUnsignedInt(s.get(BE_SHORT, at));
    }
}
