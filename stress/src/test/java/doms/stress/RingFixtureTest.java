package doms.stress;

import static org.assertj.core.api.Assertions.assertThat;

import doms.ring.RingResult;
import org.junit.jupiter.api.Test;

/**
 * The arbiters' own helpers, on the one interleaving that once made {@link RingLapsTest} report
 * a forbidden 1, 0, 18 in CI (1 sample in 437,305): the consumer's cached producer position
 * ends just after a padding written alone on a full ring, and the record behind the padding
 * was published later. A drain that took any 0 for "empty" stopped after the padding and
 * blamed the ring for records it had not looked at.
 */
class RingFixtureTest {
    static final class Wrap extends RingFixture {
        Wrap() {
            super(LAP, lengths(4072, 16), 0); // the first record leaves 16 bytes before the end
        }
    }

    @Test
    void drainLooksPastAPollThatConsumedOnlyThePadding() {
        final Wrap f = new Wrap();
        try {
            assertThat(f.offer(1)).isEqualTo(RingResult.OK);
            assertThat(f.offer(2)).isEqualTo(RingResult.FULL); // the padding alone is written and published
            assertThat(f.poll(1)).isEqualTo(1);                // the consumer caches the position after the padding
            assertThat(f.offer(2)).isEqualTo(RingResult.OK);   // at index 0, behind the padding

            assertThat(f.faults(2, f.drain())).isZero();
            assertThat(f.checker.delivered(1, 2)).isTrue();
        } finally {
            f.release();
        }
    }

    @Test
    void faultsNameWhatBroke() {
        final Wrap f = new Wrap();
        try {
            assertThat(f.offer(1)).isEqualTo(RingResult.OK);
            // Record 2 never written: the stream is short, and the ends agree on where it stops.
            assertThat(f.faults(2, f.drain())).isEqualTo(RingFixture.FAULT_ORDER);
        } finally {
            f.release();
        }
    }
}
