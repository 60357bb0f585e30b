package doms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The architecture, checked on the compiled classes: every class the core and the tools refer
 * to (their constant pools) is in a package the table below allows. The core uses only the
 * packages before it; nothing in the core reaches the tools; the tools' libraries (picocli,
 * Jackson, JFreeChart) are not reachable from the core.
 */
class LayersTest {
    /** Each package and the doms packages it may use; core first, bottom up. */
    static final Map<String, Set<String>> ALLOWED = new TreeMap<>(Map.ofEntries(
            Map.entry("shm", Set.of()),
            Map.entry("poll", Set.of()),
            Map.entry("net", Set.of()),
            Map.entry("ring", Set.of()),
            Map.entry("cap", Set.of("shm")),
            Map.entry("pool", Set.of("shm", "poll", "net", "ring", "cap")),
            Map.entry("sw", Set.of("shm", "poll", "net", "ring", "cap", "pool")),
            Map.entry("guest", Set.of("shm", "poll", "net", "ring", "cap", "pool")),
            Map.entry("control", Set.of("shm", "poll", "net", "ring", "cap", "pool")),
            // tools
            Map.entry("report", Set.of()),
            Map.entry("tlc", Set.of("shm")),
            Map.entry("trace", Set.of("shm", "net", "ring", "pool", "guest", "control", "tlc")),
            Map.entry("demo", Set.of("shm", "net", "pool", "guest", "control")),
            // evidence: the fuzz runner draws its coverage plot with report.
            Map.entry("evidence", Set.of("shm", "report", "tlc", "trace")),
            Map.entry("cli", Set.of("shm", "poll", "net", "ring", "cap", "pool", "sw", "guest", "control",
                    "report", "tlc", "trace", "demo", "evidence"))));

    static final Set<String> CORE = Set.of("shm", "poll", "net", "ring", "cap", "pool", "sw", "guest", "control");

    @Test
    void noPackageUsesOneAboveIt() throws Exception {
        final Map<String, Set<String>> used = new TreeMap<>();
        final Map<String, Set<String>> external = new TreeMap<>();
        scan(root(doms.ring.RingProducer.class), used, external);
        scan(root(doms.cli.Main.class), used, external);
        assertThat(used.keySet()).as("packages found").containsAll(CORE).contains("cli");
        final List<String> violations = new java.util.ArrayList<>();
        used.forEach((pkg, deps) -> {
            final Set<String> allowed = ALLOWED.get(pkg);
            if (allowed == null) {
                violations.add("doms." + pkg + " is not in LayersTest.ALLOWED: place it in a layer");
                return;
            }
            for (final String dep : deps) {
                if (!dep.equals(pkg) && !allowed.contains(dep)) {
                    violations.add("doms." + pkg + " uses doms." + dep);
                }
            }
        });
        external.forEach((pkg, libs) -> {
            if (CORE.contains(pkg) && !libs.isEmpty()) {
                violations.add("core package doms." + pkg + " uses " + libs);
            }
        });
        assertThat(violations).isEmpty();
    }

    @Test
    void theCheckSeesAnUpwardEdge() throws Exception {
        // Negative control: the table must reject what the tools do, if the core did it.
        final Map<String, Set<String>> used = new TreeMap<>();
        scan(root(doms.cli.Main.class), used, new TreeMap<>());
        assertThat(used.get("cli")).contains("control");
        assertThat(ALLOWED.get("control")).doesNotContain("cli", "demo");
    }

    private static Path root(final Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Adds, per doms package under {@code root}, the doms packages and outside libraries it refers to. */
    private static void scan(final Path root, final Map<String, Set<String>> used, final Map<String, Set<String>> external)
            throws IOException {
        if (Files.isDirectory(root)) {
            scanTree(root, used, external);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                scanTree(jar.getPath("/"), used, external);
            }
        }
    }

    private static void scanTree(final Path root, final Map<String, Set<String>> used, final Map<String, Set<String>> external)
            throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (final Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                final var model = ClassFile.of().parse(Files.readAllBytes(file));
                final String pkg = layer(model.thisClass().asInternalName());
                if (pkg == null) {
                    continue;
                }
                final Set<String> deps = used.computeIfAbsent(pkg, k -> new TreeSet<>());
                final Set<String> libs = external.computeIfAbsent(pkg, k -> new TreeSet<>());
                for (final PoolEntry entry : model.constantPool()) {
                    if (entry instanceof ClassEntry ce) {
                        final String name = ce.asInternalName().replaceFirst("^\\[*L?", "");
                        final String dep = layer(name);
                        if (dep != null) {
                            deps.add(dep);
                        } else if (!name.startsWith("java/") && !name.startsWith("javax/") && !name.startsWith("jdk/")
                                && name.contains("/")) {
                            libs.add(name.substring(0, name.lastIndexOf('/')));
                        }
                    }
                }
            }
        }
    }

    /** {@code doms/sw/Switch} to {@code sw}; null outside doms. */
    private static String layer(final String internalName) {
        if (!internalName.startsWith("doms/")) {
            return null;
        }
        final int slash = internalName.indexOf('/', 5);
        return slash < 0 ? null : internalName.substring(5, slash);
    }
}
