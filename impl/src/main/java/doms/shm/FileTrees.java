package doms.shm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Whole directory trees: deleting a pool or a work folder, and telling whether a build is stale. */
public final class FileTrees {
    private FileTrees() {
    }

    /** Deletes {@code root} and everything below it; nothing to do if it does not exist. */
    public static void delete(final Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** True when {@code jar} is missing or a regular file under any of {@code sources} (relative to {@code home}) is newer. */
    public static boolean stale(final Path home, final Path jar, final List<String> sources) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return true;
        }
        final FileTime built = Files.getLastModifiedTime(jar);
        for (final String source : sources) {
            final Path root = home.resolve(source);
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                if (files.anyMatch(f -> newer(f, built))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean newer(final Path file, final FileTime than) {
        try {
            return Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(than) > 0;
        } catch (IOException e) {
            return true; // unreadable: rebuild rather than run something old
        }
    }
}
