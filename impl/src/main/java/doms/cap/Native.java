package doms.cap;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls the capability layer needs, through the FFM API (no JNA): each downcall
 * captures errno with the call, so a failure is reported by name ({@link #error}).
 */
public final class Native {
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EPERM = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    public static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
    private static final MethodHandle STRERROR = plain("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = plain("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Native() {
    }

    /** A downcall whose first argument is the call-state segment that receives errno. */
    public static MethodHandle withErrno(final String function, final FunctionDescriptor descriptor, final Linker.Option... options) {
        final Linker.Option[] all = java.util.Arrays.copyOf(options, options.length + 1);
        all[options.length] = ERRNO_OPTION;
        return plain(function, descriptor, all);
    }

    public static MethodHandle plain(final String function, final FunctionDescriptor descriptor, final Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(function)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + function)), descriptor, options);
    }

    public static MemorySegment callState(final Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    public static int errno(final MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** "strerror (errno N)" for the errno in {@code state}. */
    public static String error(final MemorySegment state) {
        return describe(errno(state));
    }

    public static String describe(final int errno) {
        try {
            final MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** An IOException naming the call and errno. */
    public static IOException failure(final String what, final MemorySegment state) {
        return new IOException(what + ": " + error(state));
    }

    /** Closes a descriptor; negative ones are ignored. */
    public static void close(final int fd) {
        if (fd < 0) {
            return;
        }
        try {
            final int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Rethrows what a downcall threw: the FFM handles declare Throwable. */
    public static RuntimeException unchecked(final Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }
}
