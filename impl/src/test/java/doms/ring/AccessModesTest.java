package doms.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Reads the compiled ring and pool classes and checks that every VarHandle access on a shared
 * position or state word uses exactly the mode proofs-notes/access-modes.md gives it: weakening
 * a {@code setRelease} to {@code set} (which no x86 run can reveal) fails the build.
 */
class AccessModesTest {
    /** Method (Class#name/arity) -> its VarHandle accesses in program order, with the access-modes.md row. */
    static final Map<String, List<String>> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("RingProducer#publish/0", List.of("setRelease")),                 // row 1
            Map.entry("RingProducer#republish/0", List.of("setRelease")),               // row 1
            Map.entry("RingConsumer#refreshProducerPosition/0", List.of("getAcquire")), // row 2
            Map.entry("RingConsumer#publish/0", List.of("setRelease")),                 // row 3
            Map.entry("RingConsumer#republish/0", List.of("setRelease")),               // row 3
            Map.entry("RingProducer#refreshConsumerPosition/0", List.of("getAcquire")), // row 4
            Map.entry("RingProducer#attach/2", List.of("getAcquire")),                  // row 7
            Map.entry("RingProducer#attach/3", List.of("getAcquire")),                  // row 7
            Map.entry("RingConsumer#attach/2", List.of("getAcquire")),                  // row 7
            Map.entry("BindingTable#assign/4", List.of("setRelease")),                  // row 9
            Map.entry("BindingTable#retire/1", List.of("setRelease")),                  // row 9
            Map.entry("BindingTable#free/1", List.of("setRelease")),                    // row 9
            Map.entry("BindingTable#loadState/1", List.of("getAcquire")),               // row 10
            Map.entry("SwitchStatus#released/2", List.of("setRelease")),                // row 11
            Map.entry("SwitchStatus#released/1", List.of("getAcquire")),                // row 12
            Map.entry("SwitchStatus#heartbeat/1", List.of("setOpaque")),                // row 13
            Map.entry("SwitchStatus#heartbeat/0", List.of("getOpaque")),                // row 13
            Map.entry("SwitchStatus#served/2", List.of("setOpaque")),                   // row 13
            Map.entry("SwitchStatus#served/1", List.of("getOpaque")),                   // row 13
            Map.entry("SwitchStatus#counter/3", List.of("setOpaque")),                  // row 13
            Map.entry("SwitchStatus#counter/2", List.of("getOpaque")),                  // row 13
            Map.entry("SwitchStatus#uplinkCounter/2", List.of("setOpaque")),            // row 13
            Map.entry("SwitchStatus#uplinkCounter/1", List.of("getOpaque")),            // row 13
            Map.entry("SwitchStatus#resumePosition/3", List.of("setOpaque")),           // row 15
            Map.entry("SwitchStatus#resumePosition/2", List.of("getOpaque")),           // row 15
            Map.entry("SwitchStatus#recordBoot/0", List.of("setRelease")),              // row 14
            Map.entry("SwitchStatus#boots/0", List.of("getAcquire"))));                 // row 14

    /** Every VarHandle access of every method of {@code classes}, as Class#name/arity -> modes in order. */
    static Map<String, List<String>> accesses(final List<Class<?>> classes) throws IOException {
        final Map<String, List<String>> found = new TreeMap<>();
        for (final Class<?> c : classes) {
            final ClassModel model;
            try (InputStream in = c.getResourceAsStream(c.getName().substring(c.getPackageName().length() + 1) + ".class")) {
                model = ClassFile.of().parse(in.readAllBytes());
            }
            for (final MethodModel m : model.methods()) {
                final List<String> modes = new ArrayList<>();
                m.code().ifPresent(code -> code.forEach(e -> {
                    if (e instanceof InvokeInstruction i && i.owner().asInternalName().equals("java/lang/invoke/VarHandle")
                            && !i.name().stringValue().startsWith("with")) {
                        modes.add(i.name().stringValue());
                    }
                }));
                if (!modes.isEmpty()) {
                    found.put(c.getSimpleName() + "#" + m.methodName().stringValue() + "/" + m.methodTypeSymbol().parameterCount(), modes);
                }
            }
        }
        return found;
    }

    @Test
    void everySharedWordIsAccessedInTheDocumentedMode() throws Exception {
        final Map<String, List<String>> found = accesses(List.of(RingProducer.class, RingConsumer.class, RingDescriptor.class,
                RecordDescriptor.class, doms.pool.BindingTable.class, doms.pool.SwitchStatus.class, doms.pool.SlotDescriptor.class));
        assertThat(found).isEqualTo(EXPECTED);
    }

    @Test
    void everyCheckedMethodIsARowOfAccessModesMd() throws Exception {
        final String notes = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling("proofs-notes").resolve("access-modes.md"));
        for (final String method : EXPECTED.keySet()) {
            final String type = method.substring(0, method.indexOf('#'));
            final String name = method.substring(method.indexOf('#'), method.indexOf('/'));
            assertThat(notes.lines().filter(l -> l.startsWith("| ") && l.contains(type) && l.contains(name + "`") || l.contains(type + name)))
                    .as("a row of access-modes.md names " + method).isNotEmpty();
        }
    }

    /** A producer that publishes with a plain store: what the check must reject. */
    static final class WeakenedProducer {
        private static final VarHandle POSITION = ValueLayout.JAVA_LONG.varHandle();

        static void publish(final MemorySegment ring, final long tail) {
            POSITION.set(ring, RingDescriptor.PRODUCER_POSITION_OFFSET, tail);
        }
    }

    @Test
    void aPlainPublishIsCaught() throws Exception {
        final Map<String, List<String>> found = accesses(List.<Class<?>>of(WeakenedProducer.class));
        assertThat(found).containsEntry("WeakenedProducer#publish/2", List.of("set"));
        assertThat(found.get("WeakenedProducer#publish/2")).isNotEqualTo(EXPECTED.get("RingProducer#publish/0"));
    }
}
