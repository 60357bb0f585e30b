package doms.cap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import doms.shm.SharedMemory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * One slot generation's memory as a capability: an anonymous memfd, sized once and then sealed
 * so that no holder of a descriptor can shrink or grow it (a shrunk mapping would fault in the
 * switch). It has no name in any directory: only a process that was handed a descriptor can map
 * it, and a retire makes a new memfd for the next generation, so an old descriptor reaches old
 * memory only.
 */
public final class Memfd {
    static final int MFD_CLOEXEC = 0x0001;
    static final int MFD_ALLOW_SEALING = 0x0002;
    static final int F_ADD_SEALS = 1033;
    static final int F_GET_SEALS = 1034;
    public static final int F_SEAL_SEAL = 0x0001;
    public static final int F_SEAL_SHRINK = 0x0002;
    public static final int F_SEAL_GROW = 0x0004;
    /** The seals every slot memfd carries; a switch or guest maps nothing without them. */
    public static final int SLOT_SEALS = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW;
    static final int SEEK_END = 2;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int FALLOC_FL_KEEP_SIZE = 1;
    static final int FALLOC_FL_PUNCH_HOLE = 2;

    private static final MethodHandle MEMFD_CREATE = Native.withErrno("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle FTRUNCATE = Native.withErrno("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    // fcntl is variadic after its second argument.
    private static final MethodHandle FCNTL = Native.withErrno("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle LSEEK = Native.withErrno("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MMAP = Native.withErrno("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = Native.plain("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle FCHMOD = Native.withErrno("fchmod", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle FALLOCATE = Native.withErrno("fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));

    private Memfd() {
    }

    /** A new zeroed memfd of {@code length} bytes, sealed against resizing; returns its descriptor. */
    public static int create(final String name, final long length) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = Native.callState(arena);
            final int fd = (int) MEMFD_CREATE.invokeExact(state, arena.allocateFrom(name), MFD_CLOEXEC | MFD_ALLOW_SEALING);
            if (fd < 0) {
                throw Native.failure("memfd_create", state);
            }
            if ((int) FTRUNCATE.invokeExact(state, fd, length) < 0) {
                final IOException e = Native.failure("ftruncate of a new memfd", state);
                Native.close(fd);
                throw e;
            }
            if ((int) FCNTL.invokeExact(state, fd, F_ADD_SEALS, SLOT_SEALS) < 0) {
                final IOException e = Native.failure("F_ADD_SEALS", state);
                Native.close(fd);
                throw e;
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    /** The seals on {@code fd}, or a negative errno. */
    public static int seals(final int fd) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = Native.callState(arena);
            final int seals = (int) FCNTL.invokeExact(state, fd, F_GET_SEALS, 0);
            return seals < 0 ? -Native.errno(state) : seals;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    /** The size of the file behind {@code fd}, or a negative errno. */
    public static long size(final int fd) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = Native.callState(arena);
            final long size = (long) LSEEK.invokeExact(state, fd, 0L, SEEK_END);
            return size < 0 ? -Native.errno(state) : size;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    /**
     * Maps a slot memfd read-write, after checking that it carries {@link #SLOT_SEALS} and is
     * exactly {@code length} bytes: the mapper's own geometry, never the sender's word for it.
     * The descriptor may be closed afterwards; the mapping keeps the memory.
     */
    public static SharedMemory map(final int fd, final long length) throws IOException {
        final int seals = seals(fd);
        if (seals < 0 || (seals & SLOT_SEALS) != SLOT_SEALS) {
            throw new IOException(seals < 0 ? "not a memfd: " + Native.describe(-seals)
                    : "memfd is not sealed against resizing (seals " + seals + ")");
        }
        final long size = size(fd);
        if (size != length) {
            throw new IOException("memfd is " + size + " bytes, expected " + length);
        }
        final MemorySegment address;
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = Native.callState(arena);
            address = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0L);
            if (address.address() == -1L) {
                throw Native.failure("mmap", state);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
        final Arena arena = Arena.ofShared();
        final MemorySegment segment = address.reinterpret(length, arena, s -> unmap(s.address(), length));
        return SharedMemory.of(segment, arena::close);
    }

    private static void unmap(final long address, final long length) {
        try {
            final int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), length);
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }

    /** What a holder of a descriptor may try on it (a hostile guest does, in the demo and the tests). */
    public enum Tamper { SHRINK, GROW, CHMOD, EXTEND, PUNCH_HOLE }

    /** Tries one tampering on {@code fd} (of a {@code length}-byte memfd): 0 if it went through, else its errno. */
    public static int tamper(final int fd, final Tamper what, final long length) {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment state = Native.callState(arena);
            final int result = switch (what) {
                case SHRINK -> (int) FTRUNCATE.invokeExact(state, fd, length / 2);
                case GROW -> (int) FTRUNCATE.invokeExact(state, fd, length * 2);
                case CHMOD -> (int) FCHMOD.invokeExact(state, fd, 0);
                case EXTEND -> (int) FALLOCATE.invokeExact(state, fd, 0, length, length);
                case PUNCH_HOLE -> (int) FALLOCATE.invokeExact(state, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0L, length);
            };
            return result < 0 ? Native.errno(state) : 0;
        } catch (Throwable t) {
            throw Native.unchecked(t);
        }
    }
}
