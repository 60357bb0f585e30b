package doms.cli;

import doms.poll.IdleStrategies;
import doms.pool.PoolFiles;
import doms.sw.Switch;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the switch domain over a pool until it is stopped (SIGTERM) or killed. */
@Command(name = "switch", mixinStandardHelpOptions = true,
        description = {"Runs the switch domain (DomS) over a pool: maps the binding table read-only, the slots and its",
                "status file, then only polls. Prints 'ready' on standard output once it forwards.",
                "Normally started (and restarted) by the control plane: see 'doms pool' and 'doms demo'."})
final class SwitchCommand implements Callable<Integer> {
    static final double MAX_PARK_MICROS = 100_000;

    @Option(names = "--pool", required = true, paramLabel = "DIR", description = "the pool directory (holds bindings, slots, switch-status)")
    Path pool;

    @Option(names = "--create", description = "allocate the pool's slots and status file first (first boot)")
    boolean create;

    @Option(names = "--standby", description = "start the JVM, then wait for a line on standard input before booting (a warm spare the control plane activates when the running switch dies)")
    boolean standby;

    @Option(names = "--budget", defaultValue = "64", description = "frames taken from each port per round (default ${DEFAULT-VALUE})")
    int budget;

    @Option(names = "--poll", defaultValue = "adaptive:100", paramLabel = "STRATEGY", description = IdleStrategies.SYNTAX + " (default ${DEFAULT-VALUE})")
    String poll;

    @Override
    public Integer call() throws Exception {
        if (budget < 1 || budget > 65536) {
            throw new IllegalArgumentException("--budget must be 1..65536");
        }
        final var idle = IdleStrategies.parse(poll);
        if (IdleStrategies.longestParkMicros(poll) > MAX_PARK_MICROS) {
            throw new IllegalArgumentException("--poll may park at most " + MAX_PARK_MICROS + " µs: the control plane restarts a switch silent for a second");
        }
        if (standby) {
            System.out.println("standby");
            System.out.flush();
            final String go = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)).readLine();
            if (go == null) {
                return ExitCodes.OK; // the control plane went away before needing us
            }
        }
        final Switch sw = Switch.boot(new PoolFiles(pool), create, budget);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sw.stop();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println("ready ports=" + sw.ports().size());
        System.out.flush();
        try {
            sw.run(idle);
        } finally {
            sw.close();
            stopped.countDown();
        }
        return ExitCodes.OK;
    }
}
