package doms.ring;

import static doms.ring.RecordDescriptor.HEADER_LENGTH;
import static doms.ring.RecordDescriptor.TYPE_FIRST_USER;
import static doms.ring.RecordDescriptor.TYPE_PAD;
import static doms.ring.RingDescriptor.DATA_OFFSET;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The consumer end of a ring. One instance per ring, used by one thread.
 *
 * <p>Contract: the consumer position in shared memory is written only here, with a release
 * store at the end of a poll that consumed something, after every read of the records it
 * covers. Past what the cached producer position covers, a header is loaded with acquire and
 * its record taken only if the header is signalled ({@link RecordDescriptor#SIGNAL}) and the
 * record ends within one capacity of the cached producer position. The producer position is read
 * (acquire) at most once per poll, only when the cache says the ring is empty and the header at
 * the consumer position is not such a record, and is validated: aligned, not behind the cache, at
 * most one capacity ahead; a newer one is cached even when it is not past head, as it widens the
 * reach ({@link RingProducer#offer} stores it once per lap). Every record header is read once per decision and validated before
 * anything is delivered. Hostile content never makes a poll throw,
 * read outside the data area or do more than {@code 2 * capacity / 8} steps: it returns
 * {@link RingResult#CORRUPT_POSITION} or {@link RingResult#CORRUPT_RECORD}, and every later
 * poll returns the same.
 */
public final class RingConsumer {
    private final MemorySegment ring;
    private final long capacity;
    private final long mask;
    private final int maxPayload;

    private long head;         // own position, private: never read back from shared memory
    private long publishedHead; // what the last release store wrote
    private long tailCache;    // last validated producer position
    private int failure;    // sticky corruption result, 0 while healthy
    private final RingTrace trace; // null unless -Ddoms.trace (RingTrace.ON is a constant)
    private int traceLimit;        // the limit of the poll in progress, for its PollBegin event
    private long tracePeek;        // the header it peeked at, for the same event

    private long recordsPolled;
    private long bytesPolled;

    private RingConsumer(final MemorySegment ring, final RingDescriptor.Geometry geometry, final long head, final long tailCache) {
        this.ring = ring;
        this.capacity = geometry.capacity();
        this.mask = capacity - 1;
        this.maxPayload = geometry.maxPayload();
        this.head = head;
        this.publishedHead = head;
        this.tailCache = tailCache;
        this.trace = RingTrace.ON ? RingTrace.open("consumer", capacity, maxPayload, head, tailCache) : null;
    }

    /**
     * Attaches to an initialised ring, resuming from the consumer position found there (a
     * restarted consumer continues after what the last one published as consumed). It takes the
     * consumer position as the producer position too, which holds for a new ring and for one
     * whose records are unsignalled (the switch's RX rings); a consumer that may have taken
     * signalled records past the published producer position resumes with {@link #attachAt}.
     */
    public static RingConsumer attach(final MemorySegment ring) {
        return attach(ring, RingDescriptor.geometry(ring));
    }

    /** Attaches only if the header describes exactly this geometry (the switch's own configuration). */
    public static RingConsumer attach(final MemorySegment ring, final int pages, final int maxPayload) {
        return attach(ring, RingDescriptor.geometry(ring, pages, maxPayload));
    }

    private static RingConsumer attach(final MemorySegment ring, final RingDescriptor.Geometry geometry) {
        final long head = RingDescriptor.lvConsumerPosition(ring);
        if ((head & (RecordDescriptor.ALIGNMENT - 1)) != 0) {
            throw new RingFormatException("unaligned consumer position " + head);
        }
        return new RingConsumer(ring, geometry, head, head);
    }

    /**
     * Attaches at a consumer position the caller kept in memory only it writes (the switch's
     * status), never the one in the shared ring, which the peer can rewrite: a restarted switch
     * neither re-reads what its predecessor released nor skips what it did not. Its predecessor
     * may have taken signalled records past the producer position in the ring, which offer
     * stores once per lap: that position may lag head by up to a lap, and a cache at head would
     * take an honest producer's position for a corrupt one (spec/ring MCRingBug12).
     */
    public static RingConsumer attachAt(final MemorySegment ring, final int pages, final int maxPayload, final long head) {
        if (head < 0 || (head & (RecordDescriptor.ALIGNMENT - 1)) != 0) {
            throw new RingFormatException("bad resume position " + head);
        }
        // No producer position known yet: one capacity behind head, which every legal one is
        // at or past; the first poll loads it (Ring.tla's ConsumerRestart).
        final RingDescriptor.Geometry geometry = RingDescriptor.geometry(ring, pages, maxPayload);
        return new RingConsumer(ring, geometry, head, head - geometry.capacity());
    }

    /**
     * True when a consumer at {@code head} and a producer that has written up to {@code tail} are
     * a legal pair (the producer's check, and the attach's; a published position may lag head).
     */
    static boolean validSpan(final long head, final long tail, final long capacity) {
        final long span = tail - head;
        return span >= 0 && span <= capacity && ((head | tail) & (RecordDescriptor.ALIGNMENT - 1)) == 0;
    }

    /**
     * Delivers up to {@code limit} records as zero-copy views of the shared memory. Returns the
     * number delivered or a negative corruption result. 0 says nothing was delivered, which is
     * not always an empty ring: a poll that reaches the end of what it knew was published with
     * only the padding before the end of the data area consumes that and returns 0, and the
     * records after the wrap come with the next poll unless their headers are signalled (one poll
     * reads the producer position at most once, as the spec's PollBegin does). The ring was empty
     * when a poll returns 0 and {@link #position()} did not move.
     */
    public int poll(final RecordHandler handler, final int limit) {
        return read(handler, limit, null, true);
    }

    /**
     * Like {@link #poll} but copies each payload into {@code scratch} (private memory at least
     * {@link #maxPayload()} bytes long) before the handler sees it: what the handler decides on
     * can no longer be changed by the producer.
     */
    public int pollCopy(final RecordHandler handler, final int limit, final MemorySegment scratch) {
        checkScratch(scratch);
        return read(handler, limit, scratch, true);
    }

    /**
     * Like {@link #pollCopy} but leaves the consumed records unreleased until {@link #publish()}:
     * the switch releases a guest's records only after the frames made from them are published
     * to their destinations, so a crash in between duplicates frames and never loses one.
     */
    public int pollCopyDeferred(final RecordHandler handler, final int limit, final MemorySegment scratch) {
        checkScratch(scratch);
        return read(handler, limit, scratch, false);
    }

    /** Releases everything consumed so far to the producer (one release store, if anything moved). */
    public void publish() {
        final long head = this.head;
        if (head != publishedHead) {
            if (RingTrace.ON) {
                tracePublish(head);
            }
            RingDescriptor.soConsumerPosition(ring, head);
            publishedHead = head;
        }
    }

    // Out of line, as in RingProducer: the release ends Ring's poll (PollEnd), or, after a corrupt
    // record, is the release of what came before it (no Ring action: the port is quarantined).
    private void tracePublish(final long head) {
        if (failure == 0) {
            trace.pollEnd(head);
        } else {
            trace.quarantinedRelease(head);
        }
    }

    /**
     * Stores the consumer position even if this consumer thinks it is published: after
     * {@link #attachAt} a restarted consumer resumes from its own record of the position, which
     * the ring's word may lag (a crash between the two stores: spec/pool bug model
     * MCPoolBugNoRepublish), and the producer gets that space back only from this store.
     * Not traced: Ring.tla's Init already has the published head at the attach position.
     */
    public void republish() {
        final long head = this.head;
        RingDescriptor.soConsumerPosition(ring, head);
        publishedHead = head;
    }

    private void checkScratch(final MemorySegment scratch) {
        if (scratch.byteSize() < maxPayload) {
            throw new IllegalArgumentException("scratch of " + scratch.byteSize() + " bytes is smaller than max payload " + maxPayload);
        }
    }

    private int read(final RecordHandler handler, final int limit, final MemorySegment scratch, final boolean publish) {
        if (failure != 0) {
            return failure;
        }
        final MemorySegment ring = this.ring;
        final long capacity = this.capacity;
        final long mask = this.mask;
        long head = this.head;
        long tail = tailCache;
        if (tail - head <= 0) {
            // Nothing cached ahead: a signalled header at head is a record, without a second line.
            final long peek = RingDescriptor.lvHeader(ring, head & mask);
            if (!reachable(peek, head, tail)) {
                if (RingTrace.ON) {
                    traceLimit = limit;
                    tracePeek = peek;
                }
                final int refreshed = refreshProducerPosition();
                if (refreshed != RingResult.OK) {
                    return refreshed;
                }
                if (tailCache == tail) {
                    return 0; // nothing new: Ring's stuttering step
                }
                // Also behind head: a newer position widens what is reachable (offer stores it
                // once per lap), so the loop loads the header at head once more.
                tail = tailCache;
                if (RingTrace.ON) {
                    trace.pollBegin(head, true, tail, true, limit, peek);
                }
            } else if (RingTrace.ON) {
                trace.pollBegin(head, false, tail, true, limit, peek);
            }
        } else if (RingTrace.ON) {
            trace.pollBegin(head, false, tail, true, limit, 0);
        }
        int count = 0;
        int result = RingResult.OK;
        long bytes = 0;
        try {
            while (count < limit) {
                final long index = head & mask;
                final long contiguous = capacity - index;
                // Each header is read exactly once; only the local copies are used.
                final long header;
                final long available;
                if (tail - head > 0) {
                    header = ring.get(ValueLayout.JAVA_LONG, DATA_OFFSET + index);
                    available = tail - head;
                } else {
                    header = RingDescriptor.lvHeader(ring, index);
                    if (!reachable(header, head, tail)) {
                        break; // the producer position is loaded by the next poll
                    }
                    available = tail + capacity - head;
                }
                final int length = RecordDescriptor.length(header);
                final int type = RecordDescriptor.type(header);
                if (type == TYPE_PAD) {
                    if (length != contiguous - HEADER_LENGTH || contiguous > available) {
                        result = RingResult.CORRUPT_RECORD;
                        if (RingTrace.ON) {
                            trace.consumerRead(head, header, false, head);
                        }
                        break;
                    }
                    if (RingTrace.ON) {
                        trace.consumerRead(head, header, true, head + contiguous);
                    }
                    head += contiguous;
                    continue;
                }
                if (type < TYPE_FIRST_USER || length < 0 || length > maxPayload) {
                    result = RingResult.CORRUPT_RECORD;
                    if (RingTrace.ON) {
                        trace.consumerRead(head, header, false, head);
                    }
                    break;
                }
                final long size = RecordDescriptor.alignedLength(length);
                if (size > contiguous || size > available) {
                    result = RingResult.CORRUPT_RECORD;
                    if (RingTrace.ON) {
                        trace.consumerRead(head, header, false, head);
                    }
                    break;
                }
                final long payloadAt = DATA_OFFSET + index + HEADER_LENGTH;
                if (scratch == null) {
                    handler.onRecord(type, ring, payloadAt, length);
                } else {
                    MemorySegment.copy(ring, payloadAt, scratch, 0, length);
                    handler.onRecord(type, scratch, 0, length);
                }
                if (RingTrace.ON) {
                    trace.consumerRead(head, header, true, head + size);
                }
                head += size;
                bytes += length;
                count++;
            }
        } finally {
            // The private position keeps what was consumed, even if the handler threw or a record was
            // bad; it is released here, or later by the caller on the deferred path (pollCopyDeferred).
            if (RingTrace.ON && head == this.head && head == publishedHead && result == RingResult.OK) {
                trace.pollEnd(head); // a poll that took nothing (a hostile peer unsignalled the header): Ring's PollEnd
            }
            this.head = head;
            if (result != RingResult.OK) {
                failure = result;
            }
            if (publish) {
                publish();
            }
            recordsPolled += count;
            bytesPolled += bytes;
        }
        return result != RingResult.OK ? result : count;
    }

    /**
     * True when the header at {@code head} is signalled and its record ends within one capacity
     * of the cached producer position: an honest producer's always does once that position is
     * fresh (the next poll loads it when not), and a producer that stops publishing positions
     * can make this consumer take at most one capacity of records past the last one it published.
     */
    private boolean reachable(final long header, final long head, final long tail) {
        if (!RecordDescriptor.signalled(header)) {
            return false;
        }
        final long contiguous = capacity - (head & mask);
        final long span = RecordDescriptor.type(header) == TYPE_PAD ? contiguous : RecordDescriptor.alignedLength(RecordDescriptor.length(header));
        return span <= tail + capacity - head;
    }

    /**
     * Reads the producer position (acquire) and validates it: aligned, never behind what was
     * cached, at most one capacity ahead of head. Behind head is legal (this consumer took
     * signalled records the position does not cover yet): nothing to read, but the cache takes
     * it, as it extends what {@link #reachable} allows (offer stores the position once per lap).
     */
    private int refreshProducerPosition() {
        final long tail = RingDescriptor.lvProducerPosition(ring);
        if ((tail & (RecordDescriptor.ALIGNMENT - 1)) != 0 || tail - tailCache < 0 || tail - head > capacity) {
            if (RingTrace.ON) {
                trace.pollBegin(head, true, tail, false, traceLimit, tracePeek);
            }
            failure = RingResult.CORRUPT_POSITION;
            return failure;
        }
        tailCache = tail;
        return RingResult.OK;
    }

    public long capacity() {
        return capacity;
    }

    public int maxPayload() {
        return maxPayload;
    }

    /** The private consumer position (bytes consumed). */
    public long position() {
        return head;
    }

    public long recordsPolled() {
        return recordsPolled;
    }

    public long bytesPolled() {
        return bytesPolled;
    }

    /** 0 while healthy, else the corruption result that stopped this consumer. */
    public int failure() {
        return failure;
    }
}
