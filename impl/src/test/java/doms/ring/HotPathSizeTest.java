package doms.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Reads the compiled producer and checks that the path every record takes stays small enough for
 * C2 to inline it into {@code offer} and {@code offerDeferred}: a hot callee of more than
 * FreqInlineSize (325 bytes of bytecode on x86_64) is called, not inlined, and the call cost about
 * 1 ns of a 12 ns offer (ring-vs-agrona.md, 2026-12-04, write split). The wrap (PAD then record)
 * runs once per lap and lives in a method of its own. Tracing code counts: {@code RingTrace.ON}
 * is not a compile-time constant, so its branches stay in the bytecode.
 */
class HotPathSizeTest {
    static final int FREQ_INLINE_SIZE = 325;

    static Map<String, Integer> codeLengths(final Class<?> c) throws IOException {
        final ClassModel model;
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            model = ClassFile.of().parse(in.readAllBytes());
        }
        final Map<String, Integer> lengths = new TreeMap<>();
        for (final MethodModel m : model.methods()) {
            m.findAttribute(Attributes.code()).ifPresent(code -> lengths.merge(
                    m.methodName().stringValue() + "/" + m.methodTypeSymbol().parameterCount(), code.codeLength(), Math::max));
        }
        return lengths;
    }

    @Test
    void theRecordPathOfTheProducerIsInlinable() throws Exception {
        final Map<String, Integer> lengths = codeLengths(RingProducer.class);
        assertThat(lengths).containsKeys("write/5", "offer/4");
        assertThat(lengths.get("write/5")).as("RingProducer#write bytecode length").isLessThan(FREQ_INLINE_SIZE);
        assertThat(lengths.get("offer/4")).as("RingProducer#offer bytecode length").isLessThan(FREQ_INLINE_SIZE);
    }
}
