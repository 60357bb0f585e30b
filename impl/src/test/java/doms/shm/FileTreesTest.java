package doms.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path home;

    @Test
    void deletesAWholeTreeAndIgnoresAMissingOne() throws Exception {
        final Path root = Files.createDirectories(home.resolve("pool/a/b"));
        Files.writeString(root.resolve("slot-000"), "x");
        Files.writeString(home.resolve("pool/bindings"), "y");
        FileTrees.delete(home.resolve("pool"));
        assertThat(home.resolve("pool")).doesNotExist();
        FileTrees.delete(home.resolve("pool"));
    }

    @Test
    void aJarIsStaleWhenMissingOrOlderThanASource() throws Exception {
        final Path jar = home.resolve("target/x.jar");
        final Path source = Files.createDirectories(home.resolve("src/main")).resolve("A.java");
        Files.writeString(source, "class A {}");
        assertThat(FileTrees.stale(home, jar, List.of("src/main", "absent"))).isTrue();
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");
        Files.setLastModifiedTime(source, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 10_000));
        assertThat(FileTrees.stale(home, jar, List.of("src/main", "absent"))).isFalse();
        Files.setLastModifiedTime(source, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 10_000));
        assertThat(FileTrees.stale(home, jar, List.of("src/main", "absent"))).isTrue();
    }
}
