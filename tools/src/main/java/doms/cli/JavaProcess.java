package doms.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts another JVM running the doms CLI (or any main class) on this process's class path. */
public final class JavaProcess {
    private JavaProcess() {
    }

    /** The java launcher of the running JVM, so children run on the same JDK. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** How the control plane starts a doms process: this JVM's doms CLI in a new JVM. */
    public static final doms.control.Launcher DOMS = args -> command(Main.class.getName(), args);

    /** The --isolate choice, probed with this CLI (can another uid run it?). */
    public static doms.control.Isolation isolation(final String choice) {
        return doms.control.Isolation.choose(choice, command(Main.class.getName(), List.of("--version")));
    }

    /** This JVM's class path for a child; a test may give children a copy that other uids can read. */
    public static String classPath() {
        return System.getProperty("doms.child.classpath", System.getProperty("java.class.path"));
    }

    public static List<String> command(final String mainClass, final List<String> args) {
        return command(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"), classPath(), mainClass, args);
    }

    /** The command line of a child JVM: this JDK's java, {@code flags}, the class path, the main class and its arguments. */
    public static List<String> command(final List<String> flags, final String classPath, final String mainClass, final List<String> args) {
        final List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(flags);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** Starts the doms CLI with these arguments; stdout is piped to the caller, stderr inherited. */
    public static Process startCli(final List<String> args) throws IOException {
        final ProcessBuilder builder = new ProcessBuilder(command(Main.class.getName(), args));
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        final Process process = builder.start();
        // A child must not outlive us, even on Ctrl-C.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }
}
