package doms.sw;

import doms.pool.Mac;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The uplink's learned addresses: which remote tunnel endpoint a MAC of a tenant was last seen
 * behind, forgotten after the aging time (a host that moved or went away stops attracting its
 * unicast, which floods again until it speaks). Bounded: a network flooding fresh source
 * addresses fills it and learning stops (counted), it never grows without limit.
 *
 * <p>Keyed by tenant first, like {@link Forwarder}: a lookup can only return what was learned
 * in the asking tenant. Used by the switch's one polling thread only.
 */
public final class MacTable {
    /** Returned by {@link #lookup} for an address not learned (or aged out). */
    public static final int UNKNOWN = -1;

    private static final class Entry {
        int endpoint;
        long seenNanos;
    }

    private final Map<Integer, Map<Long, Entry>> byTenant = new HashMap<>();
    private final long agingNanos;
    private final int capacity;
    private final LongSupplier clock;
    private int size;
    private long learned;
    private long moved;
    private long aged;
    private long refusedFull;

    public MacTable(final long agingNanos, final int capacity, final LongSupplier clock) {
        if (agingNanos <= 0 || capacity < 1) {
            throw new IllegalArgumentException("aging must be positive and capacity at least 1");
        }
        this.agingNanos = agingNanos;
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Records that {@code mac} of {@code tenant} speaks from {@code endpoint}. Group addresses are never learned. */
    public void learn(final int tenant, final long mac, final int endpoint) {
        if (Mac.isGroup(mac)) {
            return;
        }
        final long now = clock.getAsLong();
        final Map<Long, Entry> macs = byTenant.computeIfAbsent(tenant, t -> new HashMap<>());
        Entry e = macs.get(mac);
        if (e == null) {
            if (size >= capacity) {
                sweep();
                if (size >= capacity) {
                    refusedFull++;
                    return;
                }
            }
            e = new Entry();
            macs.put(mac, e);
            size++;
            learned++;
        } else if (e.endpoint != endpoint) {
            moved++;
        }
        e.endpoint = endpoint;
        e.seenNanos = now;
    }

    /** The endpoint {@code mac} of {@code tenant} was last seen behind, or {@link #UNKNOWN}. */
    public int lookup(final int tenant, final long mac) {
        final Map<Long, Entry> macs = byTenant.get(tenant);
        if (macs == null) {
            return UNKNOWN;
        }
        final Entry e = macs.get(mac);
        if (e == null) {
            return UNKNOWN;
        }
        if (clock.getAsLong() - e.seenNanos > agingNanos) {
            macs.remove(mac);
            size--;
            aged++;
            return UNKNOWN;
        }
        return e.endpoint;
    }

    /** Forgets every entry older than the aging time. */
    public void sweep() {
        final long now = clock.getAsLong();
        for (final Map<Long, Entry> macs : byTenant.values()) {
            for (final Iterator<Entry> it = macs.values().iterator(); it.hasNext(); ) {
                if (now - it.next().seenNanos > agingNanos) {
                    it.remove();
                    size--;
                    aged++;
                }
            }
        }
    }

    public int size() {
        return size;
    }

    public long learned() {
        return learned;
    }

    /** Addresses that reappeared behind another endpoint (a host that moved, or one impersonating it). */
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
