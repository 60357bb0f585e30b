package doms.sw;

/**
 * The ports by (tenant, bound MAC): the forwarding lookup of every unicast frame, without
 * boxing a key or allocating. Open addressing with linear probing in parallel arrays, kept at
 * most half full. Ports come and go only at discovery (a few per second at most), so removal
 * simply rebuilds the arrays; lookups are the hot path.
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

    private static int slot(final int tenant, final long mac, final int mask) {
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
        if (get(tenant, mac) != port) {
            return;
        }
        final long[] oldMacs = macs;
        final int[] oldTenants = tenants;
        final Object[] oldPorts = ports;
        allocate(ports.length);
        for (int i = 0; i < oldPorts.length; i++) {
            if (oldPorts[i] != null && !(oldPorts[i] == port && oldMacs[i] == mac && oldTenants[i] == tenant)) {
                insert(oldTenants[i], oldMacs[i], oldPorts[i]);
            }
        }
    }
}
