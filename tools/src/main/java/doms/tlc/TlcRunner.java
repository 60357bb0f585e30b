package doms.tlc;

import doms.shm.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs TLC on one model as a child JVM and reads its verdict. */
public final class TlcRunner implements ModelCheck {
    private final Path jar;
    private final Path specRoot;
    private final Path logDir;

    public TlcRunner(final Path jar, final Path specRoot, final Path logDir) {
        this.jar = jar;
        this.specRoot = specRoot;
        this.logDir = logDir;
    }

    /**
     * A model expected to pass is searched to the end, so its distinct-state count does not depend on
     * the number of workers: it gets one per core (MCRingCap16: 237 s with two, 311 s with one).
     * A bug model keeps one worker, so where its search stops, and its counterexample, stay the same.
     */
    static int workers(final Manifest.Model model) {
        return TlcOutput.PASS.equals(model.expected()) ? Runtime.getRuntime().availableProcessors() : 1;
    }

    @Override
    public TlcResult run(final Manifest.Model model) throws IOException, InterruptedException {
        final Path dir = specRoot.resolve(model.dir());
        final Path log = logDir.resolve(model.name().replace('/', '_') + ".out");
        Files.createDirectories(logDir);
        final Path metadir = Files.createTempDirectory("doms-tlc-");
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseParallelGC", "-Xss4m", "-cp", jar.toString(), "tlc2.TLC",
                "-workers", Integer.toString(workers(model)), "-cleanup", "-noGenerateSpecTE", "-metadir", metadir.toString(), "-coverage", "600", "-config", model.cfg()));
        // -noGenerateSpecTE: no *_TTrace_* files left in spec/ after a counterexample.
        command.addAll(model.tlcArgs());
        command.add(model.tla());
        final long start = System.nanoTime();
        final Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(model.deep() ? 6 : 1, TimeUnit.HOURS)) {
                process.destroyForcibly();
            }
        } finally {
            process.destroyForcibly();
            FileTrees.delete(metadir);
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final String output = Files.readString(log);
        final List<String> properties = TlcOutput.configuredProperties(Files.readString(dir.resolve(model.cfg())));
        final List<String> unused = TlcOutput.unusedActions(output).stream().filter(a -> !model.unusedOk().containsKey(a)).toList();
        return new TlcResult(model.name(), model.expected(), TlcOutput.verdict(output, properties),
                TlcOutput.distinctStates(output), model.distinctStates(), unused, seconds, log);
    }

}
