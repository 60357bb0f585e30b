package doms.cli;

import doms.control.SwitchLines;
import doms.net.PcapWriter;
import doms.poll.IdleStrategy;
import doms.pool.PoolFiles;
import doms.sw.Switch;
import doms.sw.VxlanUplink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** The body of the switch process: boots the switch, says so to the control plane, forwards until SIGTERM. */
final class SwitchProcess {
    private final Path pool;
    private final int budget;
    private final IdleStrategy idle;
    private final VxlanUplink.Config uplinkConfig;
    private final String uplinkOption;
    private final Pcap capture;

    SwitchProcess(final Path pool, final int budget, final IdleStrategy idle, final VxlanUplink.Config uplinkConfig,
                  final String uplinkOption, final Pcap capture) {
        this.pool = pool;
        this.budget = budget;
        this.idle = idle;
        this.uplinkConfig = uplinkConfig;
        this.uplinkOption = uplinkOption;
        this.capture = capture;
    }

    /** As a standby, first waits for a line on standard input (none: the control plane went away, exit 0). */
    int run(final boolean standby) throws IOException {
        if (standby) {
            System.out.println(SwitchLines.STANDBY);
            System.out.flush();
            if (new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine() == null) {
                return ExitCodes.OK;
            }
        }
        final Switch sw = Switch.boot(new PoolFiles(pool), budget);
        String uplinkAddress = null;
        if (uplinkConfig != null) {
            try {
                final VxlanUplink uplink = VxlanUplink.open(uplinkConfig, sw.maxFrame());
                sw.uplink(uplink);
                uplinkAddress = String.valueOf(uplink.localAddress());
            } catch (IOException e) {
                sw.close();
                throw new IOException("cannot open the VXLAN uplink on " + uplinkOption + ": " + e.getMessage(), e);
            }
        }
        if (capture != null) {
            if (capture.port() >= sw.slots()) {
                sw.close();
                throw new IllegalArgumentException("--pcap: the pool has slots 0.." + (sw.slots() - 1));
            }
            sw.capture(capture.port(), PcapWriter.open(capture.file()), capture.count());
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sw.stop();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        System.out.println(SwitchLines.ready(sw.ports().size(), uplinkAddress));
        System.out.flush();
        try {
            sw.run(idle);
        } finally {
            sw.close();
            stopped.countDown();
        }
        return ExitCodes.OK;
    }

    /** {@code --pcap PORT=FILE}: a slot number, or -1 for the uplink. */
    record Pcap(int port, Path file, long count) {
        static Pcap parse(final String spec, final long count) {
            final int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("--pcap must be PORT=FILE, PORT a slot number or 'uplink'");
            }
            final String port = spec.substring(0, eq);
            final Path file = Path.of(spec.substring(eq + 1));
            if (port.equals("uplink")) {
                return new Pcap(-1, file, count);
            }
            try {
                final int slot = Integer.parseInt(port);
                if (slot >= 0) {
                    return new Pcap(slot, file, count);
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException("--pcap: bad port '" + port + "': a slot number or 'uplink'");
        }
    }
}
