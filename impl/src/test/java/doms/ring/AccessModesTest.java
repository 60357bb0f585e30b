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
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Reads the compiled ring and pool classes and checks that every VarHandle access on a shared
 * position or state word uses exactly the mode proofs-notes/access-modes.md gives it: weakening
 * a {@code setRelease} to {@code set} (which no x86 run can reveal) fails the build. Only the
 * accessors of the layout classes touch a VarHandle; each is named by the mode it uses
 * (JCTools style: {@code lv}, {@code so}, {@code opaque}, {@code lp}, {@code sp}), and the
 * protocol's methods are checked for which accessors they call.
 */
class AccessModesTest {
    /**
     * Method (Class#name/arity) -> what it does to shared words in program order: the VarHandle
     * modes of the accessors, and the accessors that the protocol's methods call. Comments: the
     * access-modes.md row.
     */
    static final Map<String, List<String>> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("RingDescriptor#soProducerPosition/2", List.of("setRelease")),      // row 1
            Map.entry("RingDescriptor#lvProducerPosition/1", List.of("getAcquire")),      // rows 2, 7
            Map.entry("RingDescriptor#soConsumerPosition/2", List.of("setRelease")),      // row 3
            Map.entry("RingDescriptor#lvConsumerPosition/1", List.of("getAcquire")),      // rows 4, 7
            Map.entry("RingProducer#publish/0", List.of("soProducerPosition")),           // row 1
            Map.entry("RingProducer#republish/0", List.of("soProducerPosition")),         // row 1
            Map.entry("RingConsumer#refreshProducerPosition/0", List.of("lvProducerPosition")), // row 2
            Map.entry("RingConsumer#publish/0", List.of("soConsumerPosition")),           // row 3
            Map.entry("RingConsumer#republish/0", List.of("soConsumerPosition")),         // row 3
            Map.entry("RingProducer#refreshConsumerPosition/0", List.of("lvConsumerPosition")), // row 4
            Map.entry("RingProducer#attach/2", List.of("lvProducerPosition")),            // row 7
            Map.entry("RingProducer#attach/3", List.of("lvConsumerPosition")),            // row 7
            Map.entry("RingConsumer#attach/2", List.of("lvConsumerPosition")),            // row 7
            Map.entry("RingDescriptor#soHeader/3", List.of("setRelease")),                // row 17
            Map.entry("RingProducer#writeHeader/5", List.of("soHeader")),                 // row 17
            Map.entry("RingDescriptor#lvHeader/2", List.of("getAcquire")),                // row 18
            Map.entry("RingConsumer#read/4", List.of("lvHeader", "lvHeader")),           // row 18
            Map.entry("BindingTable#soState/2", List.of("setRelease")),                   // row 9
            Map.entry("BindingTable#assign/4", List.of("lvState", "spEntry", "soState")), // rows 9, 10
            Map.entry("BindingTable#retire/1", List.of("lvState", "soState")),            // rows 9, 10
            Map.entry("BindingTable#free/1", List.of("lvState", "spEntry", "soState")),   // rows 9, 10
            Map.entry("BindingTable#lvState/1", List.of("getAcquire")),                   // row 10
            Map.entry("SwitchStatus#soReleasedGeneration/2", List.of("setRelease")),      // row 11
            Map.entry("SwitchStatus#lvReleasedGeneration/1", List.of("getAcquire")),      // row 12
            Map.entry("SwitchStatus#opaqueHeartbeat/1", List.of("setOpaque")),            // row 13
            Map.entry("SwitchStatus#opaqueHeartbeat/0", List.of("getOpaque")),            // row 13
            Map.entry("SwitchStatus#opaqueServedGeneration/2", List.of("setOpaque")),     // row 13
            Map.entry("SwitchStatus#opaqueServedGeneration/1", List.of("getOpaque")),     // row 13
            Map.entry("SwitchStatus#opaqueCounter/3", List.of("setOpaque")),              // row 13
            Map.entry("SwitchStatus#opaqueCounter/2", List.of("getOpaque")),              // row 13
            Map.entry("SwitchStatus#opaqueUplinkCounter/2", List.of("setOpaque")),        // row 13
            Map.entry("SlotDescriptor#opaqueFeatures/2", List.of("setOpaque")),           // row 16
            Map.entry("SlotDescriptor#opaqueFeatures/1", List.of("getOpaque")),           // row 16
            Map.entry("SwitchStatus#opaqueUplinkCounter/1", List.of("getOpaque")),        // row 13
            Map.entry("SwitchStatus#soBoots/1", List.of("setRelease")),                   // row 14
            Map.entry("SwitchStatus#lvBoots/0", List.of("getAcquire")),                   // row 14
            Map.entry("SwitchStatus#recordBoot/0", List.of("soBoots")),                   // row 14
            Map.entry("SwitchStatus#opaqueResumePosition/3", List.of("setOpaque")),       // row 15
            Map.entry("SwitchStatus#opaqueResumePosition/2", List.of("getOpaque"))));     // row 15

    /** The naming rule of access-modes.md: an accessor's prefix names the only VarHandle modes it may use. */
    static final Map<String, List<String>> PREFIX_MODES = Map.of(
            "lv", List.of("getAcquire"), "so", List.of("setRelease"), "opaque", List.of("getOpaque", "setOpaque"),
            "lp", List.of(), "sp", List.of());

    static final Pattern ACCESSOR = Pattern.compile("^(lv|so|lp|sp|opaque)[A-Z].*");

    /**
     * Every VarHandle access and every call of a doms accessor ({@link #ACCESSOR}) of every method
     * of {@code classes}, as Class#name/arity -> in program order.
     */
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
                    if (e instanceof InvokeInstruction i) {
                        final String owner = i.owner().asInternalName();
                        final String name = i.name().stringValue();
                        if (owner.equals("java/lang/invoke/VarHandle") && !name.startsWith("with")) {
                            modes.add(name);
                        } else if (owner.startsWith("doms/") && ACCESSOR.matcher(name).matches()) {
                            modes.add(name);
                        }
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
    void everyAccessorUsesTheModeItsNameSays() throws Exception {
        final Map<String, List<String>> found = accesses(List.of(RingDescriptor.class, doms.pool.BindingTable.class,
                doms.pool.SwitchStatus.class));
        for (final Map.Entry<String, List<String>> e : found.entrySet()) {
            final String name = e.getKey().substring(e.getKey().indexOf('#') + 1, e.getKey().indexOf('/'));
            final java.util.regex.Matcher prefix = ACCESSOR.matcher(name);
            final List<String> varHandleModes = e.getValue().stream().filter(x -> !ACCESSOR.matcher(x).matches()).toList();
            if (prefix.matches()) {
                assertThat(PREFIX_MODES.get(prefix.group(1))).as(e.getKey()).containsAll(varHandleModes);
            } else {
                assertThat(varHandleModes).as(e.getKey() + " is no accessor: it may not use a VarHandle itself").isEmpty();
            }
        }
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

    /** A producer that publishes with a plain store under a release name: what both checks must reject. */
    static final class WeakenedProducer {
        private static final VarHandle POSITION = ValueLayout.JAVA_LONG.varHandle();

        static void soProducerPosition(final MemorySegment ring, final long tail) {
            POSITION.set(ring, RingDescriptor.PRODUCER_POSITION_OFFSET, tail);
        }
    }

    @Test
    void aPlainPublishIsCaught() throws Exception {
        final Map<String, List<String>> found = accesses(List.<Class<?>>of(WeakenedProducer.class));
        assertThat(found).containsEntry("WeakenedProducer#soProducerPosition/2", List.of("set"));
        assertThat(found.get("WeakenedProducer#soProducerPosition/2")).isNotEqualTo(EXPECTED.get("RingDescriptor#soProducerPosition/2"));
        assertThat(PREFIX_MODES.get("so")).as("the naming rule rejects it too").doesNotContain("set");
    }
}
