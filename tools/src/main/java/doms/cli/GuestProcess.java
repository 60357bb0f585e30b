package doms.cli;

import doms.cap.Memfd;
import doms.cap.Native;
import doms.guest.GuestPort;
import doms.guest.SlotGrant;
import doms.guest.TapBridge;
import doms.net.Tap;
import doms.poll.IdleStrategy;
import doms.pool.Mac;
import doms.pool.SlotDescriptor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of the guest process that are more than options: the TAP bridge mode and the memfd tampering. */
final class GuestProcess {
    private GuestProcess() {
    }

    /** TAP mode: runs until SIGTERM, then prints its figures as one JSON line. */
    static int bridge(final Path pool, final int slot, final long own, final IdleStrategy idle, final boolean offloads) throws Exception {
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
            // Offloads need a virtio-net header on the TAP (the control plane opens it so) and
            // records that hold a 64 KiB super-frame (the pool's maximum frame).
            final int taken = offloads && port.maxFrame() >= SlotDescriptor.MAX_FRAME_LIMIT
                    ? device.offload(Tap.TUN_F_CSUM | Tap.TUN_F_TSO4 | Tap.TUN_F_TSO6 | Tap.TUN_F_TSO_ECN | Tap.TUN_F_USO4 | Tap.TUN_F_USO6) : 0;
            if (taken != 0) {
                port.acceptOffloads();
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
                final Map<String, Object> figures = new LinkedHashMap<>(bridge.figures());
                figures.put("offloads", taken);
                System.out.println(Json.write(figures));
                System.out.flush();
            }));
            System.out.println("ready tap=" + device.name() + " mac=" + Mac.format(own) + " offloads=0x" + Integer.toHexString(taken));
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
    static Map<String, Object> tamper(final SlotGrant grant) {
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
