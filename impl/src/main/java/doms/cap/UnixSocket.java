package doms.cap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Unix domain socket of datagrams with boundaries (SOCK_SEQPACKET) through the FFM API, which
 * carries descriptors ({@code SCM_RIGHTS}) and tells who is at the other end ({@code SO_PEERCRED},
 * filled in by the kernel: a peer cannot lie about its uid). The JDK's own Unix sockets do
 * neither. One message is one short text and up to {@link #MAX_FDS} descriptors.
 *
 * <pre>
 *   struct msghdr (56 bytes, x86-64)        struct cmsghdr + data
 *    0 msg_name        8 msg_namelen         0 cmsg_len (u64)   8 cmsg_level (SOL_SOCKET)
 *   16 msg_iov        24 msg_iovlen         12 cmsg_type (SCM_RIGHTS)   16 int fds[n]
 *   32 msg_control    40 msg_controllen
 *   48 msg_flags
 * </pre>
 */
public final class UnixSocket implements AutoCloseable {
    public static final int MAX_TEXT = 1024;
    public static final int MAX_FDS = 4;
    static final int AF_UNIX = 1;
    static final int SOCK_SEQPACKET = 5;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SCM_RIGHTS = 1;
    static final int SO_PEERCRED = 17;
    static final int MSG_CTRUNC = 0x8;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int MSG_CMSG_CLOEXEC = 0x40000000;
    static final short POLLIN = 1;
    static final int SUN_PATH = 108;
    static final long CMSG_SPACE = 16 + MAX_FDS * 4;

    private static final MethodHandle SOCKET = Native.withErrno("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = Native.withErrno("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = Native.withErrno("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 = Native.withErrno("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = Native.withErrno("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDMSG = Native.withErrno("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = Native.withErrno("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKOPT = Native.withErrno("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle POLL = Native.withErrno("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    /** One message: its text and the descriptors that came with it (the receiver owns them). */
    public record Message(String text, int[] fds) {
        /** The peer closed its end. */
        public static final Message EOF = new Message(null, new int[0]);

        public boolean eof() {
            return text == null;
        }

        /** Closes every descriptor that came with this message. */
        public void closeFds() {
            for (final int fd : fds) {
                Native.close(fd);
            }
        }
    }

    /** Who is at the other end, as the kernel recorded it at connect (or listen) time. */
    public record Peer(int pid, int uid, int gid) {
    }

    private final int fd;
    private final Object sendLock = new Object();
    private volatile boolean closed;

    private UnixSocket(final int fd) {
        this.fd = fd;
    }

    private static MemorySegment address(final Arena arena, final Path path) {
        final byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= SUN_PATH) {
            throw new IllegalArgumentException("socket path too long (at most " + (SUN_PATH - 1) + " bytes): " + path);
        }
        final MemorySegment sun = arena.allocate(2 + SUN_PATH);
        sun.set(JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(bytes, 0, sun, ValueLayout.JAVA_BYTE, 2, bytes.length);
        return sun;
    }

    private static int newSocket(final MemorySegment state) throws Throwable {
        final int fd = (int) SOCKET.invokeExact(state, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Native.failure("socket(AF_UNIX, SOCK_SEQPACKET)", state);
        }
        return fd;
    }

    /** Listens at {@code path} (a stale socket file there is replaced), open to every uid: peers are checked by credentials. */
    public static UnixSocket listen(final Path path) throws IOException {
        Files.deleteIfExists(path);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = Native.callState(arena);
            final int fd = newSocket(state);
            final MemorySegment sun = address(arena, path);
            if ((int) BIND.invokeExact(state, fd, sun, (int) sun.byteSize()) < 0 || (int) LISTEN.invokeExact(state, fd, 64) < 0) {
                final IOException e = Native.failure("bind/listen on " + path, state);
                Native.close(fd);
                throw e;
            }
            Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
            return new UnixSocket(fd);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    /** Connects to a listening socket at {@code path}. */
    public static UnixSocket connect(final Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = Native.callState(arena);
            final int fd = newSocket(state);
            final MemorySegment sun = address(arena, path);
            if ((int) CONNECT.invokeExact(state, fd, sun, (int) sun.byteSize()) < 0) {
                final IOException e = Native.failure("connect to " + path, state);
                Native.close(fd);
                throw e;
            }
            return new UnixSocket(fd);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    /** The next connection, or null if none came within {@code timeoutMillis} (or the socket was closed). */
    public UnixSocket accept(final int timeoutMillis) throws IOException {
        if (!readable(timeoutMillis)) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = Native.callState(arena);
            final int client = (int) ACCEPT4.invokeExact(state, fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
            if (client < 0) {
                final int errno = Native.errno(state);
                if (errno == Native.EINTR || errno == Native.EAGAIN || closed) {
                    return null;
                }
                throw Native.failure("accept", state);
            }
            return new UnixSocket(client);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    private boolean readable(final int timeoutMillis) throws IOException {
        if (closed) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = Native.callState(arena);
            final MemorySegment pollFd = arena.allocate(8, 4);
            pollFd.set(JAVA_INT, 0, fd);
            pollFd.set(JAVA_SHORT, 4, POLLIN);
            final int ready = (int) POLL.invokeExact(state, pollFd, 1L, timeoutMillis);
            if (ready < 0 && Native.errno(state) != Native.EINTR) {
                throw Native.failure("poll", state);
            }
            return ready > 0;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    /** Who is at the other end. */
    public Peer peer() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = Native.callState(arena);
            final MemorySegment cred = arena.allocate(12, 4);
            final MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, 12);
            if ((int) GETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_PEERCRED, cred, length) < 0) {
                throw Native.failure("SO_PEERCRED", state);
            }
            return new Peer(cred.get(JAVA_INT, 0), cred.get(JAVA_INT, 4), cred.get(JAVA_INT, 8));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    /** Sends one message with {@code fds} (which stay open here); waits for room. */
    public void send(final String text, final int... fds) throws IOException {
        if (!send(text, 0, fds)) {
            throw new IOException("send: no room");
        }
    }

    /** Sends one message without waiting: false if the peer's queue is full (the peer is not reading). */
    public boolean sendNow(final String text, final int... fds) throws IOException {
        return send(text, MSG_DONTWAIT, fds);
    }

    private boolean send(final String text, final int flags, final int... fds) throws IOException {
        synchronized (sendLock) {
            return sendLocked(text, flags, fds);
        }
    }

    private boolean sendLocked(final String text, final int flags, final int... fds) throws IOException {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > MAX_TEXT || fds.length > MAX_FDS) {
            throw new IllegalArgumentException("a message is 1.." + MAX_TEXT + " bytes and at most " + MAX_FDS + " descriptors");
        }
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = Native.callState(arena);
            final MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
            final MemorySegment msg = message(arena, data, bytes.length);
            if (fds.length > 0) {
                final MemorySegment control = arena.allocate(CMSG_SPACE, 8);
                control.set(JAVA_LONG, 0, 16 + 4L * fds.length);
                control.set(JAVA_INT, 8, SOL_SOCKET);
                control.set(JAVA_INT, 12, SCM_RIGHTS);
                for (int i = 0; i < fds.length; i++) {
                    control.set(JAVA_INT, 16 + 4L * i, fds[i]);
                }
                msg.set(ADDRESS, 32, control);
                msg.set(JAVA_LONG, 40, (16 + 4L * fds.length + 7) & ~7L);
            }
            while (true) {
                final long n = (long) SENDMSG.invokeExact(state, fd, msg, flags | MSG_NOSIGNAL);
                if (n >= 0) {
                    return true;
                }
                final int errno = Native.errno(state);
                if (errno == Native.EAGAIN && (flags & MSG_DONTWAIT) != 0) {
                    return false;
                }
                if (errno != Native.EINTR) {
                    throw Native.failure("sendmsg", state);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    private static MemorySegment message(final Arena arena, final MemorySegment data, final long length) {
        final MemorySegment iov = arena.allocate(16, 8);
        iov.set(ADDRESS, 0, data);
        iov.set(JAVA_LONG, 8, length);
        final MemorySegment msg = arena.allocate(56, 8);
        msg.set(ADDRESS, 16, iov);
        msg.set(JAVA_LONG, 24, 1L);
        return msg;
    }

    /**
     * The next message: waits at most {@code timeoutMillis} (0: not at all; negative: for ever).
     * Null if none came by then; {@link Message#EOF} when the peer closed. A message cut short
     * (longer text or more descriptors than allowed) is refused: its descriptors are closed and
     * an IOException says why.
     */
    public Message receive(final int timeoutMillis) throws IOException {
        if (timeoutMillis != 0 && !readable(timeoutMillis)) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = Native.callState(arena);
            final MemorySegment data = arena.allocate(MAX_TEXT);
            final MemorySegment msg = message(arena, data, MAX_TEXT);
            final MemorySegment control = arena.allocate(CMSG_SPACE, 8);
            msg.set(ADDRESS, 32, control);
            msg.set(JAVA_LONG, 40, CMSG_SPACE);
            long n;
            do {
                n = (long) RECVMSG.invokeExact(state, fd, msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
            } while (n < 0 && Native.errno(state) == Native.EINTR);
            if (n < 0) {
                if (Native.errno(state) == Native.EAGAIN) {
                    return null;
                }
                throw Native.failure("recvmsg", state);
            }
            final int[] fds = descriptors(control, msg.get(JAVA_LONG, 40));
            if (n == 0 && fds.length == 0) {
                return Message.EOF;
            }
            final String text = new String(data.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            final Message m = new Message(text, fds);
            if ((msg.get(JAVA_INT, 48) & (MSG_CTRUNC | MSG_TRUNC)) != 0) {
                m.closeFds();
                throw new IOException("a message longer than " + MAX_TEXT + " bytes or with more than " + MAX_FDS + " descriptors");
            }
            return m;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    private static int[] descriptors(final MemorySegment control, final long controlLength) {
        final java.util.List<Integer> fds = new java.util.ArrayList<>();
        long at = 0;
        while (at + 16 <= controlLength) {
            final long length = control.get(JAVA_LONG, at);
            if (length < 16 || at + length > controlLength) {
                break;
            }
            if (control.get(JAVA_INT, at + 8) == SOL_SOCKET && control.get(JAVA_INT, at + 12) == SCM_RIGHTS) {
                for (long i = at + 16; i + 4 <= at + length; i += 4) {
                    fds.add(control.get(JAVA_INT, i));
                }
            }
            at += (length + 7) & ~7L;
        }
        return fds.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Native.close(fd);
        }
    }
}
