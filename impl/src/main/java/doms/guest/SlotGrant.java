package doms.guest;

import doms.cap.ControlProtocol;
import doms.cap.Memfd;
import doms.cap.Native;
import doms.cap.UnixSocket;
import doms.net.Tap;
import doms.shm.SharedMemory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What a guest gets from the control plane for its slot: the descriptor of its generation's
 * memory (a sealed memfd, mapped here) and, for a TAP guest, the descriptor of its TAP device,
 * which root opened for it. The guest holds its descriptor while it runs; a hostile one may
 * keep it for ever, and reaches only this generation's memory with it.
 */
public final class SlotGrant implements AutoCloseable {
    private final ControlProtocol.Grant grant;
    private int memfd;
    private final SharedMemory memory;
    private final Tap tap;

    private SlotGrant(final ControlProtocol.Grant grant, final int memfd, final SharedMemory memory, final Tap tap) {
        this.grant = grant;
        this.memfd = memfd;
        this.memory = memory;
        this.tap = tap;
    }

    /** Asks the control plane of the pool in {@code poolDir} for {@code slot}; IOException with its reason if refused. */
    public static SlotGrant request(final Path poolDir, final int slot) throws IOException {
        final UnixSocket.Message m;
        try (UnixSocket socket = ControlProtocol.connect(poolDir)) {
            m = ControlProtocol.call(socket, "GUEST " + slot, 10_000);
        }
        try {
            final ControlProtocol.Grant g = ControlProtocol.Grant.parse(m.text());
            final int expectFds = g.tap() == null ? 1 : 2;
            if (g.slot() != slot || m.fds().length != expectFds) {
                throw new IOException("unexpected reply '" + m.text() + "' with " + m.fds().length + " descriptor(s)");
            }
            final SharedMemory memory = Memfd.map(m.fds()[0], g.length());
            return new SlotGrant(g, m.fds()[0], memory, g.tap() == null ? null : Tap.adopt(m.fds()[1], g.tap()));
        } catch (IOException | RuntimeException e) {
            m.closeFds();
            throw e;
        }
    }

    public ControlProtocol.Grant grant() {
        return grant;
    }

    public SharedMemory memory() {
        return memory;
    }

    /** The memfd itself (a hostile guest tries its luck with it). */
    public synchronized int memfd() {
        return memfd;
    }

    /** The TAP the control plane opened for this guest, or null. */
    public Tap tap() {
        return tap;
    }

    /** Closes the descriptor and keeps the mapping (what a guest may do at any time, even mid-frame). */
    public synchronized void closeMemfd() {
        Native.close(memfd);
        memfd = -1;
    }

    @Override
    public void close() {
        if (tap != null) {
            tap.close();
        }
        memory.close();
        closeMemfd();
    }
}
