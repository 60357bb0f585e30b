package doms.net;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * An Ethernet device a guest's bridge moves frames through: a {@link Tap}, or a stand-in that
 * records what the bridge wrote (the fuzz target of the bridge's RX path).
 */
public interface FrameDevice {
    /**
     * One frame into {@code buffer} (on a {@link #vnetHeader} device its header, then the frame),
     * waiting at most {@code timeoutMillis}: the bytes read, or 0 if none came.
     */
    int read(MemorySegment buffer, int timeoutMillis) throws IOException;

    /** As {@link #read}, if the device has a frame queued now, without waiting; else 0. */
    int readNow(MemorySegment buffer) throws IOException;

    /**
     * Writes {@code length} bytes as they are: a frame, or on a {@link #vnetHeader} device a
     * virtio-net header and its frame. False when the device refused them (counted by the
     * caller, like a full ring).
     */
    boolean write(MemorySegment frame, long length);

    /** Writes a plain frame: on a {@link #vnetHeader} device behind a header that asks for nothing. */
    default boolean writePlain(final MemorySegment frame, final long length) {
        return write(frame, length);
    }

    /** True when every frame read from and written to this device starts with a virtio-net header. */
    default boolean vnetHeader() {
        return false;
    }

    String name();
}
