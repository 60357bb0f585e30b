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
