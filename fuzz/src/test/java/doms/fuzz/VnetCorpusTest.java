package doms.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import doms.net.FrameLayout;
import doms.net.VirtioNetHeader;
import java.io.File;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The vnet seeds are what their names say: the replay's oracles are not passing vacuously on rejected inputs. */
class VnetCorpusTest {
    @Test
    void seedsNamedBadAreRefusedAndTheOthersAccepted() throws Exception {
        final File[] seeds = new File(getClass().getResource("/corpus/vnet").toURI()).listFiles(File::isFile);
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
}
