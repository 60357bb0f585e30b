package doms.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import edu.berkeley.cs.jqf.fuzz.junit.GuidedFuzzing;
import edu.berkeley.cs.jqf.fuzz.repro.ReproGuidance;
import java.io.File;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.runner.Result;

/**
 * Replays every committed input of each target: the seed corpus and every failure ever found
 * (src/test/resources/corpus/TARGET/), with the same oracles as the campaign.
 */
class CorpusReplayTest {
    @ParameterizedTest
    @ValueSource(strings = {"structured", "raw", "uplink", "race", "guest", "attach", "tap", "vnet"})
    void everyCommittedInputPassesTheOracles(final String target) throws Exception {
        final File dir = new File(getClass().getResource("/corpus/" + target).toURI());
        final File[] inputs = dir.listFiles(File::isFile);
        assertThat(inputs).as("corpus of " + target).isNotEmpty();
        Arrays.sort(inputs);
        final Class<?> targets = switch (target) {
            case "vnet" -> VnetHeaderFuzz.class;
            case "guest", "attach", "tap" -> GuestSideFuzz.class;
            default -> IngressFuzz.class;
        };
        final Result result = GuidedFuzzing.run(targets, target, new ReproGuidance(inputs, null), null);
        assertThat(result.getFailures()).as("failures replaying " + inputs.length + " inputs of " + target).isEmpty();
        assertThat(result.getRunCount()).isPositive();
    }
}
