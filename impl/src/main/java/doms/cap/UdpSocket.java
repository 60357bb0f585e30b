package doms.cap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;

/**
 * A non-blocking UDP socket of its own (IPv4 or IPv6), for the one thing Java's
 * {@code DatagramChannel} cannot do: send a run of equal datagrams with one {@code sendmsg}
 * and {@code UDP_SEGMENT} (Linux 4.18), the kernel cutting them apart, in the NIC where it can.
 * One thread uses it. Buffers passed in must be native memory.
 *
 * <pre>
 *   sockaddr_in  (16): family u16 | port u16 BE | addr[4] | zero[8]
 *   sockaddr_in6 (28): family u16 | port u16 BE | flowinfo u32 | addr[16] | scope_id u32
 *   msghdr       (56): name* | namelen u32 | pad | iov* | iovlen u64 | control* | controllen u64 | flags
 *   cmsghdr      (24): len u64 = 18 | level i32 = SOL_UDP | type i32 = UDP_SEGMENT | u16 size | pad
 * </pre>
 */
public final class UdpSocket implements AutoCloseable {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVBUF = 8;
    static final int SOL_UDP = 17;
    static final int UDP_SEGMENT = 103;
    static final int EINVAL = 22;
    static final int EIO = 5;
    static final int ENOPROTOOPT = 92;
    /** What one {@code UDP_SEGMENT} send may carry (the kernel's UDP_MAX_SEGMENTS on older kernels). */
    public static final int MAX_SEGMENTS = 64;
    /** {@link #sendSegments} when the kernel will not segment this send (no UDP_SEGMENT, a size over the MTU): send one by one. */
    public static final int SEGMENTS_REFUSED = -2;
    private static final int SOCKADDR = 28;

    private static final MethodHandle SOCKET = Native.withErrno("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = Native.withErrno("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle BIND = Native.withErrno("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = Native.withErrno("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle RECVFROM = Native.withErrno("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SENDTO = Native.withErrno("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDMSG = Native.withErrno("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));

    private final boolean v6;
    private int fd;
    // Private scratch memory for the calls, reused: the switch's round allocates nothing per datagram.
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment state = Native.callState(arena);
    private final MemorySegment from = arena.allocate(SOCKADDR, 8);
    private final MemorySegment fromLength = arena.allocate(JAVA_INT);
    private final MemorySegment to = arena.allocate(SOCKADDR, 8);
    private final MemorySegment msg = arena.allocate(56, 8);
    private final MemorySegment iov = arena.allocate(16, 8);
    private final MemorySegment control = arena.allocate(24, 8);
    private final byte[] lastFrom = new byte[SOCKADDR];
    private InetSocketAddress lastSource;
    private InetSocketAddress lastTo;

    private UdpSocket(final int fd, final boolean v6) {
        this.fd = fd;
        this.v6 = v6;
        msg.set(ADDRESS, 0, to);
        msg.set(ADDRESS, 16, iov);
        msg.set(JAVA_LONG, 24, 1L);
        msg.set(ADDRESS, 32, control);
        msg.set(JAVA_LONG, 40, control.byteSize());
        control.set(JAVA_LONG, 0, 18L);
        control.set(JAVA_INT, 8, SOL_UDP);
        control.set(JAVA_INT, 12, UDP_SEGMENT);
    }

    /** Binds a socket to {@code local} with a receive buffer of {@code receiveBuffer} bytes; the reason in the IOException if not. */
    public static UdpSocket open(final InetSocketAddress local, final int receiveBuffer) throws IOException {
        final boolean v6 = local.getAddress() instanceof Inet6Address;
        try {
            final MemorySegment state = Native.callState(Arena.ofAuto());
            final int fd = (int) SOCKET.invokeExact(state, v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw Native.failure("socket(UDP)", state);
            }
            final UdpSocket socket = new UdpSocket(fd, v6);
            try (Arena arena = Arena.ofConfined()) {
                final MemorySegment size = arena.allocateFrom(JAVA_INT, receiveBuffer);
                if ((int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_RCVBUF, size, 4) < 0) {
                    throw Native.failure("setsockopt(SO_RCVBUF)", state);
                }
                final int length = socket.encode(local, socket.to);
                if ((int) BIND.invokeExact(state, fd, socket.to, length) < 0) {
                    throw Native.failure("bind " + local, state);
                }
                return socket;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    /** Takes the next datagram into {@code into} (at most {@code capacity} bytes): its length, or -1 when none is waiting. */
    public int receive(final MemorySegment into, final long capacity) throws IOException {
        if (capacity > into.byteSize()) {
            throw new IllegalArgumentException(capacity + " bytes asked of a buffer of " + into.byteSize());
        }
        final int fd = open();
        try {
            long n;
            do {
                fromLength.set(JAVA_INT, 0, SOCKADDR);
                n = (long) RECVFROM.invokeExact(state, fd, into, capacity, 0, from, fromLength);
            } while (n < 0 && Native.errno(state) == Native.EINTR);
            if (n < 0) {
                if (Native.errno(state) == Native.EAGAIN) {
                    return -1;
                }
                throw Native.failure("recvfrom", state);
            }
            return (int) n;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    /** Where the last datagram {@link #receive} took came from (the same object while the sender is the same). */
    public InetSocketAddress source() throws UnknownHostException {
        final int length = Math.min(fromLength.get(JAVA_INT, 0), SOCKADDR);
        boolean same = lastSource != null;
        for (int i = 0; i < length && same; i++) {
            same = lastFrom[i] == from.get(JAVA_BYTE, i);
        }
        if (!same) {
            MemorySegment.copy(from, JAVA_BYTE, 0, lastFrom, 0, length);
            lastSource = decode(from);
        }
        return lastSource;
    }

    /** Sends one datagram: {@code length}, or 0 when the socket's buffer is full (nothing sent). */
    public int send(final MemorySegment data, final long offset, final int length, final InetSocketAddress target) throws IOException {
        final int fd = open();
        try {
            final int toLength = destination(target);
            long n;
            do {
                n = (long) SENDTO.invokeExact(state, fd, data.asSlice(offset, length), (long) length, 0, to, toLength);
            } while (n < 0 && Native.errno(state) == Native.EINTR);
            if (n < 0) {
                if (Native.errno(state) == Native.EAGAIN) {
                    return 0;
                }
                throw Native.failure("sendto " + target, state);
            }
            return (int) n;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    /**
     * Sends {@code length} bytes as datagrams of {@code segmentSize} bytes each (the last may be
     * shorter) with one {@code sendmsg} and {@code UDP_SEGMENT}: {@code length}, 0 when the
     * socket's buffer is full, or {@link #SEGMENTS_REFUSED} when the kernel will not segment it.
     */
    public int sendSegments(final MemorySegment data, final long offset, final int length, final int segmentSize,
                            final InetSocketAddress target) throws IOException {
        if (segmentSize < 1 || segmentSize > 0xFFFF || length < 1) {
            throw new IllegalArgumentException("segments of " + segmentSize + " bytes in " + length);
        }
        final int fd = open();
        try {
            msg.set(JAVA_INT, 8, destination(target));
            iov.set(ADDRESS, 0, data.asSlice(offset, length));
            iov.set(JAVA_LONG, 8, length);
            control.set(JAVA_SHORT, 16, (short) segmentSize);
            long n;
            do {
                n = (long) SENDMSG.invokeExact(state, fd, msg, 0);
            } while (n < 0 && Native.errno(state) == Native.EINTR);
            if (n < 0) {
                final int errno = Native.errno(state);
                if (errno == Native.EAGAIN) {
                    return 0;
                }
                if (errno == EINVAL || errno == EIO || errno == ENOPROTOOPT) {
                    return SEGMENTS_REFUSED;
                }
                throw Native.failure("sendmsg(UDP_SEGMENT) " + target, state);
            }
            return (int) n;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    /** The address the socket is bound to. */
    public InetSocketAddress localAddress() throws IOException {
        final int fd = open();
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment name = arena.allocate(SOCKADDR, 8);
            final MemorySegment length = arena.allocateFrom(JAVA_INT, SOCKADDR);
            if ((int) GETSOCKNAME.invokeExact(state, fd, name, length) < 0) {
                throw Native.failure("getsockname", state);
            }
            return decode(name);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    /** Closes the descriptor once; every later call throws ClosedChannelException (never a call on a reused number). */
    @Override
    public void close() {
        final int closing = fd;
        fd = -1;
        Native.close(closing);
    }

    private int open() throws ClosedChannelException {
        if (fd < 0) {
            throw new ClosedChannelException();
        }
        return fd;
    }

    /** Writes {@code target} into {@code to} unless it is already there; its length. */
    private int destination(final InetSocketAddress target) {
        final int length = v6 ? SOCKADDR : 16;
        if (target != lastTo) {
            lastTo = null; // until encode succeeds: it may refuse the address after clearing the buffer
            encode(target, to);
            lastTo = target;
        }
        return length;
    }

    private int encode(final InetSocketAddress address, final MemorySegment into) {
        into.fill((byte) 0);
        final byte[] raw = address.getAddress().getAddress();
        into.set(JAVA_BYTE, 2, (byte) (address.getPort() >>> 8));
        into.set(JAVA_BYTE, 3, (byte) address.getPort());
        if (!v6) {
            if (raw.length != 4) {
                throw new IllegalArgumentException(address + " is not an IPv4 address");
            }
            into.set(JAVA_SHORT, 0, (short) AF_INET);
            MemorySegment.copy(raw, 0, into, JAVA_BYTE, 4, 4);
            return 16;
        }
        into.set(JAVA_SHORT, 0, (short) AF_INET6);
        final byte[] v6raw = raw.length == 16 ? raw : mapped(raw);
        MemorySegment.copy(v6raw, 0, into, JAVA_BYTE, 8, 16);
        if (address.getAddress() instanceof Inet6Address a) {
            into.set(JAVA_INT, 24, a.getScopeId());
        }
        return SOCKADDR;
    }

    private static byte[] mapped(final byte[] v4) {
        final byte[] v6 = new byte[16];
        v6[10] = (byte) 0xFF;
        v6[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, v6, 12, 4);
        return v6;
    }

    private static InetSocketAddress decode(final MemorySegment name) throws UnknownHostException {
        final int port = (Byte.toUnsignedInt(name.get(JAVA_BYTE, 2)) << 8) | Byte.toUnsignedInt(name.get(JAVA_BYTE, 3));
        final InetAddress address;
        if (name.get(JAVA_SHORT, 0) == AF_INET) {
            address = InetAddress.getByAddress(name.asSlice(4, 4).toArray(JAVA_BYTE));
        } else {
            final byte[] raw = name.asSlice(8, 16).toArray(JAVA_BYTE);
            final int scope = name.get(JAVA_INT, 24);
            address = scope == 0 ? InetAddress.getByAddress(raw) : Inet6Address.getByAddress(null, raw, scope);
        }
        return new InetSocketAddress(address, port);
    }
}
