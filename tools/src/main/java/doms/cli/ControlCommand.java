package doms.cli;

import doms.control.ControlPlane;
import doms.control.Isolation;
import doms.net.EthernetFrame;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The control plane of one pool, run until stopped. */
@Command(name = "control", mixinStandardHelpOptions = true,
        description = {"The control plane: slots, memory grants, the switch's life.", "",
                "Runs the control plane of a pool: creates the pool, boots the switch (and restarts it "
                        + "when it dies), hands each guest its slot's memory (a sealed memfd) over "
                        + "DIR/control.sock, and takes 'pool assign' and 'pool retire'. Prints 'ready' once the "
                        + "switch forwards; runs until Ctrl-C or SIGTERM, then stops the switch and the guests it "
                        + "started and deletes the pool."})
final class ControlCommand implements Callable<Integer> {
    @Option(names = "--pool", required = true, paramLabel = "DIR", description = "the pool directory to create (must not exist)")
    Path pool;

    @Option(names = "--slots", paramLabel = "N", defaultValue = "8", description = "slots in the pool (default ${DEFAULT-VALUE})")
    int slots;

    @Option(names = "--pages", paramLabel = "N", defaultValue = "64", description = "4 KiB pages per ring (default ${DEFAULT-VALUE})")
    int pages;

    @Option(names = "--max-frame", paramLabel = "BYTES", defaultValue = "" + EthernetFrame.DEFAULT_MAX_FRAME, description = "largest record in bytes, up to 65563: a 64 KiB super-frame with its virtio-net header (default ${DEFAULT-VALUE})")
    int maxFrame;

    @Option(names = "--isolate", paramLabel = "auto|on|off", defaultValue = "auto", description = "run the switch and guests under their own uids: auto (when root), on, off")
    String isolate;

    @Option(names = "--switch-arg", paramLabel = "ARG", description = "an argument for every switch process, e.g. --switch-arg=--vxlan-local=10.0.0.1 (repeatable)")
    List<String> switchArgs = List.of();

    @Override
    public Integer call() throws Exception {
        if (java.nio.file.Files.exists(pool)) {
            throw new IllegalArgumentException(pool + " exists: a control plane creates its pool (is another one running?)");
        }
        final Isolation isolation = JavaProcess.isolation(isolate);
        final CountDownLatch stop = new CountDownLatch(1);
        try (ControlPlane cp = ControlPlane.boot(JavaProcess.DOMS, pool.toAbsolutePath(), slots, pages, maxFrame, isolation, switchArgs)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                cp.close();
                stop.countDown();
            }));
            System.out.println("ready pool=" + cp.pool().dir() + " socket=" + cp.pool().control() + " switch: " + cp.switchReadyLine()
                    + (isolation.enabled() ? " (each process under its own uid)" : ""));
            System.out.flush();
            stop.await();
        }
        return ExitCodes.OK;
    }
}
