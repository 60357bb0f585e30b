package doms.control;

import static org.assertj.core.api.Assertions.assertThat;

import doms.pool.PoolFiles;
import doms.pool.SlotDescriptor;
import doms.shm.SharedFile;
import doms.sw.EthernetFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * File owner and mode keep each guest to its own slot: a process under guest 1's uid can open
 * slot 0 (its own) but gets EACCES on slot 1 and on the binding table. Needs root (to run
 * processes under other uids); skipped with the reason otherwise.
 */
class IsolationTest {
    private Path dir;
    private Path probe;

    @BeforeEach
    void pool() throws Exception {
        final Isolation isolation;
        try {
            isolation = Isolation.on();
        } catch (IllegalStateException e) {
            Assumptions.abort("isolation test skipped: " + e.getMessage());
            return;
        }
        dir = SharedFile.DEFAULT_DIRECTORY.resolve("doms-isolation-" + ProcessHandle.current().pid());
        try (PoolAdmin admin = PoolAdmin.create(dir, 2, 1, EthernetFrame.DEFAULT_MAX_FRAME, isolation)) {
            final PoolFiles files = admin.pool();
            for (int i = 0; i < 2; i++) { // what the switch does at boot
                try (SharedFile slot = SharedFile.create(files.slot(i), SlotDescriptor.fileLength(1))) {
                    SlotDescriptor.initialise(slot.segment(), i, 1, EthernetFrame.DEFAULT_MAX_FRAME);
                }
            }
            admin.assign(0x020000000001L, 1);
            admin.assign(0x020000000002L, 2);
        }
        // A program any uid can run: it opens a file read-write and says what happened.
        final Path probeDir = Files.createTempDirectory("doms-probe");
        Files.setPosixFilePermissions(probeDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        probe = probeDir.resolve("OpenProbe.java");
        Files.writeString(probe, """
                public class OpenProbe {
                    public static void main(String[] args) {
                        try (var c = java.nio.channels.FileChannel.open(java.nio.file.Path.of(args[0]),
                                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
                            System.out.println("opened");
                        } catch (java.nio.file.AccessDeniedException e) {
                            System.out.println("EACCES");
                        } catch (Exception e) {
                            System.out.println("other " + e);
                        }
                    }
                }
                """);
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rw-r--r--"));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (final Path root : new Path[] {dir, probe == null ? null : probe.getParent()}) {
            if (root != null && Files.exists(root)) {
                try (var paths = Files.walk(root)) {
                    for (final Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private String openAs(final int uid, final Path file) throws Exception {
        final List<String> command = new ArrayList<>(Isolation.asUser(uid, uid));
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), probe.toString(), file.toString()));
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void aGuestOpensItsOwnSlotButNotAnotherGuestsNorTheBindings() throws Exception {
        final PoolFiles files = new PoolFiles(dir);
        assertThat(openAs(Isolation.GUEST_UID_BASE, files.slot(0))).isEqualTo("opened");
        assertThat(openAs(Isolation.GUEST_UID_BASE, files.slot(1))).isEqualTo("EACCES");
        assertThat(openAs(Isolation.GUEST_UID_BASE + 1, files.slot(0))).isEqualTo("EACCES");
        assertThat(openAs(Isolation.GUEST_UID_BASE, files.bindings())).isEqualTo("EACCES");
        assertThat(openAs(Isolation.SWITCH_UID, files.slot(1))).as("the switch reaches every slot").isEqualTo("opened");
    }
}
