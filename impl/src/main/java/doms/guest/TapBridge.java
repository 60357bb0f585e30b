package doms.guest;

import doms.pool.SlotDescriptor;
import doms.net.Tap;
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
    private final Tap tap;
    private final IdleStrategy idle;
    private final RecordHandler toTap = this::toTap;
    private volatile boolean running = true;
    /** The most frames the TAP-to-ring thread writes behind one publish. */
    static final int BURST = 64;
    private volatile long fromTap;
    private volatile long bursts;
    private volatile long toTapFrames;
    private volatile long dropsBadLength;
    private volatile long dropsTapRefused;
    private volatile String failure;

    public TapBridge(final GuestPort port, final Tap tap, final IdleStrategy idle) {
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
            final int n = port.receive(toTap, 64);
            if (n < 0) {
                failure = "RX ring: " + RingResult.describe(n);
                break;
            }
            idle.idle(n);
        }
        running = false;
        reader.join(); // it sees running within one read timeout; only then may the caller close
    }

    private void tapToRing() {
        final MemorySegment buffer = Arena.ofAuto().allocate(65536, 8);
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

    /** Writes one frame read from the TAP into the TX ring, unpublished; false once the bridge must stop. */
    private boolean toRing(final MemorySegment buffer, final int length) {
        if (length > port.maxFrame() || length < 14) {
            dropsBadLength++; // e.g. the interface's MTU is above the pool's maximum frame
            return true;
        }
        int result;
        int waits = 0;
        while ((result = port.sendDeferred(buffer, 0, length)) == RingResult.FULL && running) {
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
        return true;
    }

    private void toTap(final int type, final MemorySegment buffer, final long offset, final int length) {
        if (type != SlotDescriptor.TYPE_FRAME) {
            return;
        }
        if (tap.write(buffer.asSlice(offset, length), length)) {
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
