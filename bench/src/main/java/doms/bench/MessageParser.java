package doms.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Splits a byte stream (TCP or a Unix socket) back into the fixed-size messages the sender
 * wrote. Each message starts with its sequence number as a little-endian u64; -1 marks the end
 * of a trial. Counts messages, payload bytes and sequence gaps.
 */
public final class MessageParser {
    public static final long END = -1;

    private final int size;
    private int pos;        // bytes of the current message seen so far
    private long header;    // its first 8 bytes, little-endian
    private long expected;
    private long messages;
    private long bytes;
    private long errors;
    private boolean ended;

    public MessageParser(final int size) {
        if (size < 8) {
            throw new IllegalArgumentException("messages carry an 8-byte sequence number: size must be at least 8, got " + size);
        }
        this.size = size;
    }

    /** Takes the bytes {@code [from, to)} of {@code buffer} (absolute indices, position ignored). */
    public void accept(final ByteBuffer buffer, final int from, final int to) {
        int o = from;
        while (o < to) {
            if (pos < 8) {
                if (pos == 0 && to - o >= 8) {
                    header = buffer.order() == ByteOrder.LITTLE_ENDIAN ? buffer.getLong(o) : Long.reverseBytes(buffer.getLong(o));
                    o += 8;
                    pos = 8;
                } else {
                    header |= (buffer.get(o) & 0xFFL) << (8 * pos);
                    o++;
                    pos++;
                }
                if (pos < 8) {
                    continue;
                }
            }
            final int take = Math.min(size - pos, to - o);
            o += take;
            pos += take;
            if (pos == size) {
                message(header);
                pos = 0;
                header = 0;
            }
        }
    }

    private void message(final long seq) {
        if (seq == END) {
            ended = true;
            return;
        }
        if (seq != expected) {
            errors++;
        }
        expected = seq + 1;
        messages++;
        bytes += size;
    }

    public long messages() {
        return messages;
    }

    public long bytes() {
        return bytes;
    }

    public long errors() {
        return errors;
    }

    public boolean ended() {
        return ended;
    }

    /** True between messages (nothing of a next message seen yet). */
    public boolean atBoundary() {
        return pos == 0;
    }
}
