package doms.control;

import doms.cap.ControlProtocol;
import doms.cap.Native;
import doms.cap.UnixSocket;
import doms.net.Tap;
import doms.pool.BindingTable;
import doms.pool.Mac;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The control plane's socket ({@link ControlProtocol}): hands each guest exactly its own slot
 * generation's memfd (and its TAP, opened here as root), checked by the peer's uid; gives a
 * booting switch every live generation and then pushes each new one without waiting for it
 * (the switch polls; a switch that stops reading loses its channel, never the control plane's
 * time); and takes the administrator's assign and retire. Descriptors a client sends are closed
 * unread.
 */
final class CapabilityServer implements AutoCloseable {
    /** What ASSIGN and RETIRE do (the control plane's own operations). */
    interface Operator {
        PoolAdmin.Assignment assign(long mac, int tenant, TapSpec tap) throws IOException;

        long retire(int slot) throws IOException, InterruptedException;
    }

    /** A TAP device the control plane opens for a slot's guest: its name and network namespace (null: ours). */
    record TapSpec(String name, String netns) {
    }

    private final PoolAdmin admin;
    private final Isolation isolation;
    private final Operator operator;
    private final UnixSocket listening;
    private final List<UnixSocket> switches = new CopyOnWriteArrayList<>();
    private final TapSpec[] taps;
    private final AtomicLong refused = new AtomicLong();
    private final int adminUid = ControlProtocol.ownUid();
    private final Thread acceptor;
    private volatile boolean closed;

    CapabilityServer(final PoolAdmin admin, final Isolation isolation, final Operator operator) throws IOException {
        this.admin = admin;
        this.isolation = isolation;
        this.operator = operator;
        this.taps = new TapSpec[admin.bindings().slots()];
        this.listening = UnixSocket.listen(admin.pool().control());
        admin.listener(this::push);
        this.acceptor = Thread.ofPlatform().daemon().name("doms-control-socket").start(this::acceptLoop);
    }

    /** The TAP the guest of {@code slot} gets with its memory (null: none). */
    synchronized void tap(final int slot, final TapSpec tap) {
        taps[slot] = tap;
    }

    private synchronized TapSpec tap(final int slot) {
        return taps[slot];
    }

    /** Requests refused for a peer's uid so far. */
    long refused() {
        return refused.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                final UnixSocket client = listening.accept(200);
                if (client != null) {
                    Thread.ofVirtual().start(() -> serve(client));
                }
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    System.err.println("doms control: control socket: " + e.getMessage());
                }
            }
        }
    }

    private void serve(final UnixSocket client) {
        boolean keep = false;
        try {
            final UnixSocket.Message m = client.receive(5000);
            if (m == null || m.eof()) {
                return;
            }
            m.closeFds(); // a client has nothing to hand us: never keep what it sent
            final UnixSocket.Peer peer = client.peer();
            final String[] w = m.text().strip().split(" ");
            switch (w[0]) {
                case "GUEST" -> guest(client, peer, w);
                case "SWITCH" -> keep = switchChannel(client, peer);
                case "ASSIGN" -> assign(client, peer, w);
                case "RETIRE" -> retire(client, peer, w);
                default -> client.send("ERR unknown request '" + w[0] + "'");
            }
        } catch (IOException | RuntimeException e) {
            reply(client, "ERR " + e.getMessage());
        } catch (InterruptedException e) {
            reply(client, "ERR interrupted");
            Thread.currentThread().interrupt();
        } finally {
            if (!keep) {
                client.close();
            }
        }
    }

    private static void reply(final UnixSocket client, final String text) {
        try {
            client.send(text.length() > UnixSocket.MAX_TEXT ? text.substring(0, UnixSocket.MAX_TEXT) : text);
        } catch (IOException | RuntimeException ignored) {
            // the client went away
        }
    }

    private boolean refuse(final UnixSocket client, final UnixSocket.Peer peer, final String what) throws IOException {
        refused.incrementAndGet();
        client.send("ERR refused: uid " + peer.uid() + " may not " + what);
        return false;
    }

    private int slot(final String[] w) {
        if (w.length != 2 || !w[1].matches("\\d{1,6}") || Integer.parseInt(w[1]) >= taps.length) {
            throw new IllegalArgumentException("expected a slot number 0.." + (taps.length - 1));
        }
        return Integer.parseInt(w[1]);
    }

    /** GUEST slot: the slot's live generation to its own guest, with its TAP if it has one. */
    private void guest(final UnixSocket client, final UnixSocket.Peer peer, final String[] w) throws IOException {
        final int slot = slot(w);
        if (!isolation.mayGuest(peer.uid(), slot, adminUid)) {
            refuse(client, peer, "take slot " + slot);
            return;
        }
        final TapSpec tap = tap(slot);
        final int tapFd = tap == null ? -1 : Tap.openFd(tap.netns(), tap.name(), true);
        try {
            final long word = admin.bindings().lvState(slot);
            if (BindingTable.state(word) != BindingTable.ASSIGNED) {
                client.send("ERR slot " + slot + " is not assigned");
                return;
            }
            final long generation = BindingTable.generation(word);
            final boolean sent = admin.withMemfd(slot, generation, fd -> {
                final var grant = new ControlProtocol.Grant(slot, generation, admin.slotLength(), tap == null ? null : tap.name());
                return tapFd < 0 ? client.sendNow(grant.encode(), fd) : client.sendNow(grant.encode(), fd, tapFd);
            });
            if (!sent) {
                client.send("ERR slot " + slot + " generation " + generation + " is no longer live");
            }
        } finally {
            Native.close(tapFd);
        }
    }

    /** SWITCH: every live generation, END, and the channel kept for what comes later. */
    private boolean switchChannel(final UnixSocket client, final UnixSocket.Peer peer) throws IOException {
        if (!isolation.maySwitch(peer.uid(), adminUid)) {
            return refuse(client, peer, "act as the switch");
        }
        final IOException[] failed = new IOException[1];
        synchronized (admin) { // no grant between the replay and the registration is missed
            admin.forEachLive((grant, fd) -> {
                try {
                    if (failed[0] == null && !client.sendNow(grant.encode(), fd)) {
                        failed[0] = new IOException("the switch's channel is full at boot");
                    }
                } catch (IOException e) {
                    failed[0] = e;
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
            client.send("END");
            switches.add(client);
        }
        return true;
    }

    /** A new generation, before the binding table publishes it: to every switch channel, without waiting. */
    private void push(final ControlProtocol.Grant grant, final int fd) {
        for (final UnixSocket sw : switches) {
            boolean ok;
            try {
                ok = sw.sendNow(grant.encode(), fd);
            } catch (IOException e) {
                ok = false;
            }
            if (!ok) {
                switches.remove(sw);
                sw.close();
            }
        }
    }

    private void assign(final UnixSocket client, final UnixSocket.Peer peer, final String[] w) throws IOException {
        if (peer.uid() != adminUid) {
            refuse(client, peer, "assign");
            return;
        }
        if (w.length < 3 || w.length > 5) {
            throw new IllegalArgumentException("ASSIGN mac tenant [tap=NAME [netns=NS]]");
        }
        String tapName = null;
        String netns = null;
        for (int i = 3; i < w.length; i++) {
            if (w[i].startsWith("tap=")) {
                tapName = w[i].substring(4);
                Tap.checkName(tapName);
            } else if (w[i].startsWith("netns=") && w[i].length() > 6 && w[i].matches("netns=[A-Za-z0-9_.-]+")) {
                netns = w[i].substring(6);
            } else {
                throw new IllegalArgumentException("unknown ASSIGN field '" + w[i] + "'");
            }
        }
        final PoolAdmin.Assignment a = operator.assign(Mac.parse(w[1]), Integer.parseInt(w[2]),
                tapName == null ? null : new TapSpec(tapName, netns));
        client.send("OK " + a.slot() + " " + a.generation());
    }

    private void retire(final UnixSocket client, final UnixSocket.Peer peer, final String[] w) throws IOException, InterruptedException {
        if (peer.uid() != adminUid) {
            refuse(client, peer, "retire");
            return;
        }
        final int slot = slot(w);
        client.send("OK " + slot + " " + operator.retire(slot));
    }

    @Override
    public void close() {
        closed = true;
        listening.close();
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        switches.forEach(UnixSocket::close);
        switches.clear();
    }
}
