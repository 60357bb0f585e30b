package doms.guest;

import doms.net.EthernetFrame;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The frames demo guests send each other: Ethernet II with a local experimental ethertype, a
 * kind, a sequence number, and filler bytes derived from the sequence number so that a
 * receiver can tell a corrupted frame.
 *
 * <pre>
 *   0        6        12     14     15            23
 *   | dst    | src    | 88B5 | kind | seq (u64 LE) | filler: (seq * 31 + i) &amp; 0xFF ... |
 * </pre>
 */
public final class DemoFrame {
    public static final int ETHER_TYPE = 0x88B5;
    public static final int MIN_LENGTH = 23;
    public static final byte DATA = 1;
    public static final byte END = 2;
    public static final byte FLOOD = 3;
    public static final byte FORGED = 4;

    private static final long KIND = 14;
    private static final long SEQ = 15;

    private DemoFrame() {
    }

    public static void write(final MemorySegment frame, final long dst, final long src, final byte kind, final long seq, final int length) {
        EthernetFrame.writeHeader(frame, 0, dst, src, ETHER_TYPE);
        frame.set(ValueLayout.JAVA_BYTE, KIND, kind);
        frame.set(ValueLayout.JAVA_LONG_UNALIGNED, SEQ, seq);
        for (int i = MIN_LENGTH; i < length; i++) {
            frame.set(ValueLayout.JAVA_BYTE, i, (byte) (seq * 31 + i));
        }
    }

    /** The kind of a received demo frame, or 0 when it is not one. */
    public static byte kind(final MemorySegment frame, final long at, final int length) {
        if (length < MIN_LENGTH || EthernetFrame.etherType(frame, at) != ETHER_TYPE) {
            return 0;
        }
        return frame.get(ValueLayout.JAVA_BYTE, at + KIND);
    }

    public static long seq(final MemorySegment frame, final long at) {
        return frame.get(ValueLayout.JAVA_LONG_UNALIGNED, at + SEQ);
    }

    /** True when the filler matches the sequence number. */
    public static boolean intact(final MemorySegment frame, final long at, final int length) {
        final long seq = seq(frame, at);
        for (int i = MIN_LENGTH; i < length; i++) {
            if (frame.get(ValueLayout.JAVA_BYTE, at + i) != (byte) (seq * 31 + i)) {
                return false;
            }
        }
        return true;
    }
}
