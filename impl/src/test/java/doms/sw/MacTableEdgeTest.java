package doms.sw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import doms.pool.Mac;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The edges of {@link MacTable}: its limits, the exact aging boundary, the sweep's cadence. */
class MacTableEdgeTest {
    static final long R = Mac.parse("02:00:00:00:09:01");
    static final long S = Mac.parse("02:00:00:00:09:02");
    static final long T = Mac.parse("02:00:00:00:09:03");
    private final AtomicLong now = new AtomicLong(0);

    @Test
    void theSmallestTableIsAllowedAndNothingSmaller() {
        final MacTable<Integer> one = new MacTable<>(1, 1, 1, now::get);
        one.learn(1, R, 7);
        assertThat(one.lookup(1, R)).isEqualTo(7);
        assertThatThrownBy(() -> new MacTable<Integer>(0, 1, 1, now::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MacTable<Integer>(1, 0, 1, now::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MacTable<Integer>(1, 1, 0, now::get)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEntryExactlyTheAgingTimeOldIsKept() {
        final MacTable<Integer> table = new MacTable<>(100, 10, 10, now::get);
        table.learn(1, R, 1);
        table.learn(1, S, 1);
        now.set(100);
        table.sweep();
        assertThat(table.size()).isEqualTo(2);
        assertThat(table.lookup(1, R)).isEqualTo(1);
        now.set(101);
        table.sweep();
        assertThat(table.size()).isZero();
        assertThat(table.aged()).isEqualTo(2);
        assertThat(table.tenants()).isZero();
    }

    @Test
    void aSweepIsDueOnceTheIntervalHasPassedSinceTheLastOne() {
        final MacTable<Integer> table = new MacTable<>(100, 10, 10, now::get);
        now.set(99);
        assertThat(table.sweepIfDue()).isFalse();
        now.set(100);
        assertThat(table.sweepIfDue()).isTrue();
        now.set(150);
        assertThat(table.sweepIfDue()).isFalse();
        now.set(199);
        assertThat(table.sweepIfDue()).isFalse();
        now.set(200);
        assertThat(table.sweepIfDue()).isTrue();
        // A long aging time still sweeps at least once a second.
        final MacTable<Integer> slow = new MacTable<>(3_600_000_000_000L, 10, 10, now::get);
        now.addAndGet(999_999_999L);
        assertThat(slow.sweepIfDue()).isFalse();
        now.addAndGet(1);
        assertThat(slow.sweepIfDue()).isTrue();
    }

    @Test
    void aTenantWhoseEntriesAllAgedLearnsAgainAtItsLimit() {
        final MacTable<Integer> table = new MacTable<>(100, 10, 2, now::get);
        table.learn(1, R, 1);
        table.learn(1, S, 1);
        now.set(500); // both aged; the refused learn sweeps them and the tenant's map with them
        table.learn(1, T, 2);
        assertThat(table.lookup(1, T)).isEqualTo(2);
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.tenants()).isEqualTo(1);
        assertThat(table.refusedFull()).isZero();
        assertThat(table.learned()).isEqualTo(3);
    }
}
