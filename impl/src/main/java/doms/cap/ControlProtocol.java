package doms.cap;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The control plane's socket protocol (proofs-notes/control-protocol.md): one text message per
 * SOCK_SEQPACKET datagram, descriptors alongside. A client first checks that the server is
 * root or its own uid (SO_PEERCRED), then sends one request:
 *
 * <pre>
 *   GUEST slot                  -> SLOT slot gen length [tap=NAME]   + memfd [, TAP fd]   | ERR why
 *   SWITCH                      -> SLOT slot gen length + memfd, one per live generation, then END;
 *                                  later one SLOT per new generation (the switch polls, never waits)
 *   ASSIGN mac tenant [tap=NAME [netns=NS]]  -> OK slot gen   | ERR why      (the administrator only)
 *   RETIRE slot                 -> OK slot gen   | ERR why                   (the administrator only)
 * </pre>
 */
public final class ControlProtocol {
    public static final String SOCKET_NAME = "control.sock";

    private ControlProtocol() {
    }

    /** One generation's memory, as announced with its descriptor. */
    public record Grant(int slot, long generation, long length, String tap) {
        public String encode() {
            return "SLOT " + slot + " " + generation + " " + length + (tap == null ? "" : " tap=" + tap);
        }

        /** Parses a SLOT message; IOException if it is not one. */
        public static Grant parse(final String text) throws IOException {
            final String[] w = text.split(" ");
            try {
                if (w.length >= 4 && w.length <= 5 && w[0].equals("SLOT")) {
                    final String tap = w.length == 5 && w[4].startsWith("tap=") ? w[4].substring(4) : null;
                    if (w.length == 4 || tap != null) {
                        return new Grant(Integer.parseInt(w[1]), Long.parseLong(w[2]), Long.parseLong(w[3]), tap);
                    }
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IOException("not a SLOT message: '" + text + "'");
        }
    }

    /**
     * Connects to the control plane of the pool in {@code poolDir}, after checking that the
     * process listening there is root or this process's own uid (nobody else may play it).
     */
    public static UnixSocket connect(final Path poolDir) throws IOException {
        final Path path = poolDir.resolve(SOCKET_NAME);
        final UnixSocket socket;
        try {
            socket = UnixSocket.connect(path);
        } catch (IOException e) {
            throw new IOException("no control plane at " + path + " (" + e.getMessage() + "): start one with 'doms control --pool "
                    + poolDir + "'", e);
        }
        final int uid = socket.peer().uid();
        if (uid != 0 && uid != ownUid()) {
            socket.close();
            throw new IOException(path + " is served by uid " + uid + ", neither root nor us: refused");
        }
        return socket;
    }

    /** One request, one reply (waits at most {@code timeoutMillis}). */
    public static UnixSocket.Message call(final UnixSocket socket, final String request, final int timeoutMillis) throws IOException {
        socket.send(request);
        final UnixSocket.Message reply = socket.receive(timeoutMillis);
        if (reply == null) {
            throw new IOException("the control plane did not answer '" + request + "' within " + timeoutMillis + " ms");
        }
        if (reply.eof()) {
            throw new IOException("the control plane closed the connection on '" + request + "'");
        }
        if (reply.text().startsWith("ERR ")) {
            reply.closeFds();
            throw new IOException("the control plane refused '" + request + "': " + reply.text().substring(4));
        }
        return reply;
    }

    private static int ownUid = -1;

    /** This process's uid (from /proc, no native call needed). */
    public static synchronized int ownUid() {
        if (ownUid < 0) {
            try {
                ownUid = (Integer) java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            } catch (IOException | UnsupportedOperationException e) {
                throw new IllegalStateException("cannot tell this process's uid", e);
            }
        }
        return ownUid;
    }
}
