package doms.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdleStrategiesTest {
    @Test
    void parsesEachStrategyAndPrintsItBack() {
        assertThat(IdleStrategies.parse("busy").spec()).isEqualTo("busy");
        assertThat(IdleStrategies.parse("period:50").spec()).isEqualTo("period:50");
        assertThat(IdleStrategies.parse("period:0.5").spec()).isEqualTo("period:0.5");
        assertThat(IdleStrategies.parse("adaptive").spec()).isEqualTo("adaptive:1000");
        assertThat(IdleStrategies.parse("adaptive:200").spec()).isEqualTo("adaptive:200");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "spin", "period:", "period:x", "period:0", "period:-5", "adaptive:NaN", "period:1e99"})
    void rejectsWhatItCannotParseWithOneLine(final String spec) {
        assertThatThrownBy(() -> IdleStrategies.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void everyStrategyReturnsAtOnceWhenThereWasWork() {
        for (final String spec : new String[] {"busy", "period:10000000", "adaptive:10000000"}) {
            final IdleStrategy idle = IdleStrategies.parse(spec);
            idle.idle(1); // a 10 s period would hang the test if work did not skip the wait
        }
        assertThat(true).isTrue();
    }
}
