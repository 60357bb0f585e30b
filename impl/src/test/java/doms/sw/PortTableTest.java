package doms.sw;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PortTableTest {
    /** Only identity matters to the table. */
    private static Object port() {
        return new Object();
    }

    @Test
    void findsOnlyTheExactTenantAndAddress() {
        final PortTable<Object> t = new PortTable<>(4);
        final Object a = port();
        t.put(1, 0x0200_0000_000aL, a);
        assertThat(t.get(1, 0x0200_0000_000aL)).isSameAs(a);
        assertThat(t.get(2, 0x0200_0000_000aL)).isNull();
        assertThat(t.get(1, 0x0200_0000_000bL)).isNull();
        assertThat(t.get(65537, 0x0200_0000_000aL)).isNull(); // tenant 65537 is not tenant 1
    }

    @Test
    void aRemovalAtTheEndOfTheArrayShiftsTheProbeRunThatWrappedToItsStart() {
        final PortTable<Object> t = new PortTable<>(2); // 16 slots
        final int mask = 15;
        // Three keys whose home is the last slot: they sit at 15, 0 and 1; one key whose home is 0 sits at 2.
        final java.util.List<Long> last = new java.util.ArrayList<>();
        long zero = -1;
        for (long mac = 0; last.size() < 3 || zero < 0; mac++) {
            final int home = PortTable.slot(1, mac, mask);
            if (home == mask && last.size() < 3) {
                last.add(mac);
            } else if (home == 0 && zero < 0) {
                zero = mac;
            }
        }
        final Object a = port();
        final Object b = port();
        final Object c = port();
        final Object d = port();
        t.put(1, last.get(0), a);
        t.put(1, last.get(1), b);
        t.put(1, last.get(2), c);
        t.put(1, zero, d);
        t.remove(1, last.get(0), a); // the hole at 15: b, c and d move back across the end
        assertThat(t.get(1, last.get(0))).isNull();
        assertThat(t.get(1, last.get(1))).isSameAs(b);
        assertThat(t.get(1, last.get(2))).isSameAs(c);
        assertThat(t.get(1, zero)).isSameAs(d);
        t.remove(1, last.get(1), b); // the hole now at 15 again (b had moved there)
        assertThat(t.get(1, last.get(2))).isSameAs(c);
        assertThat(t.get(1, zero)).isSameAs(d);
        t.remove(1, zero, d); // d's home is 0: a run inside the array, after the wrap
        assertThat(t.get(1, last.get(2))).isSameAs(c);
        assertThat(t.get(1, zero)).isNull();

        // After the wrap, an entry at its own home stays where it is.
        final PortTable<Object> u = new PortTable<>(2);
        u.put(1, last.get(0), a);
        u.put(1, zero, d); // at 0, its home
        u.remove(1, last.get(0), a);
        assertThat(u.get(1, zero)).isSameAs(d);
        u.put(1, last.get(1), b); // at 15 again: the slot the removal emptied is usable
        assertThat(u.get(1, last.get(1))).isSameAs(b);
        assertThat(u.get(1, zero)).isSameAs(d);
    }

    @Test
    void agreesWithAHashMapThroughGrowthAndRemovals() {
        final PortTable<Object> t = new PortTable<>(2);
        final Map<String, Object> model = new HashMap<>();
        final Random r = new Random(7);
        for (int step = 0; step < 20_000; step++) {
            final int tenant = r.nextInt(6) - 1;
            final long mac = r.nextInt(40);
            final String key = tenant + "/" + mac;
            if (r.nextInt(3) == 0) {
                final Object current = model.get(key);
                final Object victim = current != null && r.nextBoolean() ? current : port();
                t.remove(tenant, mac, victim);
                model.remove(key, victim);
            } else {
                final Object p = port();
                t.put(tenant, mac, p);
                model.put(key, p);
            }
            assertThat(t.get(tenant, mac)).isSameAs(model.get(key));
            if (step % 50 == 0) {
                sweep(t, model);
            }
        }
        sweep(t, model);
    }

    /** Every key of the domain, bound or not: an entry lost or left behind by a removal shows here. */
    private static void sweep(final PortTable<Object> t, final Map<String, Object> model) {
        for (int tenant = -1; tenant < 5; tenant++) {
            for (long mac = 0; mac < 40; mac++) {
                assertThat(t.get(tenant, mac)).as("%d/%d", tenant, mac).isSameAs(model.get(tenant + "/" + mac));
            }
        }
    }
}
