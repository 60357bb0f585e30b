package doms.net;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TAP device through the FFM API: {@code open("/dev/net/tun")}, then
 * {@code ioctl(TUNSETIFF)} with {@code IFF_TAP | IFF_NO_PI}, so that each {@code read} returns
 * one whole Ethernet frame and each {@code write} sends one, with no extra header. errno is
 * captured with each call ({@link Linker.Option#captureCallState}) and reported by name.
 *
 * <p>In doms the control plane opens each guest's TAP as root ({@link #openFd(String, String)})
 * and passes the descriptor over its socket; the guest {@link #adopt adopts} it. By hand, a
 * process may also attach to a device that root created for its uid ({@code ip tuntap add dev
 * NAME mode tap user UID}) where /dev/net/tun is open to it.
 *
 * <p>One thread reads and one thread writes (each call has its own errno buffer for that).
 *
 * <pre>
 *   struct ifreq (40 bytes on x86-64, linux/if.h)
 *   0                16        18                                  40
 *   +----------------+---------+-----------------------------------+
 *   | ifr_name[16]   | flags   | (union: sockaddr for the address) |
 *   +----------------+---------+-----------------------------------+
 *   as sockaddr for SIOC[GS]IFHWADDR: 16 sa_family (1 = ARPHRD_ETHER), 18 the six address bytes
 * </pre>
 */
public final class Tap implements FrameDevice, AutoCloseable {
    static final long TUNSETIFF = 0x400454caL;
    static final long SIOCGIFHWADDR = 0x8927L;
    static final long SIOCSIFHWADDR = 0x8924L;
    static final short IFF_TAP = 0x0002;
    static final short IFF_NO_PI = 0x1000;
    /** Each read and write starts with a virtio-net header (VirtioNetHeader, 10 bytes). */
    static final short IFF_VNET_HDR = 0x4000;
    static final long TUNGETIFF = 0x800454d2L;
    static final long TUNSETOFFLOAD = 0x400454d0L;
    /** TUNSETOFFLOAD flags: the kernel may hand over frames whose checksum is still to complete, and TCP and UDP super-frames. */
    public static final int TUN_F_CSUM = 0x01;
    public static final int TUN_F_TSO4 = 0x02;
    public static final int TUN_F_TSO6 = 0x04;
    public static final int TUN_F_TSO_ECN = 0x08;
    public static final int TUN_F_USO4 = 0x20;
    public static final int TUN_F_USO6 = 0x40;
    static final int O_RDWR = 2;
    static final int O_RDONLY = 0;
    static final int CLONE_NEWNET = 0x40000000;
    static final int O_CLOEXEC = 0x80000;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int O_NONBLOCK = 0x800;
    static final short POLLIN = 1;
    static final int IFNAMSIZ = 16;
    static final int IFREQ_SIZE = 40;
    static final short ARPHRD_ETHER = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), ERRNO_OPTION);
    // ioctl is variadic after its second argument: the linker must pass the third as a variadic one.
    private static final MethodHandle IOCTL = downcall("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2), ERRNO_OPTION);
    private static final MethodHandle READ = downcall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle WRITE = downcall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle WRITEV = downcall("writev", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), ERRNO_OPTION);
    private static final MethodHandle IOCTL_INT = downcall("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(2), ERRNO_OPTION);
    private static final MethodHandle POLL = downcall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO_OPTION);
    // fcntl is variadic after its second argument, as ioctl.
    private static final MethodHandle FCNTL = downcall("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SETNS = downcall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO_OPTION);
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = downcall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private final int fd;
    private final String name;
    /** O_NONBLOCK is set: a read returns EAGAIN instead of waiting, so a busy reader pays one read(2) a frame. */
    private final boolean nonBlocking;
    private final MemorySegment readState = Arena.ofAuto().allocate(CALL_STATE);
    private final MemorySegment writeState = Arena.ofAuto().allocate(CALL_STATE);
    /** struct pollfd { int fd; short events; short revents; } for the reading thread. */
    private final MemorySegment pollFd = Arena.ofAuto().allocate(8, 4);
    /** Reads and writes carry a virtio-net header: the descriptor was attached with IFF_VNET_HDR. */
    private final boolean vnetHeader;
    /** For a plain frame on a vnet-header descriptor: struct iovec[2] = {an all-zero header, the frame}. */
    private final MemorySegment iov = Arena.ofAuto().allocate(32, 8);
    private final MemorySegment emptyHeader = Arena.ofAuto().allocate(VirtioNetHeader.LENGTH, 8);
    private volatile boolean closed;

    private Tap(final int fd, final String name) {
        this.fd = fd;
        this.name = name;
        this.nonBlocking = setNonBlocking(fd);
        this.vnetHeader = (flags(fd) & IFF_VNET_HDR) != 0;
        iov.set(JAVA_LONG, 0, emptyHeader.address());
        iov.set(JAVA_LONG, 8, VirtioNetHeader.LENGTH);
    }

    /** The descriptor's TUNGETIFF flags (IFF_TAP, IFF_NO_PI, IFF_VNET_HDR, ...), 0 when the kernel will not say. */
    private static int flags(final int fd) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(CALL_STATE);
            final MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
            return (int) IOCTL.invokeExact(state, fd, TUNGETIFF, ifreq) < 0 ? 0 : Short.toUnsignedInt(ifreq.get(JAVA_SHORT, IFNAMSIZ));
        } catch (Throwable t) {
            return 0;
        }
    }

    /** True when every read and write of this TAP starts with a virtio-net header. */
    @Override
    public boolean vnetHeader() {
        return vnetHeader;
    }

    /**
     * Asks the kernel for offloads (TUNSETOFFLOAD {@code flags}): frames whose TCP or UDP
     * checksum is left to complete, and TCP (and UDP, where the kernel has it) super-frames of up
     * to 64 KiB. Only on a vnet-header descriptor. Returns the flags the kernel took: the request,
     * or the request without USO on a kernel that does not know it, or 0.
     */
    public int offload(final int flags) {
        if (!vnetHeader) {
            return 0;
        }
        for (final int f : new int[] {flags, flags & ~(TUN_F_USO4 | TUN_F_USO6)}) {
            try (Arena arena = Arena.ofConfined()) {
                if ((int) IOCTL_INT.invokeExact(arena.allocate(CALL_STATE), fd, TUNSETOFFLOAD, (long) f) == 0) {
                    return f;
                }
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        return 0;
    }

    /** Sets O_NONBLOCK on the descriptor; false (left blocking: each read waits in poll first) if fcntl refuses. */
    private static boolean setNonBlocking(final int fd) {
        try {
            final int flags = (int) FCNTL.invokeExact(fd, F_GETFL, 0);
            return flags >= 0 && (int) FCNTL.invokeExact(fd, F_SETFL, flags | O_NONBLOCK) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    private static MethodHandle downcall(final String function, final FunctionDescriptor descriptor, final Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(function)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + function)), descriptor, options);
    }

    /** Attaches to (or, with CAP_NET_ADMIN, creates) the TAP device {@code name}. */
    public static Tap open(final String name) throws IOException {
        return new Tap(openFd(name), name);
    }

    /**
     * A TAP descriptor that the control plane opened and passed over its socket: the guest never
     * opens /dev/net/tun itself (its mode may be 0600, as the host's administrator set it).
     */
    public static Tap adopt(final int fd, final String name) {
        checkName(name);
        return new Tap(fd, name);
    }

    /**
     * Opens {@code /dev/net/tun} and attaches it to the device {@code name} in the network
     * namespace {@code netns} ({@code /run/netns/NAME}, as {@code ip netns} makes; null: this
     * process's own). A TAP belongs to the namespace it was opened in, so the open runs on a
     * thread of its own that first enters that namespace (setns affects the calling thread only)
     * and then ends. Returns the descriptor.
     */
    public static int openFd(final String netns, final String name, final boolean vnetHeader) throws IOException {
        if (netns == null) {
            return openFd(name, vnetHeader);
        }
        final int[] fd = {-1};
        final IOException[] failure = new IOException[1];
        final Thread opener = Thread.ofPlatform().name("doms-tap-open").start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                final MemorySegment state = arena.allocate(CALL_STATE);
                final int ns = (int) OPEN.invokeExact(state, arena.allocateFrom("/run/netns/" + netns), O_RDONLY | O_CLOEXEC);
                if (ns < 0) {
                    throw new IOException("cannot open network namespace " + netns + ": " + error(state));
                }
                final int entered = (int) SETNS.invokeExact(state, ns, CLONE_NEWNET);
                final int ignored = (int) CLOSE.invokeExact(ns);
                if (entered < 0) {
                    throw new IOException("cannot enter network namespace " + netns + ": " + error(state));
                }
                fd[0] = openFd(name, vnetHeader);
            } catch (IOException e) {
                failure[0] = e;
            } catch (Throwable t) {
                failure[0] = new IOException(t.toString(), t);
            }
        });
        try {
            opener.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening " + name);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return fd[0];
    }

    static int openFd(final String name) throws IOException {
        return openFd(name, false);
    }

    /** As {@link #openFd(String)}; with {@code vnetHeader}, reads and writes carry a virtio-net header (IFF_VNET_HDR). */
    static int openFd(final String name, final boolean vnetHeader) throws IOException {
        checkName(name);
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = arena.allocate(CALL_STATE);
            final int fd = (int) OPEN.invokeExact(state, arena.allocateFrom("/dev/net/tun"), O_RDWR | O_CLOEXEC);
            if (fd < 0) {
                throw new IOException("cannot open /dev/net/tun: " + error(state));
            }
            final MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
            MemorySegment.copy(bytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, bytes.length);
            ifreq.set(JAVA_SHORT, IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI | (vnetHeader ? IFF_VNET_HDR : 0)));
            if ((int) IOCTL.invokeExact(state, fd, TUNSETIFF, ifreq) < 0) {
                final String why = error(state);
                final int ignored = (int) CLOSE.invokeExact(fd);
                throw new IOException("cannot attach to TAP device " + name + " (TUNSETIFF): " + why
                        + " (as root: ip tuntap add dev " + name + " mode tap)");
            }
            return fd;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Throws IllegalArgumentException with a one-line message unless {@code name} is a valid interface name. */
    public static void checkName(final String name) {
        if (name.isEmpty() || name.length() >= IFNAMSIZ || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("bad interface name '" + name + "': 1 to 15 letters, digits, '_', '.' or '-'");
        }
    }

    /** The device's Ethernet address. */
    public long address() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment ifreq = ifreq(arena);
            ioctl(arena, SIOCGIFHWADDR, ifreq, "SIOCGIFHWADDR");
            long mac = 0;
            for (int i = 0; i < 6; i++) {
                mac = (mac << 8) | Byte.toUnsignedInt(ifreq.get(ValueLayout.JAVA_BYTE, IFNAMSIZ + 2 + i));
            }
            return mac;
        }
    }

    /** Sets the device's Ethernet address (the device's owner may, through its own descriptor). */
    public void address(final long mac) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment ifreq = ifreq(arena);
            ifreq.set(JAVA_SHORT, IFNAMSIZ, ARPHRD_ETHER);
            for (int i = 0; i < 6; i++) {
                ifreq.set(ValueLayout.JAVA_BYTE, IFNAMSIZ + 2 + i, (byte) (mac >>> (40 - 8 * i)));
            }
            ioctl(arena, SIOCSIFHWADDR, ifreq, "SIOCSIFHWADDR");
        }
    }

    private MemorySegment ifreq(final Arena arena) {
        final MemorySegment ifreq = arena.allocate(IFREQ_SIZE);
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(bytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return ifreq;
    }

    private void ioctl(final Arena arena, final long request, final MemorySegment ifreq, final String what) throws IOException {
        final MemorySegment state = arena.allocate(CALL_STATE);
        final int result;
        try {
            result = (int) IOCTL.invokeExact(state, fd, request, ifreq);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (result < 0) {
            throw new IOException(what + " on " + name + ": " + error(state));
        }
    }

    /**
     * Reads one frame into {@code buffer}, waiting at most {@code timeoutMillis} for the kernel
     * to have one (so the reading thread can notice it should stop). Returns its length, or 0 if
     * none came in time; a frame longer than the buffer is cut to it.
     */
    @Override
    public int read(final MemorySegment buffer, final int timeoutMillis) throws IOException {
        final int now = readNow(buffer);
        if (now > 0) {
            return now; // busy: one read(2), no poll(2)
        }
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, POLLIN);
        pollFd.set(JAVA_SHORT, 6, (short) 0);
        final int ready;
        try {
            ready = (int) POLL.invokeExact(readState, pollFd, 1L, timeoutMillis);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (ready == 0 || ready < 0 && errno(readState) == EINTR) {
            return 0;
        }
        if (ready < 0) {
            throw new IOException("poll on " + name + ": " + error(readState));
        }
        return readOnce(buffer);
    }

    /**
     * Reads one frame if the kernel has one queued, without waiting: its length, or 0 when there
     * is none (or when the descriptor could not be made non-blocking, so that asking would wait).
     * A reader drains a burst with it and then publishes the burst once.
     */
    @Override
    public int readNow(final MemorySegment buffer) throws IOException {
        return nonBlocking ? readOnce(buffer) : 0;
    }

    private int readOnce(final MemorySegment buffer) throws IOException {
        while (true) {
            final long n;
            try {
                n = (long) READ.invokeExact(readState, fd, buffer, buffer.byteSize());
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (n >= 0) {
                return (int) n;
            }
            final int errno = errno(readState);
            if (errno == EAGAIN) {
                return 0;
            }
            if (errno != EINTR) {
                throw new IOException("read from " + name + ": " + error(readState));
            }
        }
    }

    /**
     * Writes a plain frame: on a vnet-header descriptor behind a header that asks for nothing
     * (one writev(2), no copy); otherwise as {@link #write}.
     */
    @Override
    public boolean writePlain(final MemorySegment frame, final long length) {
        if (!vnetHeader) {
            return write(frame, length);
        }
        iov.set(JAVA_LONG, 16, frame.address());
        iov.set(JAVA_LONG, 24, length);
        while (true) {
            final long n;
            try {
                n = (long) WRITEV.invokeExact(writeState, fd, iov, 2);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (n >= 0) {
                return n == length + VirtioNetHeader.LENGTH;
            }
            if (errno(writeState) != EINTR) {
                return false;
            }
        }
    }

    /** Writes {@code length} bytes as they are (on a vnet-header descriptor: header and frame); false if the kernel refused them. */
    @Override
    public boolean write(final MemorySegment frame, final long length) {
        while (true) {
            final long n;
            try {
                n = (long) WRITE.invokeExact(writeState, fd, frame, length);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (n >= 0) {
                return n == length;
            }
            if (errno(writeState) != EINTR) {
                return false;
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    private static int errno(final MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static String error(final MemorySegment state) {
        final int errno = errno(state);
        try {
            final MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                final int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }
}
