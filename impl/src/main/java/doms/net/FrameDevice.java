package doms.net;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * An Ethernet device a guest's bridge moves frames through: a {@link Tap}, or a stand-in that
 * records what the bridge wrote (the fuzz target of the bridge's RX path).
 */
public interface FrameDevice {
    /** One frame (after its header, on a {@link #vnetHeader} device) into {@code buffer}, waiting at most {@code timeoutMillis}: its length, or 0 if none came. */
    int read(MemorySegment buffer, int timeoutMillis) throws IOException;

    /** One frame if the device has one queued now, without waiting: its length, or 0. */
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
