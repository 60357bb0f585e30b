package doms.guest;

import doms.net.VirtioNetHeader;
import doms.pool.PoolTrace;
import doms.pool.SlotDescriptor;
import doms.ring.RecordHandler;
import doms.ring.RingConsumer;
import doms.ring.RingFormatException;
import doms.ring.RingProducer;
import doms.ring.RingResult;
import doms.shm.SharedMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The guest's end of its slot (the paper's SecFront): producer of the TX ring, consumer of the
 * RX ring, over the memory of its slot generation that the control plane handed it
 * ({@link SlotGrant}).
 */
public final class GuestPort implements AutoCloseable {
    private final SharedMemory file;
    private final RingProducer tx;
    private final RingConsumer rx;
    private final int maxFrame;
    /** Frames sent, counted only when tracing (the spec's sentCnt). */
    private long sent;

    private GuestPort(final SharedMemory file, final RingProducer tx, final RingConsumer rx, final int maxFrame) {
        this.file = file;
        this.tx = tx;
        this.rx = rx;
        this.maxFrame = maxFrame;
    }

    /** Maps the slot and attaches to both rings; throws IllegalStateException if it is not a valid slot. */
    public static GuestPort attach(final SharedMemory file) {
        final MemorySegment segment = file.segment();
        final int pages = SlotDescriptor.pages(segment);
        final int maxFrame = SlotDescriptor.maxFrame(segment);
        final String reason = pages > 0 && Integer.bitCount(pages) == 1 && pages <= 65536
                ? SlotDescriptor.check(segment, pages, maxFrame) : "bad page count " + pages;
        if (reason != null) {
            throw new IllegalStateException("not a valid slot: " + reason);
        }
        try {
            return new GuestPort(file, RingProducer.attach(SlotDescriptor.txRing(segment, pages)),
                    RingConsumer.attach(SlotDescriptor.rxRing(segment, pages)), maxFrame);
        } catch (RingFormatException e) {
            // Positions a compromised switch wrote before the guest mapped the slot.
            throw new IllegalStateException("not a valid slot: " + e.getMessage(), e);
        }
    }

    /** Offers one frame to the switch; a {@link doms.ring.RingResult} code. */
    public int send(final MemorySegment frame, final long at, final int length) {
        final int result = tx.offer(SlotDescriptor.TYPE_FRAME, frame, at, length);
        if (PoolTrace.ON) {
            traceSend(result, frame, at, length); // out of line: send stays small enough to inline
        }
        return result;
    }

    /**
     * Writes one frame into the TX ring without publishing it: a burst goes out with one
     * {@link #flush()} (one release store, one wake-up of the switch per burst).
     */
    public int sendDeferred(final MemorySegment frame, final long at, final int length) {
        final int result = tx.offerDeferred(SlotDescriptor.TYPE_FRAME, frame, at, length);
        if (PoolTrace.ON) {
            traceSend(result, frame, at, length);
        }
        return result;
    }

    /**
     * As {@link #sendDeferred}, for a frame with offloads: a virtio-net header and its frame in
     * one record of type {@link SlotDescriptor#TYPE_VNET_FRAME} (the switch validates both).
     */
    public int sendOffloadedDeferred(final MemorySegment headerAndFrame, final long at, final int length) {
        final int result = tx.offerDeferred(SlotDescriptor.TYPE_VNET_FRAME, headerAndFrame, at, length);
        if (PoolTrace.ON && length >= VirtioNetHeader.LENGTH) { // the trace names the frame, behind its header
            traceSend(result, headerAndFrame, at + VirtioNetHeader.LENGTH, length - VirtioNetHeader.LENGTH);
        }
        return result;
    }

    /** Tells the switch that this guest takes {@link SlotDescriptor#TYPE_VNET_FRAME} records on its RX ring. */
    public void acceptOffloads() {
        SlotDescriptor.opaqueFeatures(file.segment(), SlotDescriptor.ACCEPTS_OFFLOADS);
    }

    /** Publishes every frame {@link #sendDeferred} wrote. */
    public void flush() {
        tx.publish();
    }

    private void traceSend(final int result, final MemorySegment frame, final long at, final int length) {
        if (result != RingResult.OK) {
            return;
        }
        PoolTrace.guestSend(file.segment().get(ValueLayout.JAVA_INT, SlotDescriptor.INDEX_OFFSET), ++sent, frame, at, length,
                tx.position());
    }

    /** Delivers up to {@code limit} received frames; the count or a negative ring result. */
    public int receive(final RecordHandler handler, final int limit) {
        return rx.poll(handler, limit);
    }

    public int maxFrame() {
        return maxFrame;
    }

    /**
     * Where this guest's next TX record goes: what it has committed, which the position in the
     * ring lags by up to a lap ({@link #send} stores it once per lap).
     */
    public long txPosition() {
        return tx.position();
    }

    /** The capacity of the TX ring as attached (the header in memory may since have been changed). */
    public long txCapacity() {
        return tx.capacity();
    }

    /** For hostile-guest demonstrations: the guest's own shared memory, which it may scribble on. */
    public MemorySegment sharedMemory() {
        return file.segment();
    }

    /**
     * Detaches, after publishing the TX position ({@link #send} stores it once per lap), so a
     * guest that attaches to this slot later resumes where this one stopped. The memory stays
     * mapped for its owner (the {@link SlotGrant}) to close.
     */
    @Override
    public void close() {
        tx.publish();
    }
}
