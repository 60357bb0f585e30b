package doms.cli;

import doms.control.Isolation;
import doms.control.PoolAdmin;
import doms.pool.BindingTable;
import doms.pool.Mac;
import doms.pool.SwitchStatus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The control plane's pool operations, by hand. */
@Command(name = "pool", mixinStandardHelpOptions = true,
        description = {"A pool by hand: assign, retire, show.", "",
                "A pool's operations by hand, as clients of its running control plane",
                "('doms control --pool DIR'): assign a slot to a guest, retire it (wait for",
                "the switch's release, drop its memory, free), show the pool."},
        subcommands = {PoolCommand.Assign.class, PoolCommand.Retire.class, PoolCommand.Show.class})
final class PoolCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "assign", mixinStandardHelpOptions = true,
            description = "Asks the pool's control plane to bind a free slot to a guest's MAC and tenant; prints the slot and generation.")
    static final class Assign implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", required = true, description = "the pool directory")
        Path dir;

        @Option(names = "--mac", paramLabel = "MAC", required = true, description = "the guest's address")
        String mac;

        @Option(names = "--tenant", paramLabel = "N", required = true, description = "the guest's tenant number")
        int tenant;

        @Option(names = "--tap", paramLabel = "NAME", description = "the control plane also opens this TAP device (as root) and hands it to the guest")
        String tap;

        @Option(names = "--netns", paramLabel = "NAME", description = "with --tap: the network namespace the device is in (ip netns)")
        String netns;

        @Override
        public Integer call() throws Exception {
            Mac.parse(mac);
            if (tenant < 0) {
                throw new IllegalArgumentException("--tenant must not be negative");
            }
            if (netns != null && tap == null) {
                throw new IllegalArgumentException("--netns needs --tap");
            }
            final String request = "ASSIGN " + mac + " " + tenant + (tap == null ? "" : " tap=" + tap) + (netns == null ? "" : " netns=" + netns);
            final String[] ok = PoolView.request(dir, request);
            System.out.println("slot " + ok[1] + " generation " + ok[2] + ": start its guest with: doms guest --pool " + dir
                    + " --slot " + ok[1] + " --mac " + mac + (tap == null ? "" : " --tap"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "retire", mixinStandardHelpOptions = true,
            description = "Asks the pool's control plane to retire a slot: RETIRING, wait for the switch's release, drop its memory, free.")
    static final class Retire implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", required = true, description = "the pool directory")
        Path dir;

        @Option(names = "--slot", paramLabel = "N", required = true, description = "the slot to retire")
        int slot;

        @Override
        public Integer call() throws Exception {
            final String[] ok = PoolView.request(dir, "RETIRE " + slot);
            System.out.println("slot " + slot + " generation " + ok[2] + " retired and free");
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows each slot's binding and the switch's view of it.")
    static final class Show implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", required = true, description = "the pool directory")
        Path dir;

        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (PoolAdmin admin = PoolAdmin.open(dir, Isolation.off())) {
                final BindingTable t = admin.bindings();
                final SwitchStatus st = admin.status();
                final List<Object> rows = PoolView.rows(t, st);
                final Map<String, Object> uplink = PoolView.uplink(st);
                if (json) {
                    final Map<String, Object> out = new LinkedHashMap<>();
                    out.put("pool", dir.toString());
                    out.put("switch_heartbeat", st == null ? null : st.opaqueHeartbeat());
                    out.put("switch_boots", st == null ? null : st.lvBoots());
                    out.put("slots", rows);
                    out.put("uplink", st == null ? null : uplink);
                    System.out.println(Json.write(out));
                } else {
                    System.out.printf("pool %s: switch %s%n", dir, st == null ? "not started" : "boots " + st.lvBoots() + ", heartbeat " + st.opaqueHeartbeat());
                    for (final Object r : rows) {
                        System.out.println(r);
                    }
                    if (st != null) {
                        System.out.println("uplink " + uplink);
                    }
                }
            }
            return ExitCodes.OK;
        }
    }
}
