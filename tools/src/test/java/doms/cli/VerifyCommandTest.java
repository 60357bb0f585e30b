package doms.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class VerifyCommandTest {
    @Test
    void planEndsWithMutationTestingThenTheDemo() {
        assertThat(new VerifyCommand().plan()).extracting(VerifyCommand.Part::name).containsExactly("tlc", "jcstress", "fuzz", "trace-check", "mutate", "demo");
    }

    @Test
    void mutationFiguresAreKilledOverMutantsPerPackage() throws Exception {
        final var json = new ObjectMapper().readTree("""
                {"packages":[{"name":"doms.ring","mutants":225,"killed":210,"survived":10,"no_coverage":5,"score":0.933},
                 {"name":"doms.sw","mutants":0,"killed":0,"survived":0,"no_coverage":0,"score":0.0}],"report":"x"}""");
        assertThat(VerifyCommand.figures("mutate", json)).containsEntry("doms.ring", "210/225 killed (93%)")
                .containsEntry("doms.sw", "0/0 killed (0%)").hasSize(2);
    }
}
