package doms.sw;

/**
 * The ports by (tenant, bound MAC): the forwarding lookup of every unicast frame, without
 * boxing a key or allocating. Open addressing with linear probing in parallel arrays, kept at
 * most half full; removal shifts the rest of its probe run back (no tombstones). Lookups are the
 * hot path.
 *
 * @param <P> the port type (the switch: {@link SwitchPort})
 */
final class PortTable<P> {
    private long[] macs;
    private int[] tenants;
    private Object[] ports;
    private int mask;
    private int size;

    PortTable(final int expected) {
        allocate(Math.max(16, Integer.highestOneBit(Math.max(1, expected) * 4 - 1) << 1));
    }

    private void allocate(final int capacity) {
        macs = new long[capacity];
        tenants = new int[capacity];
        ports = new Object[capacity];
        mask = capacity - 1;
        size = 0;
    }

    static int slot(final int tenant, final long mac, final int mask) {
        final long h = (mac ^ (long) tenant << 48 ^ tenant) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 32) & mask;
    }

    /** The port bound to {@code mac} in {@code tenant}, or null. */
    @SuppressWarnings("unchecked")
    P get(final int tenant, final long mac) {
        final long[] keys = macs;
        final int[] owners = tenants;
        final Object[] values = ports;
        final int m = mask;
        for (int i = slot(tenant, mac, m); ; i = (i + 1) & m) {
            final Object port = values[i];
            if (port == null) {
                return null;
            }
            if (keys[i] == mac && owners[i] == tenant) {
                return (P) port;
            }
        }
    }

    /** Binds (tenant, mac) to {@code port}, replacing any previous port. */
    void put(final int tenant, final long mac, final P port) {
        if ((size + 1) * 2 > ports.length) {
            final long[] oldMacs = macs;
            final int[] oldTenants = tenants;
            final Object[] oldPorts = ports;
            allocate(ports.length * 2);
            for (int i = 0; i < oldPorts.length; i++) {
                if (oldPorts[i] != null) {
                    insert(oldTenants[i], oldMacs[i], oldPorts[i]);
                }
            }
        }
        insert(tenant, mac, port);
    }

    private void insert(final int tenant, final long mac, final Object port) {
        for (int i = slot(tenant, mac, mask); ; i = (i + 1) & mask) {
            if (ports[i] == null) {
                macs[i] = mac;
                tenants[i] = tenant;
                ports[i] = port;
                size++;
                return;
            }
            if (macs[i] == mac && tenants[i] == tenant) {
                ports[i] = port;
                return;
            }
        }
    }

    /** Unbinds (tenant, mac) if it is bound to {@code port}. */
    void remove(final int tenant, final long mac, final P port) {
        int hole = -1;
        for (int i = slot(tenant, mac, mask); ports[i] != null; i = (i + 1) & mask) {
            if (macs[i] == mac && tenants[i] == tenant) {
                hole = ports[i] == port ? i : -1;
                break;
            }
        }
        if (hole < 0) {
            return;
        }
        // Backward-shift deletion: move each later entry of the probe run into the hole unless its
        // home slot lies cyclically in (hole, j], so that no lookup ever stops early at a gap.
        for (int j = (hole + 1) & mask; ports[j] != null; j = (j + 1) & mask) {
            final int home = slot(tenants[j], macs[j], mask);
            final boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                macs[hole] = macs[j];
                tenants[hole] = tenants[j];
                ports[hole] = ports[j];
                hole = j;
            }
        }
        macs[hole] = 0;
        tenants[hole] = 0;
        ports[hole] = null;
        size--;
    }
}
