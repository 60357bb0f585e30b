package doms.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedFileTest {
    @TempDir
    Path dir;

    @Test
    void twoMappingsOfOneFileShareTheSameBytes() throws Exception {
        final Path file = dir.resolve("a.ring");
        try (SharedFile one = SharedFile.create(file, 8192); SharedFile two = SharedFile.open(file)) {
            assertThat(one.segment().byteSize()).isEqualTo(8192);
            assertThat(two.segment().get(ValueLayout.JAVA_LONG, 4096)).isZero();
            one.segment().set(ValueLayout.JAVA_LONG, 4096, 0x1234_5678_9ABCL);
            assertThat(two.segment().get(ValueLayout.JAVA_LONG, 4096)).isEqualTo(0x1234_5678_9ABCL);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void createNeverReusesAnExistingFile() throws Exception {
        final Path file = dir.resolve("b.ring");
        Files.writeString(file, "someone else's");
        assertThatThrownBy(() -> SharedFile.create(file, 4096)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("someone else's");
    }
}
