package doms.sw;

import doms.control.SwitchLines;
import doms.pool.BindingTable;
import doms.pool.PoolFiles;
import doms.pool.PoolTrace;
import doms.pool.SwitchStatus;
import doms.shm.SharedFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * A switch process with a bug injected, in test code only (production code never reaches it),
 * started by the control plane of doms.trace.PoolTraceWorkload in place of {@code doms switch}
 * when doms.trace.PoolTraceTest runs its injected runs (traces {@code injected-BUG-K}, which
 * the trace check must reject at the action doms.trace.TraceCheck#EXPECTED names). It boots a
 * real {@link Switch} (the real discovery, ports, forwarder and trace events) and runs its own
 * round, which differs from {@link Switch#round} in one place:
 *
 * <ul>
 *   <li>{@code releaseBeforeForward}: each port's TX records are released (status, then ring)
 *       right after they are polled, before the round publishes the frames into their
 *       destinations' RX rings: what {@code RingConsumer#pollCopy} instead of
 *       {@code pollCopyDeferred} does;</li>
 *   <li>{@code staleGeneration}: when the table shows a served generation RETIRING, the switch
 *       acknowledges its release but keeps the port (and stops discovering): it keeps
 *       delivering into the retired generation's memory.</li>
 * </ul>
 * Args: BUG, then the control plane's switch arguments ({@code switch --pool DIR [--standby] ...}).
 */
public final class InjectedPoolBugs {
    private InjectedPoolBugs() {
    }

    public static void main(final String[] args) throws Exception {
        final String bug = args[0];
        if (!bug.equals("releaseBeforeForward") && !bug.equals("staleGeneration")) {
            throw new IllegalArgumentException(bug);
        }
        final List<String> rest = List.of(args).subList(1, args.length);
        final Path dir = Path.of(rest.get(rest.indexOf("--pool") + 1));
        if (rest.contains("--standby")) {
            System.out.println(SwitchLines.STANDBY);
            System.out.flush();
            if (new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine() == null) {
                return;
            }
        }
        final PoolFiles pool = new PoolFiles(dir);
        final Switch sw = Switch.boot(pool, 64);
        final SwitchStatus status = SwitchStatus.attach(SharedFile.open(pool.status()).segment());
        final BindingTable table = BindingTable.attach(SharedFile.openReadOnly(pool.bindings()).segment());
        final Forwarder forwarder = new Forwarder();
        final Set<SwitchPort> known = new HashSet<>();
        sync(sw, forwarder, known);
        final MemorySegment scratch = Arena.ofAuto().allocate(sw.maxFrame(), 8);
        System.out.println(SwitchLines.ready(sw.ports().size(), null));
        System.out.flush();
        boolean stale = false;
        for (long round = 1; ; round++) {
            status.opaqueHeartbeat(round);
            if (round % Switch.DISCOVERY_EVERY == 0 && !stale) {
                stale = bug.equals("staleGeneration") && ackButKeep(sw, table, status);
                if (!stale) {
                    sw.discoverNow();
                    sync(sw, forwarder, known);
                }
            }
            final List<SwitchPort> ports = sw.ports();
            int work = 0;
            for (final SwitchPort port : ports) {
                work += port.pollTx(forwarder, 64, scratch);
                if (bug.equals("releaseBeforeForward")) {
                    port.releaseTx(); // BUG: released before the frames are published to their destinations
                }
            }
            for (final SwitchPort port : ports) {
                port.publishRx();
            }
            if (PoolTrace.ON) {
                PoolTrace.forwarded();
            }
            for (final SwitchPort port : ports) {
                port.releaseTx();
                port.publishCountersIfChanged(status);
            }
            if (work == 0) {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /** The forwarder knows exactly the switch's ports. */
    private static void sync(final Switch sw, final Forwarder forwarder, final Set<SwitchPort> known) {
        final List<SwitchPort> ports = sw.ports();
        for (final SwitchPort p : ports) {
            if (known.add(p)) {
                forwarder.add(p);
            }
        }
        known.removeIf(p -> {
            if (!ports.contains(p)) {
                forwarder.remove(p);
                return true;
            }
            return false;
        });
    }

    /** BUG: acks every served generation the table shows RETIRING, as a detach would, and keeps its port. */
    private static boolean ackButKeep(final Switch sw, final BindingTable table, final SwitchStatus status) {
        boolean acked = false;
        for (final SwitchPort port : sw.ports()) {
            final long word = table.lvState(port.slot());
            if (BindingTable.state(word) == BindingTable.RETIRING && BindingTable.generation(word) == port.generation()) {
                status.soReleasedGeneration(port.slot(), port.generation());
                if (PoolTrace.ON) {
                    PoolTrace.detach(port.slot(), BindingTable.RETIRING, port.generation(), port.generation());
                }
                acked = true;
            }
        }
        return acked;
    }
}
