package doms.guest;

import doms.pool.SlotDescriptor;
import doms.net.EthernetFrame;
import doms.net.FrameDevice;
import doms.net.VirtioNetHeader;
import doms.poll.IdleStrategy;
import doms.ring.RecordHandler;
import doms.ring.RingResult;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gives a guest an ordinary Ethernet interface (the paper's SecFront): every frame the kernel
 * sends out of a TAP device goes into the guest's TX ring, every frame from its RX ring is
 * written to the TAP. Unmodified programs (ping, iperf3) then talk through the switch.
 *
 * <p>Two threads: one waits for the TAP, then reads every frame the kernel has queued (up to
 * {@value #BURST}) into the TX ring and publishes them with one release store (waiting for
 * room, so a busy switch slows the sender down instead of losing its frames); the other polls
 * the RX ring, up to 64 frames a poll and one release. Each ring keeps its single producer and
 * single consumer.
 */
public final class TapBridge {
    private final GuestPort port;
    private final FrameDevice tap;
    private final IdleStrategy idle;
    private final RecordHandler toTap = this::toTap;
    private volatile boolean running = true;
    /** The most frames the TAP-to-ring thread writes behind one publish. */
    static final int BURST = 64;
    private volatile long fromTap;
    private volatile long bursts;
    private volatile long toTapFrames;
    private volatile long fromTapOffloaded;
    private volatile long toTapOffloaded;
    private volatile long dropsBadLength;
    private volatile long dropsTapRefused;
    private volatile String failure;

    public TapBridge(final GuestPort port, final FrameDevice tap, final IdleStrategy idle) {
        this.port = port;
        this.tap = tap;
        this.idle = idle;
    }

    /**
     * Starts the TAP-to-ring thread and polls the RX ring in the calling thread until
     * {@link #stop()}; returns once both have stopped touching the TAP and the slot.
     */
    public void run() throws InterruptedException {
        final Thread reader = Thread.ofPlatform().daemon().name("tap-to-ring").start(this::tapToRing);
        while (running) {
            final int n = pollRx();
            if (n < 0) {
                break;
            }
            idle.idle(n);
        }
        running = false;
        reader.join(); // it sees running within one read timeout; only then may the caller close
    }

    /**
     * One poll of the RX ring: up to 64 frames written to the TAP, one release. Returns how many
     * records it took, or a negative {@link RingResult} when the switch's side of the ring broke
     * a rule: the bridge records the failure, and the port reports it again on every later poll.
     */
    public int pollRx() {
        final int n = port.receive(toTap, 64);
        if (n < 0) {
            failure = "RX ring: " + RingResult.describe(n);
        }
        return n;
    }

    private void tapToRing() {
        // A super-frame and its header: up to 64 KiB of IP behind a tagged Ethernet header.
        final MemorySegment buffer = Arena.ofAuto().allocate(SlotDescriptor.MAX_FRAME_LIMIT + 64, 8);
        try {
            while (running) {
                int length = tap.read(buffer, 100);
                if (length == 0) {
                    continue; // nothing within 100 ms: look at running again
                }
                // A burst: every frame the kernel has queued (up to BURST), then one publish.
                int burst = 0;
                while (length > 0 && running && toRing(buffer, length) && ++burst < BURST) {
                    length = tap.readNow(buffer);
                }
                port.flush();
                bursts++;
            }
        } catch (IOException e) {
            failure = e.getMessage();
            running = false;
        }
        port.flush();
    }

    /**
     * Writes one frame read from the TAP into the TX ring, unpublished; false once the bridge
     * must stop. On a vnet-header TAP the frame comes after its header: a plain frame (no
     * segmentation, no checksum to complete) goes without it, any other with it, as a
     * {@link SlotDescriptor#TYPE_VNET_FRAME} record.
     */
    private boolean toRing(final MemorySegment buffer, final int length) {
        final boolean vnet = tap.vnetHeader();
        final boolean offloaded = vnet && length >= VirtioNetHeader.LENGTH && !VirtioNetHeader.isPlain(buffer, 0);
        final int at = vnet && !offloaded ? VirtioNetHeader.LENGTH : 0;
        final int size = length - at;
        if (size > port.maxFrame() || size < EthernetFrame.HEADER_LENGTH + (offloaded ? VirtioNetHeader.LENGTH : 0)) {
            dropsBadLength++; // e.g. the interface's MTU is above the pool's maximum frame
            return true;
        }
        int result;
        int waits = 0;
        while ((result = offloaded ? port.sendOffloadedDeferred(buffer, 0, size) : port.sendDeferred(buffer, at, size)) == RingResult.FULL
                && running) {
            // The switch is busy or restarting: publish what the burst wrote (the switch cannot
            // make room otherwise), then wait for room, gently after a while.
            port.flush();
            if (++waits < 100) {
                Thread.onSpinWait();
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
        }
        if (result < 0 && result != RingResult.FULL) {
            failure = "TX ring: " + RingResult.describe(result);
            running = false;
            return false;
        }
        fromTap++;
        if (offloaded) {
            fromTapOffloaded++;
        }
        return true;
    }

    /** A record from the RX ring to the TAP: a plain frame, or (vnet-header TAP only) a header and its frame. */
    private void toTap(final int type, final MemorySegment buffer, final long offset, final int length) {
        final boolean written;
        if (type == SlotDescriptor.TYPE_FRAME) {
            written = tap.writePlain(buffer.asSlice(offset, length), length);
        } else if (type == SlotDescriptor.TYPE_VNET_FRAME && tap.vnetHeader()) {
            written = tap.write(buffer.asSlice(offset, length), length);
            if (written) {
                toTapOffloaded++;
            }
        } else {
            return; // not for this TAP: a switch sends offloaded frames only to a guest that accepts them
        }
        if (written) {
            toTapFrames++;
        } else {
            dropsTapRefused++;
        }
    }

    public void stop() {
        running = false;
    }

    /** Figures for the guest's JSON line. */
    public Map<String, Object> figures() {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("tap", tap.name());
        out.put("from_tap", fromTap);
        out.put("from_tap_bursts", bursts);
        out.put("to_tap", toTapFrames);
        out.put("from_tap_offloaded", fromTapOffloaded);
        out.put("to_tap_offloaded", toTapOffloaded);
        out.put("drops_bad_length", dropsBadLength);
        out.put("drops_tap_refused", dropsTapRefused);
        if (failure != null) {
            out.put("failure", failure);
        }
        return out;
    }

    public String failure() {
        return failure;
    }
}
