package doms.sw;

import doms.pool.Mac;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The uplink's learned addresses: which remote tunnel endpoint a MAC of a tenant was last seen
 * behind, forgotten after the aging time (a host that moved or went away stops attracting its
 * unicast, which floods again until it speaks).
 *
 * <p>Bounded twice, because the network is hostile: at most {@code perTenant} entries in one
 * tenant (a flood of fresh source addresses in one tenant cannot stop learning in another) and
 * at most {@code capacity} in all. A full table refuses new addresses (counted) and sweeps aged
 * entries at most once per {@code min(aging, 1 s)}, so refusals cost a lookup, not a scan.
 *
 * <p>Keyed by tenant first, like {@link Forwarder}: a lookup can only return what was learned
 * in the asking tenant. Used by the switch's one polling thread only.
 *
 * @param <E> what an address is learned behind (the uplink: a socket address)
 */
public final class MacTable<E> {
    private static final long MAX_SWEEP_INTERVAL = 1_000_000_000L;

    private static final class Entry<E> {
        E endpoint;
        long seenNanos;
    }

    private final Map<Integer, Map<Long, Entry<E>>> byTenant = new HashMap<>();
    private final long agingNanos;
    private final int capacity;
    private final int perTenant;
    private final LongSupplier clock;
    private long lastSweep;
    private int size;
    private long learned;
    private long moved;
    private long aged;
    private long refusedFull;

    public MacTable(final long agingNanos, final int capacity, final int perTenant, final LongSupplier clock) {
        if (agingNanos <= 0 || capacity < 1 || perTenant < 1) {
            throw new IllegalArgumentException("aging must be positive, capacity and per-tenant limit at least 1");
        }
        this.agingNanos = agingNanos;
        this.capacity = capacity;
        this.perTenant = perTenant;
        this.clock = clock;
        this.lastSweep = clock.getAsLong();
    }

    /** Records that {@code mac} of {@code tenant} speaks from {@code endpoint}. Group addresses are never learned. */
    public void learn(final int tenant, final long mac, final E endpoint) {
        if (Mac.isGroup(mac)) {
            return;
        }
        final long now = clock.getAsLong();
        Map<Long, Entry<E>> macs = byTenant.get(tenant);
        Entry<E> e = macs == null ? null : macs.get(mac);
        if (e == null) {
            if (size >= capacity || macs != null && macs.size() >= perTenant) {
                if (sweepIfDue()) {
                    macs = byTenant.get(tenant);
                }
                if (size >= capacity || macs != null && macs.size() >= perTenant) {
                    refusedFull++;
                    return;
                }
            }
            if (macs == null) {
                macs = new HashMap<>();
                byTenant.put(tenant, macs);
            }
            e = new Entry<>();
            macs.put(mac, e);
            size++;
            learned++;
        } else if (!e.endpoint.equals(endpoint)) {
            moved++;
        }
        e.endpoint = endpoint;
        e.seenNanos = now;
    }

    /** The endpoint {@code mac} of {@code tenant} was last seen behind, or null (never learned, or aged out). */
    public E lookup(final int tenant, final long mac) {
        final Map<Long, Entry<E>> macs = byTenant.get(tenant);
        if (macs == null) {
            return null;
        }
        final Entry<E> e = macs.get(mac);
        if (e == null) {
            return null;
        }
        if (clock.getAsLong() - e.seenNanos > agingNanos) {
            macs.remove(mac);
            size--;
            aged++;
            if (macs.isEmpty()) {
                byTenant.remove(tenant);
            }
            return null;
        }
        return e.endpoint;
    }

    /**
     * Sweeps unless the last sweep was less than {@code min(aging, 1 s)} ago: cheap to call
     * often (the switch's discovery rounds, every refused learn). True if it swept.
     */
    public boolean sweepIfDue() {
        if (clock.getAsLong() - lastSweep < Math.min(agingNanos, MAX_SWEEP_INTERVAL)) {
            return false;
        }
        sweep();
        return true;
    }

    /** Forgets every entry older than the aging time, and tenants left with none. */
    public void sweep() {
        final long now = clock.getAsLong();
        lastSweep = now;
        for (final Iterator<Map<Long, Entry<E>>> tenants = byTenant.values().iterator(); tenants.hasNext(); ) {
            final Map<Long, Entry<E>> macs = tenants.next();
            for (final Iterator<Entry<E>> it = macs.values().iterator(); it.hasNext(); ) {
                if (now - it.next().seenNanos > agingNanos) {
                    it.remove();
                    size--;
                    aged++;
                }
            }
            if (macs.isEmpty()) {
                tenants.remove();
            }
        }
    }

    public int size() {
        return size;
    }

    /** Tenants with at least one entry. */
    public int tenants() {
        return byTenant.size();
    }

    public long learned() {
        return learned;
    }

    /**
     * Addresses that reappeared behind another endpoint: a host that moved, or one claiming its
     * address (VXLAN has no authentication: the underlay is trusted, as in any VXLAN deployment).
     */
    public long moved() {
        return moved;
    }

    public long aged() {
        return aged;
    }

    public long refusedFull() {
        return refusedFull;
    }
}
