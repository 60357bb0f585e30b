package doms.ring;

import static doms.ring.RecordDescriptor.HEADER_LENGTH;
import static doms.ring.RecordDescriptor.SIGNAL;
import static doms.ring.RecordDescriptor.TYPE_FIRST_USER;
import static doms.ring.RecordDescriptor.TYPE_LAST_USER;
import static doms.ring.RecordDescriptor.TYPE_PAD;
import static doms.ring.RingDescriptor.DATA_OFFSET;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The producer end of a ring. One instance per ring, used by one thread.
 *
 * <p>Contract: the producer position in shared memory is written only here, with a release
 * store, and only after every byte of every record up to it has been written. A record written
 * by {@link #offer} is published earlier, by a release store of its own
 * header with {@link RecordDescriptor#SIGNAL}, after its payload and after a zero in the header
 * word that follows it; so at most {@code capacity - 8} bytes are ever in the ring. {@code offer}
 * stores the producer position only when its write entered a lap other than the published
 * position's, or unsignalled records wait: once per lap, which keeps every record within the
 * consumer's reach and every PAD covered (Ring.tla, pOwe). The consumer
 * position is read (acquire) only when the private cache of it says the ring is full, and is
 * validated before use: a consumer that claims to be ahead of what was written, or to have
 * gone backwards, makes every later call return {@link RingResult#CORRUPT_POSITION}.
 * Every call finishes in a bounded number of steps whatever the consumer does (wait-free).
 */
public final class RingProducer {
    private final MemorySegment ring;
    private final long capacity;
    private final long mask;
    private final int maxPayload;

    private long tail;          // own position, private: never read back from shared memory
    private long headCache;     // last validated consumer position
    private long publishedTail; // what the last release store wrote
    private boolean unsignalled; // an unsignalled record or PAD waits for publish()
    private int failure;        // sticky corruption result, 0 while healthy
    private final RingTrace trace; // null unless -Ddoms.trace (RingTrace.ON is a constant)

    private long recordsOffered;
    private long fullEvents;

    private RingProducer(final MemorySegment ring, final RingDescriptor.Geometry geometry, final long tail, final long head) {
        this.ring = ring;
        this.capacity = geometry.capacity();
        this.mask = capacity - 1;
        this.maxPayload = geometry.maxPayload();
        this.tail = tail;
        this.publishedTail = tail;
        this.headCache = head;
        this.trace = RingTrace.ON ? RingTrace.open("producer", capacity, maxPayload, tail, head) : null;
    }

    /**
     * Attaches to an initialised ring, resuming from the positions found there (a restarted
     * producer continues where the last one published: one that used {@link #offer}, which
     * stores the position once per lap, calls {@link #publish()} before it detaches, as
     * {@code GuestPort#close} does). Not after a producer that used
     * {@link #offer} died between a signalled header and its position store: the consumer may
     * have taken that record already (the attach then refuses its position) or be reading it.
     * doms restarts only the switch, whose RX records are never signalled. Throws {@link RingFormatException}
     * when the header or the positions found are invalid.
     */
    public static RingProducer attach(final MemorySegment ring) {
        return attach(ring, RingDescriptor.geometry(ring));
    }

    /** Attaches only if the header describes exactly this geometry (the switch's own configuration). */
    public static RingProducer attach(final MemorySegment ring, final int pages, final int maxPayload) {
        return attach(ring, RingDescriptor.geometry(ring, pages, maxPayload));
    }

    private static RingProducer attach(final MemorySegment ring, final RingDescriptor.Geometry geometry) {
        return attach(ring, geometry, RingDescriptor.lvProducerPosition(ring));
    }

    /**
     * Attaches at a producer position the caller kept in memory only it writes (the switch's
     * status), never the one in the shared ring, which the peer can rewrite. The peer's
     * consumer position must still make a legal pair with it.
     */
    public static RingProducer attachAt(final MemorySegment ring, final int pages, final int maxPayload, final long tail) {
        return attach(ring, RingDescriptor.geometry(ring, pages, maxPayload), tail);
    }

    private static RingProducer attach(final MemorySegment ring, final RingDescriptor.Geometry geometry, final long tail) {
        final long head = RingDescriptor.lvConsumerPosition(ring);
        if (!RingConsumer.validSpan(head, tail, geometry.capacity())) {
            throw new RingFormatException("positions out of range: producer " + tail + ", consumer " + head);
        }
        return new RingProducer(ring, geometry, tail, head);
    }

    /**
     * Writes one record and publishes it: its header is stored with {@link RecordDescriptor#SIGNAL}
     * by a release, so a consumer may take it without the producer position. The position is
     * stored too when this write entered a new lap (a PAD or a record at index 0) or unsignalled
     * records wait, not after every record: a consumer that has caught up then finds the
     * position's cache line unchanged. Returns {@link RingResult#OK} or a negative sentinel.
     */
    public int offer(final int type, final MemorySegment src, final long srcOffset, final int length) {
        final int result = write(type, src, srcOffset, length, true);
        if (unsignalled || ((tail ^ publishedTail) & ~mask) != 0) {
            publish();
        }
        return result;
    }

    /** Writes one record of a byte array and publishes it. */
    public int offer(final int type, final byte[] src, final int length) {
        return offer(type, MemorySegment.ofArray(src), 0, length);
    }

    /**
     * Writes as many of the payloads as fit, in order, and publishes them with one release store
     * of the producer position: the consumer sees all of them or none (their headers carry no
     * signal). Returns how many were written (0 when full), or a negative corruption or argument
     * result if that stopped the batch before the first record.
     */
    public int offerBatch(final int type, final MemorySegment[] payloads, final int count) {
        int written = 0;
        int result = RingResult.OK;
        while (written < count) {
            final MemorySegment payload = payloads[written];
            result = write(type, payload, 0, (int) payload.byteSize(), false);
            if (result != RingResult.OK) {
                break;
            }
            written++;
        }
        publish();
        return written == 0 && result != RingResult.FULL && result != RingResult.OK ? result : written;
    }

    /**
     * Writes one record without publishing it: it becomes visible to the consumer at the next
     * {@link #publish()}, and not before (its header is a plain store without the signal). Lets a
     * caller order other stores between the write and the publication (the switch's RX status).
     */
    public int offerDeferred(final int type, final MemorySegment src, final long srcOffset, final int length) {
        return write(type, src, srcOffset, length, false);
    }

    private int write(final int type, final MemorySegment src, final long srcOffset, final int length, final boolean signal) {
        if (failure != 0) {
            return failure;
        }
        if (length < 0 || length > maxPayload || type < TYPE_FIRST_USER || type > TYPE_LAST_USER) {
            return RingResult.INVALID_ARGUMENT;
        }
        final MemorySegment ring = this.ring;
        final long mask = this.mask;
        final long tail = this.tail;
        final long required = RecordDescriptor.alignedLength(length);
        final long index = tail & mask;
        final long contiguous = capacity - index;
        // Every write also zeroes the header word after it (the reserve of one word counted in
        // each check below): a consumer that reads past the last record finds that zero, never a
        // signalled header left from the lap before.
        if (required > contiguous) {
            return writeAcrossTheEnd(type, src, srcOffset, length, signal, tail, index, contiguous, required);
        }
        final int room = ensureFree(tail, required + HEADER_LENGTH);
        if (room != RingResult.OK) {
            return room;
        }
        zeroHeader(ring, (index + required) & mask);
        MemorySegment.copy(src, srcOffset, ring, DATA_OFFSET + index + HEADER_LENGTH, length);
        writeHeader(ring, index, length, type, signal);
        this.tail = tail + required;
        unsignalled |= !signal;
        if (RingTrace.ON) {
            traceRecord(index, index, tail, contiguous, required, length, type, signal);
        }
        recordsOffered++;
        return RingResult.OK;
    }

    /**
     * The record would cross the end of the data area: a PAD to the end, then the record at
     * index 0. Out of line, so that {@link #write} stays small enough to be inlined into its
     * callers (C2's FreqInlineSize, 325 bytes of bytecode): this path runs once per lap.
     */
    private int writeAcrossTheEnd(final int type, final MemorySegment src, final long srcOffset, final int length,
            final boolean signal, final long tail, final long index, final long contiguous, final long required) {
        final MemorySegment ring = this.ring;
        final long mask = this.mask;
        final int room = ensureFree(tail, contiguous + required + HEADER_LENGTH);
        if (room != RingResult.OK) {
            if (room == RingResult.FULL && tail + contiguous + HEADER_LENGTH - headCache <= capacity) {
                zeroHeader(ring, 0);
                writeHeader(ring, index, (int) (contiguous - HEADER_LENGTH), TYPE_PAD, false);
                this.tail = tail + contiguous; // the padding alone: progress for the next try
                unsignalled |= !signal;
                if (RingTrace.ON) {
                    tracePad(tail, contiguous, required, length, type, signal);
                }
            }
            return room;
        }
        // The record at index 0 first, then the PAD. A PAD is never signalled: a consumer loads
        // the producer position at each wrap, which keeps every record of the next lap within
        // its reach (RingConsumer#reachable) and a poll from stopping just after a PAD.
        zeroHeader(ring, required & mask);
        MemorySegment.copy(src, srcOffset, ring, DATA_OFFSET + HEADER_LENGTH, length);
        writeHeader(ring, 0, length, type, signal);
        writeHeader(ring, index, (int) (contiguous - HEADER_LENGTH), TYPE_PAD, false);
        this.tail = tail + contiguous + required;
        unsignalled |= !signal;
        if (RingTrace.ON) {
            traceRecord(0, index, tail + contiguous, contiguous, required, length, type, signal);
        }
        recordsOffered++;
        return RingResult.OK;
    }

    // Tracing helpers: out of line, so that offerDeferred keeps its bytecode size (and stays
    // inlinable, under FreqInlineSize) when tracing is compiled away.
    private void tracePad(final long tail, final long contiguous, final long required, final int length, final int type,
            final boolean signal) {
        trace.producerWrite("pad", tail, required, length, type, signal, tail + contiguous);
    }

    private void traceRecord(final long at, final long index, final long tail, final long contiguous, final long required,
            final int length, final int type, final boolean signal) {
        // at != index: a PAD to the end was written first (the private tail moved by contiguous)
        trace.producerWrite(at == index ? "rec" : "padrec", at == index ? tail : tail - contiguous, required, length, type, signal,
                tail + required);
    }

    /** Makes every record written so far visible to the consumer (one release store). */
    public void publish() {
        final long tail = this.tail;
        if (tail != publishedTail) {
            RingDescriptor.soProducerPosition(ring, tail);
            publishedTail = tail;
            unsignalled = false;
            if (RingTrace.ON) {
                trace.producerPublish(tail);
            }
        }
    }

    /**
     * Stores the producer position even if this producer thinks it is published: after
     * {@link #attachAt} a restarted producer resumes from its own record of the position, which
     * the ring's word may lag (a crash between the two stores), so it says it once again.
     * Not traced: Ring.tla's Init already has the published tail at the attach position, which
     * this store makes true in memory.
     */
    public void republish() {
        final long tail = this.tail;
        RingDescriptor.soProducerPosition(ring, tail);
        publishedTail = tail;
        unsignalled = false;
    }

    /** A signalled header is the record's release (access-modes.md row 17); any other is a plain store. */
    private static void writeHeader(final MemorySegment ring, final long index, final int length, final int type,
            final boolean signal) {
        if (signal) {
            RingDescriptor.soHeader(ring, index, RecordDescriptor.header(length, type | SIGNAL));
        } else {
            ring.set(ValueLayout.JAVA_LONG, DATA_OFFSET + index, RecordDescriptor.header(length, type));
        }
    }

    /** Plain: the release of the header written after it, or of the producer position, orders it (row 19). */
    private static void zeroHeader(final MemorySegment ring, final long index) {
        ring.set(ValueLayout.JAVA_LONG, DATA_OFFSET + index, 0L);
    }

    /** OK when {@code needed} bytes from {@code tail} are free, refreshing the cache only if it says no. */
    private int ensureFree(final long tail, final long needed) {
        if (tail + needed - headCache <= capacity) {
            return RingResult.OK;
        }
        final int refreshed = refreshConsumerPosition();
        if (refreshed != RingResult.OK) {
            return refreshed;
        }
        if (tail + needed - headCache <= capacity) {
            return RingResult.OK;
        }
        fullEvents++;
        return RingResult.FULL;
    }

    /** Reads the consumer position (acquire) into the cache after validating it. */
    private int refreshConsumerPosition() {
        final long head = RingDescriptor.lvConsumerPosition(ring);
        // A consumer position never goes backwards and never passes what was written (a consumer
        // may take signalled records before the producer position covers them).
        if (head - headCache < 0 || !RingConsumer.validSpan(head, tail, capacity)) {
            if (RingTrace.ON) {
                trace.producerRefresh(head, false);
            }
            failure = RingResult.CORRUPT_POSITION;
            return failure;
        }
        if (RingTrace.ON && head != headCache) {
            trace.producerRefresh(head, true);
        }
        headCache = head;
        return RingResult.OK;
    }

    public long capacity() {
        return capacity;
    }

    public int maxPayload() {
        return maxPayload;
    }

    /** The private producer position (bytes written, published or not). */
    public long position() {
        return tail;
    }

    public long recordsOffered() {
        return recordsOffered;
    }

    public long fullEvents() {
        return fullEvents;
    }

    /** 0 while healthy, else the corruption result that stopped this producer. */
    public int failure() {
        return failure;
    }
}
