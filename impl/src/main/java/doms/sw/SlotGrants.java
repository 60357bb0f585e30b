package doms.sw;

import doms.cap.ControlProtocol;
import doms.cap.Memfd;
import doms.cap.Native;
import doms.cap.UnixSocket;
import doms.shm.SharedMemory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The switch's end of its one-way channel from the control plane: at boot it asks once for
 * every live slot generation's memfd and waits for them (the pool, as the paper's switch gets it
 * at boot); afterwards it only drains what the control plane pushed, without ever waiting. It
 * keeps the newest descriptor per slot until discovery maps it (then the descriptor is closed:
 * the mapping keeps the memory). If the control plane goes away the switch keeps forwarding for
 * the generations it has.
 *
 * <p>spec/pool: the switch's half of Assign's grant, consumed by Discover.
 */
public final class SlotGrants implements SlotSource {
    private final UnixSocket channel;
    private final int[] fd;
    private final long[] generation;
    private final long length;
    private boolean open = true;

    private SlotGrants(final UnixSocket channel, final int slots, final long length) {
        this.channel = channel;
        this.fd = new int[slots];
        this.generation = new long[slots];
        this.length = length;
        java.util.Arrays.fill(fd, -1);
    }

    /** Boot: connects to the pool's control plane and takes every live generation (waits at most {@code timeoutMillis}). */
    public static SlotGrants connect(final Path poolDir, final int slots, final long length, final int timeoutMillis) throws IOException {
        final UnixSocket channel = ControlProtocol.connect(poolDir);
        final SlotGrants grants = new SlotGrants(channel, slots, length);
        try {
            channel.send("SWITCH");
            final long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (true) {
                final int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
                final UnixSocket.Message m = channel.receive(left);
                if (m == null || m.eof()) {
                    throw new IOException("the control plane sent no pool (" + (m == null ? "timeout" : "closed") + ")");
                }
                if (m.text().equals("END")) {
                    return grants;
                }
                if (m.text().startsWith("ERR ")) {
                    throw new IOException("the control plane refused us: " + m.text().substring(4));
                }
                grants.take(m);
            }
        } catch (IOException | RuntimeException e) {
            grants.close();
            throw e;
        }
    }

    @Override
    public void poll() {
        while (open) {
            final UnixSocket.Message m;
            try {
                m = channel.receive(0);
            } catch (IOException e) {
                System.err.println("doms switch: control channel: " + e.getMessage());
                return;
            }
            if (m == null) {
                return;
            }
            if (m.eof()) {
                open = false;
                System.err.println("doms switch: the control plane closed our channel; serving the generations we have");
                return;
            }
            take(m);
        }
    }

    /** A SLOT message with exactly one descriptor, for a slot of this pool at a newer generation; anything else is closed. */
    private void take(final UnixSocket.Message m) {
        try {
            final ControlProtocol.Grant g = ControlProtocol.Grant.parse(m.text());
            if (m.fds().length != 1 || g.slot() < 0 || g.slot() >= fd.length || g.length() != length
                    || g.generation() <= generation[g.slot()]) {
                throw new IOException("unexpected grant '" + m.text() + "' with " + m.fds().length + " descriptor(s)");
            }
            Native.close(fd[g.slot()]);
            fd[g.slot()] = m.fds()[0];
            generation[g.slot()] = g.generation();
        } catch (IOException e) {
            m.closeFds();
            System.err.println("doms switch: control channel: " + e.getMessage());
        }
    }

    @Override
    public SharedMemory map(final int slot, final long generation, final long length) throws IOException {
        if (this.generation[slot] != generation || fd[slot] < 0) {
            return null;
        }
        try {
            return Memfd.map(fd[slot], length);
        } finally {
            Native.close(fd[slot]); // mapped, or unusable: either way we are done with it
            fd[slot] = -1;
        }
    }

    @Override
    public void close() {
        for (int slot = 0; slot < fd.length; slot++) {
            Native.close(fd[slot]);
            fd[slot] = -1;
        }
        channel.close();
    }
}
