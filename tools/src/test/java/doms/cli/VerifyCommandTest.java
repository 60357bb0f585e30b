package doms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerifyCommandTest {
    @Test
    void planEndsWithMutationTestingThenTheDemo() {
        assertThat(new VerifyCommand().plan()).extracting(VerifyPlan.Part::name).containsExactly("tlc", "jcstress", "fuzz", "trace-check", "mutate", "demo");
    }
}
