package doms.cli;

import doms.guest.GuestPort;
import doms.guest.GuestTraffic;
import doms.guest.TapBridge;
import doms.net.Tap;
import doms.poll.IdleStrategies;
import doms.pool.Mac;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A guest process on its slot: sends, receives and checks demo frames, or misbehaves on purpose. */
@Command(name = "guest", mixinStandardHelpOptions = true,
        description = {"Runs a guest on its slot: sends sequence-numbered frames, receives and checks what arrives,",
                "and prints its figures as one JSON line at the end. Normally started by the control plane."})
final class GuestCommand implements Callable<Integer> {
    @Option(names = "--slot", required = true, paramLabel = "FILE", description = "this guest's slot file")
    Path slot;

    @Option(names = "--mac", required = true, description = "the address bound to this guest")
    String mac;

    @Option(names = "--send-to", paramLabel = "MAC", description = "send frames to this address (ff:ff:ff:ff:ff:ff floods)")
    String sendTo;

    @Option(names = "--seconds", defaultValue = "0", description = "how long to send (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--rate", defaultValue = "0", description = "frames per second, 0 for as fast as the ring takes them")
    long rate;

    @Option(names = "--size", defaultValue = "256", description = "frame bytes (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--forge-every", defaultValue = "0", paramLabel = "N", description = "every N-th frame forges its source address")
    int forgeEvery;

    @Option(names = "--tenant-macs", split = ",", paramLabel = "MAC", description = "the addresses of this guest's tenant: any frame from another counts as cross-tenant")
    List<String> tenantMacs = List.of();

    @Option(names = "--expect-end-from", paramLabel = "MAC", description = "check DATA frames from this address and run until its END frame")
    String expectEndFrom;

    @Option(names = "--deadline", defaultValue = "60", description = "stop after this many seconds whatever happens (default ${DEFAULT-VALUE})")
    double deadline;

    @Option(names = "--hostile", defaultValue = "NONE", description = "after sending, break the ring rules: ${COMPLETION-CANDIDATES}")
    GuestTraffic.Hostility hostile;

    @Option(names = "--poll", defaultValue = "adaptive:100", paramLabel = "STRATEGY", description = IdleStrategies.SYNTAX + " (default ${DEFAULT-VALUE})")
    String poll;

    @Option(names = "--tap", paramLabel = "NAME", description = {"bridge the slot to this TAP device instead of sending demo frames:",
            "frames the kernel sends out of it go to the switch, frames from the switch come out of it",
            "(root creates it for the guest: ip tuntap add dev NAME mode tap user UID). Runs until stopped."})
    String tap;

    @Override
    public Integer call() throws Exception {
        final long own = Mac.parse(mac);
        if (tap != null) {
            return bridge(own);
        }
        final Set<Long> tenant = new HashSet<>();
        tenant.add(own);
        for (final String m : tenantMacs) {
            tenant.add(Mac.parse(m));
        }
        if (size < doms.guest.DemoFrame.MIN_LENGTH) {
            throw new IllegalArgumentException("--size must be at least " + doms.guest.DemoFrame.MIN_LENGTH);
        }
        final var idle = IdleStrategies.parse(poll);
        try (GuestPort port = GuestPort.attach(slot)) {
            if (size > port.maxFrame()) {
                throw new IllegalArgumentException("--size must be at most the slot's maximum frame, " + port.maxFrame());
            }
            final GuestTraffic.Plan plan = new GuestTraffic.Plan(own, sendTo == null ? 0 : Mac.parse(sendTo), seconds, rate,
                    size, forgeEvery, tenant, expectEndFrom == null ? 0 : Mac.parse(expectEndFrom), deadline, hostile);
            System.out.println(Json.write(new GuestTraffic(port, plan, idle).run()));
        }
        return ExitCodes.OK;
    }

    /** TAP mode: runs until SIGTERM, then prints its figures as one JSON line. */
    private int bridge(final long own) throws Exception {
        Tap.checkName(tap);
        final var idle = IdleStrategies.parse(poll);
        try (GuestPort port = GuestPort.attach(slot); Tap device = Tap.open(tap)) {
            if (device.address() != own) {
                try {
                    device.address(own); // the switch drops every frame whose source is not the binding
                } catch (java.io.IOException e) {
                    throw new java.io.IOException(e.getMessage() + ": set it to the guest's binding first: ip link set "
                            + tap + " address " + Mac.format(own), e);
                }
            }
            final TapBridge bridge = new TapBridge(port, device, idle);
            final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                bridge.stop();
                try {
                    done.await(2, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.out.println(Json.write(bridge.figures()));
                System.out.flush();
            }));
            System.out.println("ready tap=" + tap + " mac=" + Mac.format(own));
            System.out.flush();
            bridge.run();
            done.countDown();
            if (bridge.failure() != null) {
                System.err.println("doms guest: " + bridge.failure());
                return ExitCodes.FAILED;
            }
        }
        return ExitCodes.OK;
    }
}
