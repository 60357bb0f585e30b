package doms.tlc;

import doms.shm.FileTrees;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a model with TLC's distributed mode: a {@code TLCServer} in a child JVM here, which holds
 * the state queue and the fingerprint set, and {@code TLCWorker} JVMs that compute next states,
 * started here ({@code workers > 0}) or by the user on other hosts. Server and workers talk RMI:
 * the server's registry listens on {@code listen.port()}, and every exported object on a port the
 * JVM picks. Distributed TLC checks invariants and action properties but not liveness, and reports
 * no coverage; each result says so in {@link TlcResult#unchecked()}.
 */
public final class DistributedRunner implements ModelCheck {
    /** TLCServer's own default registry port. */
    public static final int TLC_PORT = 10997;
    private static final String PORT_PROPERTY = "-Dtlc2.tool.distributed.TLCServer.port=";
    /** How long the server may wait once every local worker is gone (a failed worker leaves it waiting forever). */
    private static final long ORPHAN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** The host name workers reach the server by (also written into its RMI stubs), and its registry port. */
    public record Listen(String host, int port) {
        /** {@code HOST:PORT} or {@code PORT}; no host means {@code defaultHost}; null means both defaults. */
        public static Listen parse(final String spec, final String defaultHost) {
            if (spec == null || spec.isBlank()) {
                return new Listen(defaultHost, TLC_PORT);
            }
            final int colon = spec.lastIndexOf(':');
            final String host = colon < 0 ? defaultHost : spec.substring(0, colon);
            final String port = spec.substring(colon + 1);
            if (host.isBlank() || !port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                throw new IllegalArgumentException("--listen wants HOST:PORT or PORT (1-65535), not " + spec);
            }
            return new Listen(host, Integer.parseInt(port));
        }
    }

    private final Path jar;
    private final Path specRoot;
    private final Path logDir;
    private final Listen listen;
    private final int workers;
    private final PrintStream progress;

    /** {@code workers} local TLCWorker JVMs (one thread each); 0: the user starts them elsewhere. */
    public DistributedRunner(final Path jar, final Path specRoot, final Path logDir, final Listen listen, final int workers,
                             final PrintStream progress) {
        if (workers < 0) {
            throw new IllegalArgumentException("--workers must be 0 or more");
        }
        this.jar = jar;
        this.specRoot = specRoot;
        this.logDir = logDir;
        this.listen = listen;
        this.workers = workers;
        this.progress = progress;
    }

    /** This machine's name, for a server that workers on other hosts must reach. */
    public static String thisHost() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The command a user runs on each other host; WORKER-ADDRESS is how the server reaches that host back. */
    public String remoteWorkerCommand() {
        return "java -XX:+UseParallelGC -Xss4m -Djava.rmi.server.hostname=WORKER-ADDRESS " + PORT_PROPERTY + listen.port()
                + " -cp tla2tools.jar tlc2.tool.distributed.TLCWorker " + listen.host();
    }

    @Override
    public TlcResult run(final Manifest.Model model) throws IOException, InterruptedException {
        final Path dir = specRoot.resolve(model.dir());
        final String base = model.name().replace('/', '_');
        final Path log = logDir.resolve(base + ".distributed.out");
        Files.createDirectories(logDir);
        final Path metadir = Files.createTempDirectory("doms-tlc-dist-");
        final List<String> server = new ArrayList<>(List.of(java(), "-XX:+UseParallelGC", "-Xss4m",
                "-Djava.rmi.server.hostname=" + listen.host(), PORT_PROPERTY + listen.port(),
                "-cp", jar + java.io.File.pathSeparator + ownClassPath(), DistributedServerMain.class.getName(),
                "-metadir", metadir.toString(), "-config", model.cfg()));
        server.addAll(model.tlcArgs());
        server.add(model.tla());
        final long start = System.nanoTime();
        final Process serverProcess = new ProcessBuilder(server).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final List<Process> local = new ArrayList<>();
        String orphaned = "";
        try {
            for (int i = 1; i <= workers; i++) {
                // One thread each: N local workers are N threads, which is what --workers N says.
                local.add(new ProcessBuilder(java(), "-XX:+UseParallelGC", "-Xss4m", "-Djava.rmi.server.hostname=" + listen.host(),
                        PORT_PROPERTY + listen.port(), "-Dtlc2.tool.distributed.TLCWorker.threadCount=1",
                        "-cp", jar.toString(), "tlc2.tool.distributed.TLCWorker", listen.host())
                        .redirectErrorStream(true).redirectOutput(logDir.resolve(base + ".worker" + i + ".out").toFile()).start());
            }
            if (workers == 0) {
                progress.printf("tlc: %s: server listening at %s:%d; start TLCWorker on each worker host (the command above)%n",
                        model.name(), listen.host(), listen.port());
            }
            orphaned = await(serverProcess, local, TimeUnit.HOURS.toNanos(model.deep() ? 6 : 1));
        } finally {
            serverProcess.destroyForcibly();
            for (final Process worker : local) {
                // Workers exit when the server tells them the model is done; a stuck one is ended.
                if (!worker.waitFor(10, TimeUnit.SECONDS)) {
                    worker.destroyForcibly();
                }
            }
            FileTrees.delete(metadir);
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final String output = Files.readString(log) + orphaned;
        final List<String> properties = TlcOutput.configuredProperties(Files.readString(dir.resolve(model.cfg())));
        final List<String> unchecked = new ArrayList<>();
        if (!properties.isEmpty()) {
            unchecked.add("the liveness of " + String.join(", ", properties) + " (distributed TLC checks only their [][A]_v parts)");
        }
        unchecked.add("never-enabled actions (distributed TLC has no coverage)");
        return new TlcResult(model.name(), model.expected(), TlcOutput.verdict(output, properties),
                TlcOutput.distinctStates(output), model.distinctStates(), List.of(), seconds, log, List.copyOf(unchecked));
    }

    /** Waits for the server; "" when it ended, else the TLC-style error that says why it was stopped. */
    private static String await(final Process server, final List<Process> local, final long timeoutNanos) throws InterruptedException {
        final long deadline = System.nanoTime() + timeoutNanos;
        long allGoneSince = -1;
        while (!server.waitFor(200, TimeUnit.MILLISECONDS)) {
            final long now = System.nanoTime();
            if (now - deadline > 0) {
                return "\nError: doms stopped the TLC server after " + TimeUnit.NANOSECONDS.toMinutes(timeoutNanos) + " minutes\n";
            }
            if (!local.isEmpty() && local.stream().noneMatch(Process::isAlive)) {
                allGoneSince = allGoneSince < 0 ? now : allGoneSince;
                if (now - allGoneSince > ORPHAN_GRACE_NANOS) {
                    return "\nError: every local TLCWorker exited while the server still waited (see the worker logs)\n";
                }
            }
        }
        return "";
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Where DistributedServerMain was loaded from (doms.jar, or the classes folder in a test). */
    private static String ownClassPath() {
        try {
            return Path.of(DistributedServerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
