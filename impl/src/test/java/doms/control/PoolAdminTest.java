package doms.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import doms.pool.BindingTable;
import doms.pool.SlotDescriptor;
import doms.shm.SharedFile;
import doms.sw.EthernetFrame;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control plane's pool operations, without a switch (the switch's part is in SwitchProcessTest). */
class PoolAdminTest {
    @TempDir
    Path dir;

    private PoolAdmin pool() throws Exception {
        final PoolAdmin admin = PoolAdmin.create(dir.resolve("pool"), 2, 1, EthernetFrame.DEFAULT_MAX_FRAME, Isolation.off());
        for (int i = 0; i < 2; i++) { // what the switch does at boot
            try (SharedFile slot = SharedFile.create(admin.pool().slot(i), SlotDescriptor.fileLength(1))) {
                SlotDescriptor.initialise(slot.segment(), i, 1, EthernetFrame.DEFAULT_MAX_FRAME);
            }
        }
        return admin;
    }

    @Test
    void anAddressIsBoundOncePerTenant() throws Exception {
        try (PoolAdmin admin = pool()) {
            admin.assign(0x02AAL, 1);
            assertThatThrownBy(() -> admin.assign(0x02AAL, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already bound");
            assertThat(admin.assign(0x02AAL, 2).slot()).isEqualTo(1); // the same address in another tenant is another host
        }
    }

    @Test
    void aScrubRestoresTheSizeAGuestChangedAndZeroesEverything() throws Exception {
        try (PoolAdmin admin = pool()) {
            final PoolAdmin.Assignment a = admin.assign(0x02AAL, 1);
            try (FileChannel channel = FileChannel.open(a.path(), StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap("secret of tenant 1".getBytes()), 8192);
                channel.truncate(100); // a hostile guest shrinks its slot file
            }
            final long generation = admin.beginRetire(a.slot());
            admin.finishRetire(a.slot(), generation, () -> false, 1000);
            assertThat(Files.size(a.path())).isEqualTo(SlotDescriptor.fileLength(1));
            try (SharedFile slot = SharedFile.open(a.path())) {
                assertThat(SlotDescriptor.check(slot.segment(), 1, EthernetFrame.DEFAULT_MAX_FRAME)).isNull();
                final MemorySegment data = slot.segment().asSlice(8192, 64);
                assertThat(data.mismatch(MemorySegment.ofArray(new byte[64]))).isEqualTo(-1);
            }
            assertThat(BindingTable.state(admin.bindings().loadState(a.slot()))).isEqualTo(BindingTable.FREE);
        }
    }

    @Test
    void aRetirementThatTimedOutCanBeResumed() throws Exception {
        try (PoolAdmin admin = pool()) {
            final PoolAdmin.Assignment a = admin.assign(0x02AAL, 1);
            try (SharedFile status = SharedFile.create(admin.pool().status(), doms.pool.SwitchStatus.fileLength(2))) {
                doms.pool.SwitchStatus.initialise(status.segment(), 2); // a switch that never releases anything
            }
            final long generation = admin.beginRetire(a.slot());
            assertThatThrownBy(() -> admin.finishRetire(a.slot(), generation, () -> true, 50)).hasMessageContaining("did not release");
            assertThat(admin.beginRetire(a.slot())).isEqualTo(generation); // resumed, not refused
            admin.finishRetire(a.slot(), generation, () -> false, 50);   // the switch is gone now
            assertThat(BindingTable.state(admin.bindings().loadState(a.slot()))).isEqualTo(BindingTable.FREE);
        }
    }
}
