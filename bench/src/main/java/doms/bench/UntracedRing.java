package doms.bench;

import doms.ring.RingConsumer;
import doms.ring.RingProducer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.Instruction;
import java.lang.classfile.MethodTransform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ring's two ends as they would be without trace calls: each {@code if (RingTrace.ON)}
 * block is cut out of the bytecode (see {@link #strip}). The baseline of the tracing-off cost: with tracing off the JIT folds the constant, but
 * the dead blocks still count against the inlining limits, which is where a cost could hide.
 */
final class UntracedRing {
    static final String TRACE_OWNER = "doms/ring/RingTrace";

    private UntracedRing() {
    }

    /** Writes the untraced RingProducer and RingConsumer under dir (a class-path root); returns the blocks cut. */
    static int write(final Path dir) throws IOException {
        int cut = 0;
        for (final Class<?> c : new Class<?>[] {RingProducer.class, RingConsumer.class}) {
            final AtomicInteger blocks = new AtomicInteger();
            final byte[] stripped = strip(bytes(c), blocks);
            if (blocks.get() == 0) {
                throw new IOException(c.getSimpleName() + " has no RingTrace.ON block to cut: the baseline would equal it");
            }
            cut += blocks.get();
            final Path out = dir.resolve(c.getName().replace('.', '/') + ".class");
            Files.createDirectories(out.getParent());
            Files.write(out, stripped);
        }
        return cut;
    }

    static byte[] bytes(final Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            if (in == null) {
                throw new IOException("no class file for " + c.getName());
            }
            return in.readAllBytes();
        }
    }

    /**
     * Each {@code getstatic RingTrace.ON; ifeq L} becomes {@code goto L} (what it does when the
     * constant is false), then every instruction no path reaches any more is dropped: the trace
     * block, and also code after it that only it reached (javac sends a block that ends in a
     * {@code break} straight to the loop's exit).
     */
    static byte[] strip(final byte[] classFile, final AtomicInteger blocks) {
        final ClassFile cf = ClassFile.of();
        final byte[] jumped = cf.transformClass(cf.parse(classFile),
                ClassTransform.transformingMethodBodies(CodeTransform.ofStateful(() -> new Jumper(blocks))));
        final ClassModel model = cf.parse(jumped);
        return cf.transformClass(model, (clb, ce) -> {
            if (ce instanceof MethodModel m && m.code().isPresent()) {
                final boolean[] live = Reachable.of(m.code().get());
                // The transform sees the body's elements in the order of elementList().
                final int[] next = {0};
                clb.transformMethod(m, MethodTransform.transformingCode((b, e) -> {
                    if (!(e instanceof Instruction) || live[next[0]]) {
                        b.with(e);
                    }
                    next[0]++;
                }));
            } else {
                clb.with(ce);
            }
        });
    }

    /** Reads of RingTrace.ON left in a class file (0 once stripped). */
    static int traceReads(final byte[] classFile) {
        int n = 0;
        for (final MethodModel m : ClassFile.of().parse(classFile).methods()) {
            final CodeModel code = m.code().orElse(null);
            if (code == null) {
                continue;
            }
            for (final CodeElement e : code) {
                if (isTraceOn(e)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean isTraceOn(final CodeElement e) {
        return e instanceof FieldInstruction f && f.opcode() == Opcode.GETSTATIC
                && f.owner().asInternalName().equals(TRACE_OWNER) && f.name().equalsString("ON");
    }

    /** Turns {@code getstatic RingTrace.ON; ifeq L} into {@code goto L}. */
    private static final class Jumper implements CodeTransform {
        private final AtomicInteger blocks;
        private CodeElement held;

        Jumper(final AtomicInteger blocks) {
            this.blocks = blocks;
        }

        @Override
        public void accept(final CodeBuilder b, final CodeElement e) {
            if (held != null) {
                final CodeElement h = held;
                held = null;
                if (e instanceof BranchInstruction br && br.opcode() == Opcode.IFEQ) {
                    b.goto_(br.target());
                    blocks.incrementAndGet();
                    return;
                }
                b.with(h);
            }
            if (isTraceOn(e)) {
                held = e;
                return;
            }
            b.with(e);
        }

        @Override
        public void atEnd(final CodeBuilder b) {
            if (held != null) {
                b.with(held);
            }
        }
    }
}
