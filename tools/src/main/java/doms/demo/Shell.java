package doms.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the system's network tools (ip, ping, iperf3, tcpdump) for the control plane. */
public final class Shell {
    /** A finished command: its exit status and its standard output and error, merged. */
    public record Result(int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }
    }

    private Shell() {
    }

    /** Runs a command to completion (killed after {@code timeoutSeconds}). */
    public static Result run(final List<String> command, final double timeoutSeconds) throws IOException {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            final var out = p.getInputStream();
            final byte[][] bytes = new byte[1][];
            final Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try {
                    bytes[0] = out.readAllBytes();
                } catch (IOException e) {
                    bytes[0] = new byte[0];
                }
            });
            if (!p.waitFor((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                reader.join();
                return new Result(124, String.join(" ", command) + ": timed out after " + timeoutSeconds + " s");
            }
            reader.join();
            return new Result(p.exitValue(), new String(bytes[0], StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command));
        }
    }

    /** Runs a command that must succeed; its output, or an IOException quoting the command and its message. */
    public static String check(final String... command) throws IOException {
        final Result r = run(List.of(command), 60);
        if (!r.ok()) {
            throw new IOException(String.join(" ", command) + " failed (exit " + r.exit() + "): " + r.output().strip());
        }
        return r.output();
    }

    /** True if {@code tool} is on the PATH. */
    public static boolean has(final String tool) {
        for (final String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
