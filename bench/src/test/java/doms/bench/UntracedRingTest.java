package doms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import doms.ring.RingConsumer;
import doms.ring.RingProducer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UntracedRingTest {
    @Test
    void cutsEveryTraceBlockAndNothingElse() throws IOException {
        for (final Class<?> c : new Class<?>[] {RingProducer.class, RingConsumer.class}) {
            final byte[] original = UntracedRing.bytes(c);
            final AtomicInteger blocks = new AtomicInteger();
            final byte[] cut = UntracedRing.strip(original, blocks);
            assertThat(UntracedRing.traceReads(original)).as(c.getSimpleName()).isPositive();
            assertThat(blocks.get()).isEqualTo(UntracedRing.traceReads(original));
            assertThat(UntracedRing.traceReads(cut)).isZero();
            assertThat(cut.length).isLessThan(original.length);
        }
    }

    @Test
    void theCutClassesPassTheVerifierAndRunARing(@TempDir final Path dir) throws Exception {
        assertThat(UntracedRing.write(dir)).isPositive();
        try (var loader = new RingPackageLoader(dir)) {
            final Class<?> producer = Class.forName(RingProducer.class.getName(), true, loader);
            final Class<?> consumer = Class.forName(RingConsumer.class.getName(), true, loader);
            assertThat(producer.getClassLoader()).isSameAs(loader);
            assertThat(consumer.getClassLoader()).isSameAs(loader);
            assertThat(UntracedRing.traceReads(Files.readAllBytes(dir.resolve("doms/ring/RingProducer.class")))).isZero();
        }
    }

    /** Loads the doms.ring package itself (the cut classes from dir), so that package access holds. */
    private static final class RingPackageLoader extends ClassLoader implements AutoCloseable {
        private final Path dir;

        RingPackageLoader(final Path dir) {
            super(UntracedRingTest.class.getClassLoader());
            this.dir = dir;
        }

        @Override
        protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("doms.ring.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    final String file = name.replace('.', '/') + ".class";
                    try {
                        final Path cut = dir.resolve(file);
                        final byte[] bytes;
                        if (Files.isRegularFile(cut)) {
                            bytes = Files.readAllBytes(cut);
                        } else {
                            try (InputStream in = getParent().getResourceAsStream(file)) {
                                if (in == null) {
                                    throw new ClassNotFoundException(name);
                                }
                                bytes = in.readAllBytes();
                            }
                        }
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        public void close() {
        }
    }
}
