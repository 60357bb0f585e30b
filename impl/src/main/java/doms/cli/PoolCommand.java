package doms.cli;

import doms.control.Isolation;
import doms.control.PoolAdmin;
import doms.pool.BindingTable;
import doms.pool.Mac;
import doms.pool.SwitchStatus;
import doms.sw.EthernetFrame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The control plane's pool operations, by hand. */
@Command(name = "pool", mixinStandardHelpOptions = true,
        description = {"The control plane's pool operations by hand: create a pool's binding table, assign a slot to a",
                "guest, retire it (wait for the switch's release, scrub, free), and show the pool.",
                "Order: 'pool create', then 'switch --pool DIR --create', then 'pool assign' and 'guest'."},
        subcommands = {PoolCommand.Create.class, PoolCommand.Assign.class, PoolCommand.Retire.class, PoolCommand.Show.class})
final class PoolCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Writes a new pool's binding table (all slots free).")
    static final class Create implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "the pool directory to create")
        Path dir;

        @Option(names = "--slots", defaultValue = "8", description = "slots in the pool (default ${DEFAULT-VALUE})")
        int slots;

        @Option(names = "--pages", defaultValue = "64", description = "4 KiB pages per ring (default ${DEFAULT-VALUE})")
        int pages;

        @Option(names = "--max-frame", defaultValue = "" + EthernetFrame.DEFAULT_MAX_FRAME, description = "largest frame in bytes, up to 9216 (default ${DEFAULT-VALUE})")
        int maxFrame;

        @Override
        public Integer call() throws Exception {
            try (PoolAdmin admin = PoolAdmin.create(dir, slots, pages, maxFrame, Isolation.off())) {
                System.out.println("pool " + dir + ": " + slots + " slots, " + pages + " pages per ring; now start 'doms switch --pool " + dir + " --create'");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "assign", mixinStandardHelpOptions = true, description = "Binds a free slot to a guest's MAC and tenant; prints the slot file.")
    static final class Assign implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "the pool directory")
        Path dir;

        @Option(names = "--mac", required = true, description = "the guest's address")
        String mac;

        @Option(names = "--tenant", required = true, description = "the guest's tenant number")
        int tenant;

        @Override
        public Integer call() throws Exception {
            try (PoolAdmin admin = PoolAdmin.open(dir, Isolation.off())) {
                final PoolAdmin.Assignment a = admin.assign(Mac.parse(mac), tenant);
                System.out.println("slot " + a.slot() + " generation " + a.generation() + ": " + a.path());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "retire", mixinStandardHelpOptions = true, description = "Retires a slot: RETIRING, wait for the switch's release, scrub, free.")
    static final class Retire implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "the pool directory")
        Path dir;

        @Option(names = "--slot", required = true, description = "the slot to retire")
        int slot;

        @Option(names = "--timeout-ms", defaultValue = "10000", description = "how long to wait for the switch (default ${DEFAULT-VALUE})")
        long timeoutMillis;

        @Override
        public Integer call() throws Exception {
            try (PoolAdmin admin = PoolAdmin.open(dir, Isolation.off())) {
                final long generation = admin.beginRetire(slot);
                admin.finishRetire(slot, generation, () -> true, timeoutMillis);
                System.out.println("slot " + slot + " generation " + generation + " retired, scrubbed and free");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows each slot's binding and the switch's view of it.")
    static final class Show implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "the pool directory")
        Path dir;

        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (PoolAdmin admin = PoolAdmin.open(dir, Isolation.off())) {
                final BindingTable t = admin.bindings();
                final SwitchStatus st = admin.status();
                final List<Object> rows = new ArrayList<>();
                for (int i = 0; i < t.slots(); i++) {
                    final long word = t.loadState(i);
                    final Map<String, Object> row = new LinkedHashMap<>();
                    row.put("slot", i);
                    row.put("state", switch (BindingTable.state(word)) {
                        case BindingTable.FREE -> "free";
                        case BindingTable.ASSIGNED -> "assigned";
                        case BindingTable.RETIRING -> "retiring";
                        default -> "unknown";
                    });
                    row.put("generation", BindingTable.generation(word));
                    row.put("mac", Mac.format(t.mac(i)));
                    row.put("tenant", t.tenant(i));
                    if (st != null) {
                        row.put("served", st.served(i));
                        row.put("released", st.released(i));
                        row.put("frames_in", st.counter(i, SwitchStatus.FRAMES_IN));
                        row.put("frames_out", st.counter(i, SwitchStatus.FRAMES_OUT));
                        row.put("drops_full", st.counter(i, SwitchStatus.DROPS_FULL));
                        row.put("drops_spoofed", st.counter(i, SwitchStatus.DROPS_SPOOFED));
                        row.put("drops_malformed", st.counter(i, SwitchStatus.DROPS_MALFORMED));
                        row.put("quarantined", st.counter(i, SwitchStatus.QUARANTINED) != 0);
                    }
                    rows.add(row);
                }
                final Map<String, Object> uplink = new LinkedHashMap<>();
                if (st != null) {
                    uplink.put("frames_in", st.uplinkCounter(SwitchStatus.UPLINK_FRAMES_IN));
                    uplink.put("frames_out", st.uplinkCounter(SwitchStatus.UPLINK_FRAMES_OUT));
                    uplink.put("drops_malformed", st.uplinkCounter(SwitchStatus.UPLINK_DROPS_MALFORMED));
                    uplink.put("drops_unknown_vni", st.uplinkCounter(SwitchStatus.UPLINK_DROPS_UNKNOWN_VNI));
                    uplink.put("drops_spoofed", st.uplinkCounter(SwitchStatus.UPLINK_DROPS_SPOOFED));
                    uplink.put("socket_errors", st.uplinkCounter(SwitchStatus.UPLINK_SOCKET_ERRORS));
                    uplink.put("learned_macs", st.uplinkCounter(SwitchStatus.UPLINK_LEARNED));
                }
                if (json) {
                    final Map<String, Object> out = new LinkedHashMap<>();
                    out.put("pool", dir.toString());
                    out.put("switch_heartbeat", st == null ? null : st.heartbeat());
                    out.put("switch_boots", st == null ? null : st.boots());
                    out.put("slots", rows);
                    out.put("uplink", st == null ? null : uplink);
                    System.out.println(Json.write(out));
                } else {
                    System.out.printf("pool %s: switch %s%n", dir, st == null ? "not started" : "boots " + st.boots() + ", heartbeat " + st.heartbeat());
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
