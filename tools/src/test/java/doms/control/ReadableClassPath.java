package doms.control;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A copy of this test JVM's class path that processes under other uids can read (the local
 * Maven repository under root's home cannot be), for tests whose children run isolated. The
 * children find it through the {@code doms.child.classpath} property.
 */
public final class ReadableClassPath {
    private static Path copy;

    private ReadableClassPath() {
    }

    public static synchronized void install() throws IOException {
        if (copy == null) {
            copy = Files.createTempDirectory("doms-cp");
            final List<String> entries = new ArrayList<>();
            int i = 0;
            for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                final Path from = Path.of(entry);
                if (!Files.exists(from)) {
                    continue;
                }
                final Path to = copy.resolve(i++ + "-" + from.getFileName());
                if (Files.isDirectory(from)) {
                    try (var paths = Files.walk(from)) {
                        for (final Path p : paths.toList()) {
                            Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                } else {
                    Files.copy(from, to);
                }
                entries.add(to.toString());
            }
            try (var paths = Files.walk(copy)) {
                for (final Path p : paths.toList()) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            System.setProperty("doms.child.classpath", String.join(File.pathSeparator, entries));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    doms.shm.FileTrees.delete(copy);
                } catch (IOException ignored) {
                    // a temporary directory
                }
            }));
        }
    }
}
