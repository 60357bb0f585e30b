package doms.net;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Software offloads for a frame whose virtio-net header {@link VirtioNetHeader#validate validated}:
 * segmentation of a GSO super-frame (TCP over IPv4 or IPv6, UDP_L4) into wire-size frames, and
 * completion of the L4 checksum of a single NEEDS_CSUM frame.
 *
 * <p>Each segment repeats the super-frame's headers, then carries the next {@code gso_size}
 * bytes of payload (TCP: fewer when the wire frame is smaller). Per segment: IPv4 total length,
 * an IP ID one more than the previous segment's and a fresh header checksum; IPv6 payload
 * length; TCP sequence number advanced by the payload before it, CWR only on the first segment,
 * FIN and PSH only on the last (RFC 793, as Linux's tcp_gso_segment); UDP length; and the full
 * TCP or UDP checksum over the pseudo-header (RFC 793 section 3.1, RFC 768, RFC 8200 section 8.1),
 * computed from scratch: the partial sum a sender may have left in the field is never trusted.
 *
 * <p>Segments are built one at a time in a buffer the caller provides and handed to a
 * {@link Sink}; nothing is allocated. Every offset and length comes from the {@link FrameLayout}
 * and the frame's length, so a frame rewritten after validation yields wrong bytes at worst,
 * never a read or write out of bounds. The super-frame is only read.
 */
public final class Segmenter {
    /** The caller's wire frame cannot hold a segment (a UDP datagram is never cut smaller than gso_size). */
    public static final int TOO_BIG = -1;
    /** {@link #segment} was given a frame without GSO, or {@link #completeChecksum} one without NEEDS_CSUM. */
    public static final int NOT_OFFLOADED = -2;

    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;

    /** Takes one finished segment: {@code length} bytes at the start of {@code wire}, valid until the call returns. */
    @FunctionalInterface
    public interface Sink {
        void segment(MemorySegment wire, int length);
    }

    private Segmenter() {
    }

    /**
     * Cuts the super-frame of {@code length} bytes at {@code at} into segments of at most
     * {@code maxFrame} bytes, built in turn at the start of {@code wire} (at least
     * {@code maxFrame} bytes) and given to {@code sink}. Returns how many, or {@link #TOO_BIG} /
     * {@link #NOT_OFFLOADED} before any segment is made.
     */
    public static int segment(final MemorySegment frame, final long at, final int length, final FrameLayout layout,
                              final int maxFrame, final MemorySegment wire, final Sink sink) {
        if (!layout.isGso()) {
            return NOT_OFFLOADED;
        }
        if (wire.byteSize() < maxFrame) {
            throw new IllegalArgumentException("wire buffer of " + wire.byteSize() + " bytes is smaller than " + maxFrame);
        }
        final int headers = layout.payloadOffset;
        final int l3 = layout.l3Offset;
        final int l4 = layout.l4Offset;
        final boolean tcp = layout.protocol == VirtioNetHeader.IPPROTO_TCP;
        final boolean v4 = layout.ipVersion == 4;
        final int room = maxFrame - headers;
        // TCP may be cut finer than the sender's MSS; a UDP datagram is a message and may not.
        final int mss = tcp ? Math.min(layout.gsoSize, room) : layout.gsoSize;
        if (mss < 1 || mss > room) {
            return TOO_BIG;
        }
        final int payload = length - headers;
        MemorySegment.copy(frame, at, wire, 0, headers);
        final int ipId = v4 ? u16(wire, l3 + 4) : 0;
        final long sequence = tcp ? Integer.toUnsignedLong(wire.get(BE_INT, l4 + 4)) : 0;
        final int tcpFlags = tcp ? u8(wire, l4 + 13) : 0;
        int count = 0;
        for (int done = 0; done < payload; done += mss) {
            final int n = Math.min(mss, payload - done);
            final boolean last = done + n == payload;
            MemorySegment.copy(frame, at + headers + done, wire, headers, n);
            final int l4Length = headers - l4 + n;
            if (v4) {
                wire.set(BE_SHORT, l3 + 2, (short) (l4 - l3 + l4Length));
                wire.set(BE_SHORT, l3 + 4, (short) (ipId + count));
                ipv4HeaderChecksum(wire, l3, l4 - l3);
            } else {
                wire.set(BE_SHORT, l3 + 4, (short) l4Length);
            }
            if (tcp) {
                wire.set(BE_INT, l4 + 4, (int) (sequence + done));
                final int cleared = (count == 0 ? 0 : TCP_CWR) | (last ? 0 : TCP_FIN | TCP_PSH);
                wire.set(ValueLayout.JAVA_BYTE, l4 + 13, (byte) (tcpFlags & ~cleared));
            } else {
                wire.set(BE_SHORT, l4 + 4, (short) l4Length);
            }
            l4Checksum(wire, 0, layout, l4Length);
            sink.segment(wire, headers + n);
            count++;
        }
        return count;
    }

    /**
     * Turns a validated offloaded record (a virtio-net header, then the frame, {@code length}
     * bytes at {@code at}) into plain wire frames of at most {@code maxFrame} bytes, each built
     * at the start of {@code wire} and given to {@code sink}: the segments of a super-frame, or
     * the one frame with its checksum completed, or the frame as it is. The record is only
     * read. Returns how many frames, or {@link #TOO_BIG} before any.
     */
    public static int wireFrames(final MemorySegment record, final long at, final int length, final FrameLayout layout,
                                 final int maxFrame, final MemorySegment wire, final Sink sink) {
        final long frame = at + VirtioNetHeader.LENGTH;
        final int frameLength = length - VirtioNetHeader.LENGTH;
        if (layout.isGso()) {
            return segment(record, frame, frameLength, layout, maxFrame, wire, sink);
        }
        if (frameLength > maxFrame) {
            return TOO_BIG;
        }
        MemorySegment.copy(record, frame, wire, 0, frameLength);
        if (layout.needsChecksum()) {
            completeChecksum(wire, 0, frameLength, layout);
        }
        sink.segment(wire, frameLength);
        return 1;
    }

    /**
     * Completes the TCP or UDP checksum of a NEEDS_CSUM frame without GSO, in place (the frame
     * must be the caller's own copy). Returns 0, or {@link #NOT_OFFLOADED} for any other frame.
     */
    public static int completeChecksum(final MemorySegment frame, final long at, final int length, final FrameLayout layout) {
        if (!layout.needsChecksum() || layout.isGso()) {
            return NOT_OFFLOADED;
        }
        l4Checksum(frame, at, layout, length - layout.l4Offset);
        return 0;
    }

    /** Zeroes the IPv4 header checksum and stores the header's checksum (RFC 791). */
    private static void ipv4HeaderChecksum(final MemorySegment s, final int l3, final int headerLength) {
        s.set(BE_SHORT, l3 + 10, (short) 0);
        s.set(BE_SHORT, l3 + 10, (short) InternetChecksum.checksum(InternetChecksum.sum(s, l3, headerLength)));
    }

    /** Zeroes the L4 checksum, sums pseudo-header and segment, and stores it; UDP sends a computed 0 as 0xFFFF (RFC 768). */
    private static void l4Checksum(final MemorySegment s, final long base, final FrameLayout layout, final int l4Length) {
        final long l3 = base + layout.l3Offset;
        final long l4 = base + layout.l4Offset;
        final boolean tcp = layout.protocol == VirtioNetHeader.IPPROTO_TCP;
        final long field = l4 + (tcp ? VirtioNetHeader.TCP_CHECKSUM_OFFSET : VirtioNetHeader.UDP_CHECKSUM_OFFSET);
        s.set(BE_SHORT, field, (short) 0);
        // The pseudo-header: both addresses, the protocol and the L4 length (the IPv6 form's
        // 32-bit length and zero padding sum the same for lengths under 64 KiB).
        final long addresses = layout.ipVersion == 4 ? InternetChecksum.sum(s, l3 + 12, 8) : InternetChecksum.sum(s, l3 + 8, 32);
        final long sum = addresses + layout.protocol + l4Length + InternetChecksum.sum(s, l4, l4Length);
        final int checksum = InternetChecksum.checksum(sum);
        s.set(BE_SHORT, field, (short) (checksum == 0 && !tcp ? 0xFFFF : checksum));
    }

    private static int u8(final MemorySegment s, final long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at));
    }

    private static int u16(final MemorySegment s, final long at) {
        return Short.toUnsignedInt(s.get(BE_SHORT, at));
    }
}
