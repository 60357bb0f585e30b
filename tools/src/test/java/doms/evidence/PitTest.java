package doms.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PitTest {
    private static Path sample() throws Exception {
        return Path.of(PitTest.class.getResource("mutations-sample.xml").toURI());
    }

    @Test
    void readsEveryMutantOfAMutationsXml() throws Exception {
        final List<Pit.Mutant> mutants = Pit.mutants(sample());
        assertThat(mutants).hasSize(8);
        final Pit.Mutant first = mutants.getFirst();
        assertThat(first.mutatedClass()).isEqualTo("doms.ring.RingProducer");
        assertThat(first.method()).isEqualTo("<init>");
        assertThat(first.line()).isEqualTo(44);
        assertThat(first.status()).isEqualTo("KILLED");
        assertThat(first.detected()).isTrue();
        assertThat(mutants.get(1).description()).isEqualTo("changed conditional boundary");
        assertThat(mutants.getLast().packageName()).isEqualTo("doms.swx");
    }

    @Test
    void countsPerPackageWithTimeoutsAsKilledAndOtherPackagesLeftOut() throws Exception {
        final List<Pit.Score> scores = Pit.scores(Pit.mutants(sample()), Pit.PACKAGES);
        assertThat(scores).extracting(Pit.Score::name).containsExactly("doms.ring", "doms.pool", "doms.sw");
        // doms.ring: killed, survived, timed out (detected by PIT, so killed).
        assertThat(scores.get(0)).isEqualTo(new Pit.Score("doms.ring", 3, 2, 1, 0));
        assertThat(scores.get(1)).isEqualTo(new Pit.Score("doms.pool", 2, 1, 0, 1));
        assertThat(scores.get(2)).isEqualTo(new Pit.Score("doms.sw", 2, 0, 1, 1));
        assertThat(scores.get(0).score()).isEqualTo(2.0 / 3);
        assertThat(scores.get(0).json()).containsEntry("score", 0.667).containsEntry("no_coverage", 0L).containsEntry("mutants", 3L);
        assertThat(new Pit.Score("doms.x", 0, 0, 0, 0).score()).isZero();
    }

    @Test
    void aMissingOrBrokenReportIsAnIoError(@TempDir final Path dir) throws Exception {
        assertThatThrownBy(() -> Pit.mutationsXml(dir)).isInstanceOf(IOException.class).hasMessageContaining("mutations.xml");
        final Path bad = dir.resolve("mutations.xml");
        Files.writeString(bad, "<mutations><mutation>");
        assertThat(Pit.mutationsXml(dir)).isEqualTo(bad);
        assertThatThrownBy(() -> Pit.mutants(bad)).isInstanceOf(IOException.class);
        Files.writeString(bad, "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><mutations>&x;</mutations>");
        assertThatThrownBy(() -> Pit.mutants(bad)).isInstanceOf(IOException.class);
    }

    @Test
    void verifyFiguresAreKilledOverMutantsPerPackage() {
        final Pit.Result result = new Pit.Result(List.of(), List.of(new Pit.Score("doms.ring", 225, 210, 10, 5),
                new Pit.Score("doms.sw", 0, 0, 0, 0)), Path.of("x"));
        assertThat(result.figures()).containsEntry("doms.ring", "210/225 killed (93%)").containsEntry("doms.sw", "0/0 killed (0%)").hasSize(2);
    }
}
