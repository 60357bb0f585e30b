package doms.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * The main class of every child process the driver starts: one side of a stream (producer or
 * consumer), one side of a ping-pong, an idle endpoint, or a guest of the switch benchmark.
 * Each reads commands from standard input and answers with one line per command on standard
 * output; every loop it runs is bounded in time, and it exits when its input closes.
 */
public final class Worker {
    private static final BufferedReader COMMANDS = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    private Worker() {
    }

    public static void main(final String[] args) {
        if (args.length == 0) {
            System.err.println("usage: Worker stream-recv|stream-send|ping|pong|idle|guest key=value ...");
            System.exit(2);
        }
        int code;
        try {
            final KeyValues options = KeyValues.ofArgs(args, 1);
            code = switch (args[0]) {
                case "stream-recv" -> StreamWorker.receive(options);
                case "stream-send" -> StreamWorker.send(options);
                case "ping" -> PingPong.ping(options);
                case "pong" -> PingPong.pong(options);
                case "idle" -> EndpointWorkers.idle(options);
                case "guest" -> EndpointWorkers.guest(options);
                default -> throw new IllegalArgumentException("unknown role " + args[0]);
            };
        } catch (Exception | Error e) {
            answer("error " + oneWord(e.toString()));
            System.err.println("doms-bench worker " + args[0] + ": " + e);
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }

    /** The next command, or null when the driver closed our input or said quit. */
    static KeyValues command() throws IOException {
        final String line = COMMANDS.readLine();
        if (line == null || line.isBlank() || line.strip().equals("quit")) {
            return null;
        }
        return KeyValues.parse(line);
    }

    static void answer(final String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Turns a message into a protocol-safe word. */
    static String oneWord(final String message) {
        return message.replaceAll("\\s+", "_");
    }

    /** CPU time of this whole process (every thread, JIT and GC included), in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long threadCpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
