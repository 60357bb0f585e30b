package doms.sw;

import doms.net.FrameLayout;
import doms.net.Segmenter;
import doms.net.VirtioNetHeader;
import doms.pool.Mac;
import doms.pool.PoolTrace;
import doms.pool.SlotDescriptor;
import doms.pool.SwitchStatus;
import doms.ring.RecordHandler;
import doms.ring.RingConsumer;
import doms.ring.RingFormatException;
import doms.ring.RingProducer;
import doms.ring.RingResult;
import doms.shm.SharedMemory;
import java.lang.foreign.MemorySegment;

/**
 * The switch's end of one guest's slot (the paper's SecBack): consumer of the guest's TX ring,
 * producer of its RX ring, with the binding read from the control plane's table. The binding
 * and every counter live here, in the switch's private memory. A port whose guest breaks the
 * ring rules is quarantined: nothing more is read from or written to it until it is retired.
 */
public final class SwitchPort {
    private final int slot;
    private final long generation;
    private final long mac;
    private final int tenant;
    private final SharedMemory file;
    private final RingConsumer tx;
    private final RingProducer rx;
    private final RecordHandler handler = this::onRecord;
    private Forwarder forwarder;
    private Capture capture;
    private java.util.function.Consumer<String> log = System.err::println;
    private String quarantineReason;
    /** The switch's status and the positions last saved there (null in rigs without one). */
    private SwitchStatus status;
    private long savedTx;
    private long savedRx;
    private boolean rxDirty;

    long framesIn;
    long framesOut;
    long dropsFull;
    long dropsTooBig;
    long dropsSpoofed;
    long dropsMalformed;

    private SwitchPort(final int slot, final long generation, final long mac, final int tenant, final SharedMemory file,
                       final RingConsumer tx, final RingProducer rx, final String quarantineReason) {
        this.slot = slot;
        this.generation = generation;
        this.mac = mac;
        this.tenant = tenant;
        this.file = file;
        this.tx = tx;
        this.rx = rx;
        this.quarantineReason = quarantineReason;
    }

    /**
     * Attaches to a slot for one generation of its binding. A slot whose header or ring positions
     * are invalid gives a port that is quarantined from the start (never an exception).
     */
    public static SwitchPort attach(final int slot, final long generation, final long mac, final int tenant,
                                    final SharedMemory file, final int pages, final int maxFrame) {
        return attach(slot, generation, mac, tenant, file, pages, maxFrame, null, 0, 0);
    }

    /**
     * Attaches with the ring positions kept in the switch's own status: a fresh generation starts
     * both at 0 (its memfd is new), a restarted switch resumes where its predecessor published,
     * never where the guest-writable ring says. With {@code status}, every later publish writes
     * its position there first.
     */
    public static SwitchPort attach(final int slot, final long generation, final long mac, final int tenant,
                                    final SharedMemory file, final int pages, final int maxFrame,
                                    final SwitchStatus status, final long txConsumed, final long rxProduced) {
        // Exactly the pool's slot length: a sealed memfd (checked when mapped) the guest cannot resize.
        final MemorySegment segment = file.segment();
        final String header = SlotDescriptor.checkHeader(segment);
        if (header != null) {
            return new SwitchPort(slot, generation, mac, tenant, file, null, null, "slot header: " + header);
        }
        try {
            // Geometry from our own configuration; the guest's header must agree, read once each.
            final RingConsumer tx;
            final RingProducer rx;
            if (status == null) { // in-process rigs without a status: positions as the rings say
                tx = RingConsumer.attach(SlotDescriptor.txRing(segment, pages), pages, maxFrame);
                rx = RingProducer.attach(SlotDescriptor.rxRing(segment, pages), pages, maxFrame);
            } else {
                tx = RingConsumer.attachAt(SlotDescriptor.txRing(segment, pages), pages, maxFrame, txConsumed);
                rx = RingProducer.attachAt(SlotDescriptor.rxRing(segment, pages), pages, maxFrame, rxProduced);
            }
            if (status != null) {
                // Our own positions go into the ring once more: a predecessor that died between
                // its status store and its ring store left the ring's words behind (spec/pool:
                // Attach sets pend; MCPoolBugNoRepublish loses frames without this).
                tx.republish();
                rx.republish();
            }
            final SwitchPort port = new SwitchPort(slot, generation, mac, tenant, file, tx, rx, null);
            port.status = status;
            port.savedTx = txConsumed;
            port.savedRx = rxProduced;
            return port;
        } catch (RingFormatException e) {
            return new SwitchPort(slot, generation, mac, tenant, file, null, null, "at attach: " + e.getMessage());
        } catch (RuntimeException e) {
            return new SwitchPort(slot, generation, mac, tenant, file, null, null, "at attach: " + e);
        }
    }

    /**
     * Takes up to {@code budget} frames from the guest, each copied into {@code scratch} before
     * the forwarder sees it. The records stay unreleased until {@link #releaseTx()}.
     */
    int pollTx(final Forwarder forwarder, final int budget, final MemorySegment scratch) {
        if (quarantineReason != null) {
            return 0;
        }
        this.forwarder = forwarder;
        // No memory fault is caught anywhere here: the memfd is sealed against resizing, so none can
        // happen; and HotSpot reports one asynchronously, so a catch could blame another port.
        final int n = tx.pollCopyDeferred(handler, budget, scratch);
        if (n < 0) {
            quarantine("TX ring: " + RingResult.describe(n));
            return 0;
        }
        return n;
    }

    void log(final java.util.function.Consumer<String> log) {
        this.log = log;
    }

    void capture(final Capture capture) {
        this.capture = capture;
    }

    /** A frame taken from this port, into the capture if this port is the captured one. */
    void captureFrame(final MemorySegment frame, final long at, final int length) {
        if (capture != null) {
            capture.frame(frame, at, length);
        }
    }

    /** Releases the guest's consumed TX records; called after the frames made of them were published. */
    void releaseTx() {
        if (tx != null && quarantineReason == null) {
            final long head = tx.position();
            final boolean moved = status != null && head != savedTx;
            if (moved) { // first where a restarted switch resumes, then the guest
                status.opaqueResumePosition(slot, SwitchStatus.ResumePosition.TX_CONSUMED, head);
                savedTx = head;
                if (PoolTrace.ON) {
                    PoolTrace.saveTx(slot, head);
                }
            }
            tx.publish();
            if (PoolTrace.ON && moved) {
                PoolTrace.publishTx(slot, head);
            }
        }
    }

    /** Writes one frame into the guest's RX ring, published at the end of the round. False if dropped. */
    boolean deliver(final MemorySegment frame, final long at, final int length) {
        return offer(SlotDescriptor.TYPE_FRAME, frame, at, length);
    }

    /**
     * Writes one validated offloaded record (a virtio-net header, then the frame) as this guest
     * takes it: unchanged when it announced {@link SlotDescriptor#ACCEPTS_OFFLOADS} (its
     * features word, read now: whatever it says only changes what this guest gets), else as
     * plain frames built in {@code wire}. A UDP super-frame whose datagrams do not fit this
     * guest's maximum frame is dropped for it and counted (offloads.md).
     */
    void deliverOffloaded(final MemorySegment record, final long at, final int length, final FrameLayout layout,
                          final MemorySegment wire) {
        if (quarantineReason != null) {
            return;
        }
        if ((SlotDescriptor.opaqueFeatures(file.segment()) & SlotDescriptor.ACCEPTS_OFFLOADS) != 0) {
            offer(SlotDescriptor.TYPE_VNET_FRAME, record, at, length);
        } else if (Segmenter.wireFrames(record, at, length, layout, (int) Math.min(rx.maxPayload(), wire.byteSize()), wire, plainSink)
                == Segmenter.TOO_BIG) {
            dropsTooBig++;
        }
    }

    private final Segmenter.Sink plainSink = (wire, length) -> deliver(wire, 0, length);

    private boolean offer(final int type, final MemorySegment frame, final long at, final int length) {
        if (quarantineReason != null) {
            return false;
        }
        if (PoolTrace.ON) {
            PoolTrace.target(slot);
        }
        final int result = rx.offerDeferred(type, frame, at, length);
        if (result == RingResult.OK) {
            rxDirty = true;
            framesOut++;
            if (capture != null) { // the frame, without the virtio-net header of an offloaded record
                final int skip = type == SlotDescriptor.TYPE_VNET_FRAME ? VirtioNetHeader.LENGTH : 0;
                capture.frame(frame, at + skip, length - skip);
            }
            return true;
        }
        if (result == RingResult.FULL) {
            dropsFull++;
        } else {
            quarantine("RX ring: " + RingResult.describe(result));
        }
        return false;
    }

    /** Publishes what this round delivered (one release store per port per round). */
    void publishRx() {
        if (rxDirty) {
            rxDirty = false;
            if (status != null) {
                savedRx = rx.position();
                status.opaqueResumePosition(slot, SwitchStatus.ResumePosition.RX_PRODUCED, savedRx);
            }
            rx.publish();
        }
    }

    private void onRecord(final int type, final MemorySegment buffer, final long offset, final int length) {
        forwarder.fromPort(this, type, buffer, offset, length);
    }

    void quarantine(final String reason) {
        if (quarantineReason == null) {
            quarantineReason = reason;
            log.accept("doms switch: quarantined slot " + slot + " (gen " + generation + ", " + Mac.format(mac)
                    + ", tenant " + tenant + "): " + reason);
        }
    }

    private long publishedSum = -1;

    /** Publishes the counters if any changed since the last time (cheap enough for every round). */
    void publishCountersIfChanged(final SwitchStatus status) {
        final long sum = framesIn + framesOut + dropsFull + dropsSpoofed + dropsMalformed + dropsTooBig + (quarantineReason == null ? 0 : 1);
        if (sum != publishedSum) {
            publishedSum = sum;
            publishCounters(status);
        }
    }

    void publishCounters(final SwitchStatus status) {
        status.opaqueCounter(slot, SwitchStatus.SlotCounter.FRAMES_IN, framesIn);
        status.opaqueCounter(slot, SwitchStatus.SlotCounter.FRAMES_OUT, framesOut);
        status.opaqueCounter(slot, SwitchStatus.SlotCounter.DROPS_FULL, dropsFull);
        status.opaqueCounter(slot, SwitchStatus.SlotCounter.DROPS_SPOOFED, dropsSpoofed);
        status.opaqueCounter(slot, SwitchStatus.SlotCounter.DROPS_MALFORMED, dropsMalformed);
        status.opaqueCounter(slot, SwitchStatus.SlotCounter.QUARANTINED, quarantineReason == null ? 0 : generation);
        status.opaqueCounter(slot, SwitchStatus.SlotCounter.DROPS_TOO_BIG, dropsTooBig);
    }

    /** A restarted switch continues the counters of the same generation from its own status file. */
    void resumeCounters(final SwitchStatus status) {
        framesIn = status.opaqueCounter(slot, SwitchStatus.SlotCounter.FRAMES_IN);
        framesOut = status.opaqueCounter(slot, SwitchStatus.SlotCounter.FRAMES_OUT);
        dropsFull = status.opaqueCounter(slot, SwitchStatus.SlotCounter.DROPS_FULL);
        dropsSpoofed = status.opaqueCounter(slot, SwitchStatus.SlotCounter.DROPS_SPOOFED);
        dropsMalformed = status.opaqueCounter(slot, SwitchStatus.SlotCounter.DROPS_MALFORMED);
        dropsTooBig = status.opaqueCounter(slot, SwitchStatus.SlotCounter.DROPS_TOO_BIG);
    }

    void detach() {
        file.close();
    }

    public int slot() {
        return slot;
    }

    public long generation() {
        return generation;
    }

    public long mac() {
        return mac;
    }

    public int tenant() {
        return tenant;
    }

    public long framesIn() {
        return framesIn;
    }

    public long framesOut() {
        return framesOut;
    }

    public long dropsFull() {
        return dropsFull;
    }

    /** Offloaded records dropped for this port because their UDP datagrams exceed its maximum frame. */
    public long dropsTooBig() {
        return dropsTooBig;
    }

    public long dropsSpoofed() {
        return dropsSpoofed;
    }

    public long dropsMalformed() {
        return dropsMalformed;
    }

    public boolean quarantined() {
        return quarantineReason != null;
    }

    public String quarantineReason() {
        return quarantineReason;
    }
}
