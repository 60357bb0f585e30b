package doms.fuzz;

import com.pholser.junit.quickcheck.generator.GenerationStatus;
import com.pholser.junit.quickcheck.generator.Generator;
import com.pholser.junit.quickcheck.random.SourceOfRandomness;
import doms.fuzz.campaign.InputBytes;
import edu.berkeley.cs.jqf.fuzz.junit.GuidedFuzzing;
import edu.berkeley.cs.jqf.fuzz.junit.quickcheck.InputStreamGenerator;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/**
 * A target's input as a stream of exactly its bytes, then the end. Under the campaign's own
 * guidance ({@link InputBytes}) the bytes are taken whole; under any other (JQF's repro, the
 * corpus replay, Zest) they come one at a time through JQF, with the same result.
 */
public final class RawInput extends Generator<InputStream> {
    private final InputStreamGenerator byteByByte = new InputStreamGenerator();

    public RawInput() {
        super(InputStream.class);
    }

    @Override
    public InputStream generate(final SourceOfRandomness random, final GenerationStatus status) {
        return GuidedFuzzing.getCurrentGuidance() instanceof InputBytes whole
                ? new ByteArrayInputStream(whole.currentInput())
                : byteByByte.generate(random, status);
    }
}
