package doms.cli;

import doms.guest.GuestPort;
import doms.guest.SlotGrant;
import doms.guest.GuestTraffic;
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
        description = {"A guest on its slot: demo frames, or a bridge to a TAP device.", "",
                "Runs a guest on its slot: sends sequence-numbered frames, receives and checks what "
                        + "arrives, and prints its figures as one JSON line at the end (after a line 'ready slot=N' "
                        + "once it has attached). Normally started by the control plane."})
final class GuestCommand implements Callable<Integer> {
    @Option(names = "--pool", required = true, paramLabel = "DIR", description = "the pool directory (its control plane hands this guest its slot's memory)")
    Path pool;

    @Option(names = "--slot", required = true, paramLabel = "N", description = "this guest's slot number")
    int slot;

    @Option(names = "--tamper", description = "first try to resize, chmod and punch its slot's memfd (a hostile guest; the figures say what was refused)")
    boolean tamper;

    @Option(names = "--mac", paramLabel = "MAC", required = true, description = "the address bound to this guest")
    String mac;

    @Option(names = "--send-to", paramLabel = "MAC", description = "send frames to this address (ff:ff:ff:ff:ff:ff floods)")
    String sendTo;

    @Option(names = "--seconds", paramLabel = "SECONDS", defaultValue = "0", description = "how long to send (default ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--rate", paramLabel = "FPS", defaultValue = "0", description = "frames per second, 0 for as fast as the ring takes them")
    long rate;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "256", description = "frame bytes (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--forge-every", defaultValue = "0", paramLabel = "N", description = "every N-th frame forges its source address")
    int forgeEvery;

    @Option(names = "--tenant-macs", split = ",", paramLabel = "MAC", description = "the addresses of this guest's tenant: any frame from another counts as cross-tenant")
    List<String> tenantMacs = List.of();

    @Option(names = "--expect-end-from", paramLabel = "MAC", description = "check DATA frames from this address and run until its END frame")
    String expectEndFrom;

    @Option(names = "--deadline", paramLabel = "SECONDS", defaultValue = "60", description = "stop after this many seconds whatever happens (default ${DEFAULT-VALUE})")
    double deadline;

    @Option(names = "--hostile", paramLabel = "HOW", defaultValue = "NONE", description = "after sending, break the ring rules: ${COMPLETION-CANDIDATES}")
    GuestTraffic.Hostility hostile;

    @Option(names = "--poll", defaultValue = "adaptive:100", paramLabel = "STRATEGY", description = IdleStrategies.SYNTAX + " (default ${DEFAULT-VALUE})")
    String poll;

    @Option(names = "--tap", description = "bridge the slot to the TAP device that the control plane opened for this slot (pool "
            + "assign --tap NAME) instead of sending demo frames: frames the kernel sends out of it go "
            + "to the switch, frames from the switch come out of it. Runs until stopped.")
    boolean tap;

    @Option(names = "--no-offloads", description = "with --tap: take no offloads from the kernel (by default, when the pool's maximum frame "
            + "holds a 64 KiB super-frame, the TAP hands over TCP/UDP super-frames and frames whose "
            + "checksum is still to complete, and this guest takes them from the switch too)")
    boolean noOffloads;

    @Override
    public Integer call() throws Exception {
        final long own = Mac.parse(mac);
        if (slot < 0) {
            throw new IllegalArgumentException("--slot must not be negative");
        }
        if (tap) {
            return GuestProcess.bridge(pool, slot, own, IdleStrategies.parse(poll), !noOffloads);
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
            final Map<String, Object> tampered = tamper ? GuestProcess.tamper(grant) : Map.of();
            if (size > port.maxFrame()) {
                throw new IllegalArgumentException("--size must be at most the slot's maximum frame, " + port.maxFrame());
            }
            System.out.println("ready slot=" + slot); // attached: whoever started it may start its peers
            System.out.flush();
            final GuestTraffic.Plan plan = new GuestTraffic.Plan(own, sendTo == null ? 0 : Mac.parse(sendTo), seconds, rate,
                    size, forgeEvery, tenant, expectEndFrom == null ? 0 : Mac.parse(expectEndFrom), deadline, hostile);
            final Map<String, Object> figures = new LinkedHashMap<>(new GuestTraffic(port, plan, idle).run());
            figures.putAll(tampered);
            System.out.println(Json.write(figures));
        }
        return ExitCodes.OK;
    }
}
