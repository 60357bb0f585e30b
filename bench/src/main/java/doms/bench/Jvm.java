package doms.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How every child JVM of the benchmark is started: the running JDK, the running class path
 * (the bench jar), and the same flags for all, so that ours and every baseline run on equal
 * terms. Every child is registered and destroyed when the driver exits, also on Ctrl-C.
 */
public final class Jvm {
    /**
     * Flags for every child. Agrona 2.x reaches {@code jdk.internal.misc.Unsafe} directly: without
     * the export its first buffer fails with IllegalAccessError on JDK 25 (the opens of
     * {@code java.nio} is for unmapping its buffers). Its bounds checks are switched off, as its
     * own documentation advises for speed, so the baseline runs at its fastest. The serial
     * collector keeps GC threads out of the way on a 2-core machine.
     */
    public static final List<String> FLAGS = List.of(
            "--enable-native-access=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Dagrona.disable.bounds.checks=true",
            "-XX:+UseSerialGC",
            "-Xms64m",
            "-Xmx256m");

    private static final Set<Process> CHILDREN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Jvm::destroyAll, "doms-bench-cleanup"));
    }

    private Jvm() {
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The command line of a child JVM running {@code mainClass} with {@code args}. */
    public static List<String> command(final String mainClass, final List<String> args) {
        final List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(FLAGS);
        command.add("-Ddoms.home=" + System.getProperty("doms.home", "."));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
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
