package doms.sw;

import static org.assertj.core.api.Assertions.assertThat;

import doms.pool.Mac;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MacTableTest {
    static final long R = Mac.parse("02:00:00:00:09:01");
    static final long S = Mac.parse("02:00:00:00:09:02");
    static final long T = Mac.parse("02:00:00:00:09:03");
    private final AtomicLong now = new AtomicLong(1_000);
    private final MacTable<Integer> table = new MacTable<>(100, 3, 2, now::get);

    @Test
    void learnsAndForgetsAfterTheAgingTime() {
        table.learn(1, R, 4);
        now.addAndGet(100);
        assertThat(table.lookup(1, R)).isEqualTo(4);
        now.addAndGet(1);
        assertThat(table.lookup(1, R)).isNull();
        assertThat(table.size()).isZero();
        assertThat(table.tenants()).isZero();
        assertThat(table.aged()).isEqualTo(1);
    }

    @Test
    void seeingAnAddressAgainRefreshesAndMovesIt() {
        table.learn(1, R, 4);
        now.addAndGet(90);
        table.learn(1, R, 5);
        now.addAndGet(90);
        assertThat(table.lookup(1, R)).isEqualTo(5);
        assertThat(table.moved()).isEqualTo(1);
        assertThat(table.learned()).isEqualTo(1);
    }

    @Test
    void anAddressLearnedInOneTenantIsUnknownInAnother() {
        table.learn(1, R, 4);
        assertThat(table.lookup(2, R)).isNull();
    }

    @Test
    void groupAddressesAreNeverLearned() {
        table.learn(1, Mac.BROADCAST, 4);
        table.learn(1, Mac.parse("01:00:5e:00:00:01"), 4);
        assertThat(table.size()).isZero();
    }

    @Test
    void oneTenantCannotTakeMoreThanItsShare() {
        table.learn(1, R, 1);
        table.learn(1, S, 1);
        table.learn(1, T, 1);
        assertThat(table.lookup(1, T)).isNull();
        table.learn(2, T, 1); // another tenant still learns
        assertThat(table.lookup(2, T)).isEqualTo(1);
        assertThat(table.refusedFull()).isEqualTo(1);
    }

    @Test
    void aFullTableRefusesNewAddressesUntilOldOnesAge() {
        table.learn(1, R, 1);
        table.learn(1, S, 1);
        table.learn(2, R, 1);
        table.learn(3, S, 1);
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.refusedFull()).isEqualTo(1);
        assertThat(table.lookup(3, S)).isNull();
        now.addAndGet(101);
        table.learn(3, S, 1); // the sweep on a full table makes room
        assertThat(table.lookup(3, S)).isEqualTo(1);
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.tenants()).isEqualTo(1);
    }

    @Test
    void sweepForgetsOnlyOldEntries() {
        table.learn(1, R, 1);
        now.addAndGet(60);
        table.learn(1, S, 2);
        now.addAndGet(60);
        table.sweep();
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.lookup(1, S)).isEqualTo(2);
    }
}
