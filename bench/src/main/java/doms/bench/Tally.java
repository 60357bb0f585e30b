package doms.bench;

import doms.ring.RecordHandler;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * What a ring consumer does with each record, the same for our ring and for Agrona's: read the
 * sequence number in the first 8 bytes (in place, as both rings deliver a view of the shared
 * memory), check it follows the previous one, count it; a record of the end type ends the trial.
 */
final class Tally implements RecordHandler, MessageHandler {
    static final int TYPE_DATA = 2;
    static final int TYPE_END = 3;

    long records;
    long bytes;
    long expected;
    long errors;
    boolean end;

    void reset() {
        records = 0;
        bytes = 0;
        expected = 0;
        errors = 0;
        end = false;
    }

    @Override
    public void onRecord(final int type, final MemorySegment buffer, final long offset, final int length) {
        if (type == TYPE_END) {
            end = true;
            return;
        }
        count(buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset), length);
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length) {
        if (msgTypeId == TYPE_END) {
            end = true;
            return;
        }
        count(buffer.getLong(index), length);
    }

    private void count(final long seq, final int length) {
        if (seq != expected) {
            errors++;
        }
        expected = seq + 1;
        records++;
        bytes += length;
    }
}
