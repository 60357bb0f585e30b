package doms.fuzz;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.pholser.junit.quickcheck.From;
import doms.net.FrameLayout;
import doms.net.Segmenter;
import doms.net.VirtioNetHeader;
import edu.berkeley.cs.jqf.fuzz.Fuzz;
import edu.berkeley.cs.jqf.fuzz.JQF;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.runner.RunWith;

/**
 * A hostile virtio-net header and frame (what a TAP with offloads, or a guest, hands the switch)
 * against {@link VirtioNetHeader#validate} and the {@link Segmenter}.
 *
 * <p>Input: one byte choosing the wire frame size, the frame's length (three bytes, big-endian),
 * the ten header bytes, then the frame.
 * Oracles: nothing throws; header and frame sit in read-only segments of exactly their size
 * and the wire buffer is exactly the wire frame size, so a read or write outside them fails the
 * input; the verdict agrees with {@link VnetReference} (and so does the layout); a valid
 * super-frame becomes segments of at most the wire frame size whose IPv4 header and TCP/UDP
 * checksums verify and whose payloads put together are the super-frame's payload; a valid
 * NEEDS_CSUM frame gets a checksum that verifies and no other byte changed.
 */
@RunWith(JQF.class)
public class VnetHeaderFuzz {
    /** Wire frame sizes: Ethernet 1500, 1500 with a VLAN tag, jumbo, IPv4's minimum 576 and a tiny one. */
    static final int[] WIRE_FRAMES = {1514, 1518, 9018, 590, 100};
    /** Frames up to one byte beyond the largest accepted (64 KiB of IP behind a tagged Ethernet header). */
    static final int MAX_FRAME_INPUT = VirtioNetHeader.MAX_IP_DATAGRAM + 18 + 1;
    /** Wire selector, frame length (u24), header. */
    static final int PREFIX = 1 + 3 + VirtioNetHeader.LENGTH;

    /**
     * The frame's length is in the input rather than "up to the end", so that a mutation that
     * appends bytes does not change the frame: a child keeps its parent's shape.
     */
    private static final Outcomes OUTCOMES = new Outcomes(verdicts());

    /** Every verdict of the header's validation, by name, and what a valid header asks for. */
    private static List<String> verdicts() {
        final List<String> names = new ArrayList<>();
        for (int v = VirtioNetHeader.VALID; !VirtioNetHeader.verdictName(v).startsWith("unknown"); v--) {
            names.add(VirtioNetHeader.verdictName(v));
        }
        names.addAll(List.of("valid: checksum to complete", "valid: segmented", "valid: too big to segment"));
        return names;
    }

    /** Each outcome the target can name, with how often its campaign reached it (read by the campaign at its end). */
    public static Map<String, Long> outcomes(final String target) {
        return OUTCOMES.counts();
    }

    @Fuzz
    public void vnet(@From(RawInput.class) final InputStream in) throws IOException {
        final byte[] prefix = in.readNBytes(PREFIX);
        if (prefix.length < PREFIX) {
            return;
        }
        final int maxFrame = WIRE_FRAMES[(prefix[0] & 0xFF) % WIRE_FRAMES.length];
        final int declared = ((prefix[1] & 0xFF) << 16 | (prefix[2] & 0xFF) << 8 | prefix[3] & 0xFF) % (MAX_FRAME_INPUT + 1);
        check(maxFrame, Arrays.copyOfRange(prefix, 4, PREFIX), in.readNBytes(declared)); // up to the input's end
    }

    static void check(final int maxFrame, final byte[] header, final byte[] frame) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment h = exact(arena, header).asReadOnly();
            final MemorySegment f = exact(arena, frame).asReadOnly();
            final FrameLayout layout = new FrameLayout();
            final int verdict = VirtioNetHeader.validate(h, 0, f, 0, frame.length, layout);
            final VnetReference.Verdict reference = VnetReference.judge(header, frame);
            OUTCOMES.reached(VirtioNetHeader.verdictName(verdict));
            assertEquals("verdict " + VirtioNetHeader.verdictName(verdict) + " against the reference", reference.accepted(), verdict == VirtioNetHeader.VALID);
            if (verdict != VirtioNetHeader.VALID) {
                assertTrue("a verdict is VALID or a named rule", verdict < 0 && !VirtioNetHeader.verdictName(verdict).startsWith("unknown"));
                return;
            }
            if (!layout.needsChecksum()) {
                return;
            }
            assertEquals("L4 offset", reference.frame().l4(), layout.l4Offset());
            assertEquals("payload offset", reference.frame().payloadOffset(), layout.payloadOffset());
            if (layout.isGso()) {
                segments(arena, f, frame, layout, maxFrame);
            } else {
                OUTCOMES.reached("valid: checksum to complete");
                final MemorySegment copy = exact(arena, frame);
                assertEquals(0, Segmenter.completeChecksum(copy, 0, frame.length, layout));
                final byte[] done = copy.toArray(ValueLayout.JAVA_BYTE);
                assertEquals("completed checksum verifies", 0xFFFF, l4Sum(done, layout.ipVersion(), layout.l3Offset(), layout.l4Offset(), layout.protocol()));
                final int field = layout.l4Offset() + (layout.protocol() == 6 ? 16 : 6);
                done[field] = frame[field];
                done[field + 1] = frame[field + 1];
                assertArrayEquals("only the checksum changed", frame, done);
            }
        }
    }

    private static void segments(final Arena arena, final MemorySegment f, final byte[] frame, final FrameLayout layout, final int maxFrame) {
        final MemorySegment wire = arena.allocate(maxFrame);
        final int headers = layout.payloadOffset();
        final boolean tcp = layout.protocol() == 6;
        final int payload = frame.length - headers;
        final int mss = tcp ? Math.min(layout.gsoSize(), maxFrame - headers) : layout.gsoSize();
        final boolean fits = mss >= 1 && headers + mss <= maxFrame;
        final ByteArrayOutputStream reassembled = new ByteArrayOutputStream();
        final int[] seen = {0};
        final int n = Segmenter.segment(f, 0, frame.length, layout, maxFrame, wire, (w, length) -> {
            assertTrue("segment of " + length + " bytes within the wire frame " + maxFrame, length > headers && length <= maxFrame);
            final byte[] s = w.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
            assertArrayEquals("Ethernet header", Arrays.copyOf(frame, layout.l3Offset()), Arrays.copyOf(s, layout.l3Offset()));
            if (layout.ipVersion() == 4) {
                final int l3 = layout.l3Offset();
                assertEquals("IPv4 header checksum", 0xFFFF, fold(sum(s, l3, layout.l4Offset())));
                assertEquals("IPv4 total length", length - l3, VnetReference.be16(s, l3 + 2));
            } else {
                assertEquals("IPv6 payload length", length - layout.l4Offset(), VnetReference.be16(s, layout.l3Offset() + 4));
            }
            assertEquals("L4 checksum", 0xFFFF, l4Sum(s, layout.ipVersion(), layout.l3Offset(), layout.l4Offset(), layout.protocol()));
            if (tcp) {
                final long sequence = (VnetReference.be16(frame, layout.l4Offset() + 4) * 65_536L + VnetReference.be16(frame, layout.l4Offset() + 6)
                        + (long) seen[0] * mss) & 0xFFFF_FFFFL;
                assertEquals("sequence number", sequence, VnetReference.be16(s, layout.l4Offset() + 4) * 65_536L + VnetReference.be16(s, layout.l4Offset() + 6));
            }
            reassembled.write(s, headers, length - headers);
            seen[0]++;
        });
        OUTCOMES.reached(fits ? "valid: segmented" : "valid: too big to segment");
        if (!fits) {
            assertEquals("refused as too big", Segmenter.TOO_BIG, n);
            assertEquals("no segment before refusing", 0, seen[0]);
            return;
        }
        assertEquals("segments made", (payload + mss - 1) / mss, n);
        assertEquals("segments handed on", n, seen[0]);
        assertArrayEquals("payloads put together", Arrays.copyOfRange(frame, headers, frame.length), reassembled.toByteArray());
    }

    private static MemorySegment exact(final Arena arena, final byte[] bytes) {
        final MemorySegment s = arena.allocate(Math.max(1, bytes.length)).asSlice(0, bytes.length);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, s, 0, bytes.length);
        return s;
    }

    static long sum(final byte[] b, final int from, final int to) {
        long s = 0;
        for (int i = from; i < to; i += 2) {
            s += (b[i] & 0xFF) * 256 + (i + 1 < to ? b[i + 1] & 0xFF : 0);
        }
        return s;
    }

    static int fold(final long sum) {
        long s = sum;
        while (s > 0xFFFF) {
            s = (s >> 16) + (s & 0xFFFF);
        }
        return (int) s;
    }

    /** Pseudo-header (RFC 793, 768, 8200) plus the L4 bytes: 0xFFFF when the checksum is right. */
    static int l4Sum(final byte[] s, final int ipVersion, final int l3, final int l4, final int protocol) {
        final long addresses = ipVersion == 6 ? sum(s, l3 + 8, l3 + 40) : sum(s, l3 + 12, l3 + 20);
        return fold(addresses + protocol + (s.length - l4) + sum(s, l4, s.length));
    }
}
