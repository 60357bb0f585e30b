package doms.bench;

import doms.cli.BenchOptions;
import doms.cli.JavaProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * How every child JVM of the benchmark is started: the running JDK, the running class path
 * (the bench jar), and the same flags for all, so that ours and every baseline run on equal
 * terms. Every child is registered and destroyed when the driver exits, also on Ctrl-C.
 */
public final class Jvm {
    /** Flags for every child: the driver's (doms.cli.BenchOptions.JVM_FLAGS) and a fixed heap. */
    public static final List<String> FLAGS = Stream.concat(BenchOptions.JVM_FLAGS.stream(), Stream.of("-Xms64m", "-Xmx256m")).toList();

    private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Jvm::destroyAll, "doms-bench-cleanup"));
    }

    private Jvm() {
    }

    public static String java() {
        return JavaProcess.javaExecutable();
    }

    /** The command line of a child JVM running {@code mainClass} with {@code args}. */
    public static List<String> command(final String mainClass, final List<String> args) {
        final List<String> flags = new ArrayList<>(FLAGS);
        flags.add("-Ddoms.home=" + System.getProperty("doms.home", "."));
        return JavaProcess.command(flags, System.getProperty("java.class.path"), mainClass, args);
    }

    /** Remembers a child so that it is destroyed when the driver exits. */
    public static Process register(final Process process) {
        CHILDREN.add(process);
        return process;
    }

    public static void forget(final Process process) {
        CHILDREN.remove(process);
    }

    /** Destroys every registered child still running, and their own children. */
    public static void destroyAll() {
        for (final Process p : CHILDREN) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        CHILDREN.clear();
    }
}
