package doms.cli;

import doms.cap.Memfd;
import doms.cap.Native;
import doms.guest.GuestPort;
import doms.guest.SlotGrant;
import doms.guest.GuestTraffic;
import doms.guest.TapBridge;
import doms.net.Tap;
import doms.poll.IdleStrategies;
import doms.pool.Mac;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A guest process on its slot: sends, receives and checks demo frames, or misbehaves on purpose. */
@Command(name = "guest", mixinStandardHelpOptions = true,
        description = {"Runs a guest on its slot: sends sequence-numbered frames, receives and checks what arrives,",
                "and prints its figures as one JSON line at the end. Normally started by the control plane."})
final class GuestCommand implements Callable<Integer> {
    @Option(names = "--pool", required = true, paramLabel = "DIR", description = "the pool directory (its control plane hands this guest its slot's memory)")
    Path pool;

    @Option(names = "--slot", required = true, paramLabel = "N", description = "this guest's slot number")
    int slot;

    @Option(names = "--tamper", description = "first try to resize, chmod and punch its slot's memfd (a hostile guest; the figures say what was refused)")
    boolean tamper;

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

    @Option(names = "--tap", description = {"bridge the slot to the TAP device that the control plane opened for this slot",
            "(pool assign --tap NAME) instead of sending demo frames: frames the kernel sends out of it go to the",
            "switch, frames from the switch come out of it. Runs until stopped."})
    boolean tap;

    @Override
    public Integer call() throws Exception {
        final long own = Mac.parse(mac);
        if (slot < 0) {
            throw new IllegalArgumentException("--slot must not be negative");
        }
        if (tap) {
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
        try (SlotGrant grant = SlotGrant.request(pool, slot); GuestPort port = GuestPort.attach(grant.memory())) {
            final Map<String, Object> tampered = tamper ? tamper(grant) : Map.of();
            if (size > port.maxFrame()) {
                throw new IllegalArgumentException("--size must be at most the slot's maximum frame, " + port.maxFrame());
            }
            final GuestTraffic.Plan plan = new GuestTraffic.Plan(own, sendTo == null ? 0 : Mac.parse(sendTo), seconds, rate,
                    size, forgeEvery, tenant, expectEndFrom == null ? 0 : Mac.parse(expectEndFrom), deadline, hostile);
            final Map<String, Object> figures = new LinkedHashMap<>(new GuestTraffic(port, plan, idle).run());
            figures.putAll(tampered);
            System.out.println(Json.write(figures));
        }
        return ExitCodes.OK;
    }

    /** TAP mode: runs until SIGTERM, then prints its figures as one JSON line. */
    private int bridge(final long own) throws Exception {
        final var idle = IdleStrategies.parse(poll);
        try (SlotGrant grant = SlotGrant.request(pool, slot); GuestPort port = GuestPort.attach(grant.memory())) {
            final Tap device = grant.tap();
            if (device == null) {
                throw new IllegalArgumentException("--tap: the control plane opened no TAP for slot " + slot + " (pool assign --tap NAME)");
            }
            if (device.address() != own) {
                try {
                    device.address(own); // the switch drops every frame whose source is not the binding
                } catch (java.io.IOException e) {
                    throw new java.io.IOException(e.getMessage() + ": set it to the guest's binding first: ip link set "
                            + device.name() + " address " + Mac.format(own), e);
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
            System.out.println("ready tap=" + device.name() + " mac=" + Mac.format(own));
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

    /** What a hostile guest tries on its own memfd: each attempt, and whether the kernel refused it. */
    private static Map<String, Object> tamper(final SlotGrant grant) {
        int refused = 0;
        final Map<String, Object> results = new LinkedHashMap<>();
        for (final Memfd.Tamper t : Memfd.Tamper.values()) {
            final int errno = Memfd.tamper(grant.memfd(), t, grant.grant().length());
            results.put(t.name().toLowerCase(java.util.Locale.ROOT), errno == 0 ? "done" : Native.describe(errno));
            refused += errno == 0 ? 0 : 1;
        }
        System.err.println("doms guest: tampered with its slot's memfd: " + results);
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("tamper_attempts", results.size());
        out.put("tamper_refused", refused);
        out.put("tamper", results);
        return out;
    }
}
