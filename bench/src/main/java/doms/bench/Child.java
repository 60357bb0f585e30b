package doms.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker process seen from the driver: commands go to its standard input one line at a time,
 * answers come back as lines on its standard output, read with a timeout so that a stuck worker
 * can never hang the driver. Its standard error goes straight to ours.
 */
public final class Child implements AutoCloseable {
    private static final String EOF = "\u0000eof";

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Child(final String name, final Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("doms-bench-" + name).start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process went away: EOF below
            }
            lines.add(EOF);
        });
    }

    /** Starts {@code doms.bench.Worker role args...} as a child JVM. */
    public static Child worker(final String name, final String role, final List<String> args) throws IOException {
        final List<String> all = new java.util.ArrayList<>();
        all.add(role);
        all.addAll(args);
        return start(name, Jvm.command(Worker.class.getName(), all));
    }

    public static Child start(final String name, final List<String> command) throws IOException {
        final ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        return new Child(name, Jvm.register(builder.start()));
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    public void send(final String line) throws IOException {
        stdin.write(line);
        stdin.write('\n');
        stdin.flush();
    }

    /**
     * The next line, parsed. Throws IOException when none comes within the timeout, when the
     * process ends first, or when the worker answers {@code error ...}.
     */
    public KeyValues expect(final String verb, final double timeoutSeconds) throws IOException {
        final String line;
        try {
            line = lines.poll((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(name + ": interrupted");
        }
        if (line == null) {
            throw new IOException(name + ": no answer within " + timeoutSeconds + " s");
        }
        if (line.equals(EOF)) {
            lines.add(EOF);
            throw new IOException(name + ": the process ended" + (process.isAlive() ? "" : " (exit " + exitValue() + ")"));
        }
        if (line.startsWith("error")) {
            throw new IOException(name + ": " + line);
        }
        final KeyValues kv = KeyValues.parse(line);
        if (!kv.verb().equals(verb)) {
            throw new IOException(name + ": expected '" + verb + " ...', got '" + line + "'");
        }
        return kv;
    }

    private int exitValue() {
        try {
            return process.waitFor(100, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Asks the worker to quit, then destroys it if it has not within a second. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                send("quit");
                stdin.close();
                if (!process.waitFor(1, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            Jvm.forget(process);
        }
    }
}
