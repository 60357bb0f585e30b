package doms.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import doms.net.FrameLayout;
import doms.net.VirtioNetHeader;
import java.io.File;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The vnet seeds are what their names say, and the committed inputs reach every rule of the
 * validation: the replay's oracles are not passing vacuously on rejected inputs.
 */
class VnetCorpusTest {
    @Test
    void seedsNamedBadAreRefusedAndTheOthersAccepted() throws Exception {
        // The seeds written by hand; the inputs a campaign kept (campaign-*) have no such names.
        final File[] seeds = new File(getClass().getResource("/corpus/vnet").toURI())
                .listFiles(f -> f.isFile() && !f.getName().startsWith("campaign-"));
        assertThat(seeds).hasSizeGreaterThanOrEqualTo(8);
        for (final File seed : seeds) {
            final byte[] input = Files.readAllBytes(seed.toPath());
            final byte[] header = Arrays.copyOfRange(input, 4, 14);
            final byte[] frame = Arrays.copyOfRange(input, 14, input.length);
            assertThat(frame.length).isEqualTo((input[1] & 0xFF) << 16 | (input[2] & 0xFF) << 8 | input[3] & 0xFF);
            final int verdict = VirtioNetHeader.validate(MemorySegment.ofArray(header), 0, MemorySegment.ofArray(frame), 0,
                    frame.length, new FrameLayout());
            final boolean bad = seed.getName().startsWith("bad_");
            assertThat(verdict == VirtioNetHeader.VALID).as(seed.getName() + ": " + VirtioNetHeader.verdictName(verdict)).isEqualTo(!bad);
            assertThat(VnetReference.judge(header, frame).accepted()).as(seed.getName() + " by the reference").isEqualTo(!bad);
        }
    }

    /** Which of the validation's rules the committed inputs reach: every one, so the replay exercises each refusal. */
    @Test
    void theCorpusReachesEveryVerdict() throws Exception {
        final TreeSet<String> reached = new TreeSet<>();
        for (final File input : new File(getClass().getResource("/corpus/vnet").toURI()).listFiles(File::isFile)) {
            final byte[] bytes = Files.readAllBytes(input.toPath());
            if (bytes.length < VnetHeaderFuzz.PREFIX) {
                continue;
            }
            final byte[] header = Arrays.copyOfRange(bytes, 4, VnetHeaderFuzz.PREFIX);
            final byte[] frame = Arrays.copyOfRange(bytes, VnetHeaderFuzz.PREFIX, bytes.length);
            reached.add(VirtioNetHeader.verdictName(VirtioNetHeader.validate(MemorySegment.ofArray(header), 0,
                    MemorySegment.ofArray(frame), 0, frame.length, new FrameLayout())));
        }
        final TreeSet<String> all = new TreeSet<>();
        IntStream.rangeClosed(VirtioNetHeader.BAD_CSUM_OFFSET, VirtioNetHeader.VALID).forEach(v -> all.add(VirtioNetHeader.verdictName(v)));
        final TreeSet<String> never = new TreeSet<>(all);
        never.removeAll(reached);
        System.out.println("vnet corpus: verdicts reached " + reached + "; never reached " + never);
        assertThat(never).as("verdicts no committed input reaches").isEmpty();
    }
}
