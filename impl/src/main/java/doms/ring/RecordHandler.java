package doms.ring;

import java.lang.foreign.MemorySegment;

/**
 * Receives the records of one poll.
 *
 * <p>With {@link RingConsumer#poll} the view is the ring's shared memory itself (zero copy): it
 * is valid only inside this call, and a hostile producer may change it while it is being read.
 * With {@link RingConsumer#pollCopy} the payload was first copied into private memory, so the
 * handler may decide on it safely.
 */
@FunctionalInterface
public interface RecordHandler {
    void onRecord(int type, MemorySegment buffer, long offset, int length);
}
