package doms.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import doms.cap.Memfd;
import doms.pool.BindingTable;
import doms.pool.SlotDescriptor;
import doms.shm.SharedMemory;
import doms.net.EthernetFrame;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control plane's pool operations, without a switch (the switch's part is in SwitchProcessTest). */
class PoolAdminTest {
    @TempDir
    Path dir;

    private PoolAdmin pool() throws Exception {
        return PoolAdmin.create(dir.resolve("pool"), 2, 1, EthernetFrame.DEFAULT_MAX_FRAME, Isolation.off());
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
    void eachGenerationIsAFreshSealedMemfdAndTheOldOneIsDropped() throws Exception {
        try (PoolAdmin admin = pool()) {
            final List<Integer> announced = new ArrayList<>();
            admin.listener((grant, fd) -> announced.add(grant.slot()));
            final PoolAdmin.Assignment a = admin.assign(0x02AAL, 1);
            final int first = admin.memfd(a.slot(), a.generation());
            assertThat(announced).containsExactly(a.slot());
            assertThat(Memfd.seals(first) & Memfd.SLOT_SEALS).isEqualTo(Memfd.SLOT_SEALS);
            final long length = admin.slotLength();
            assertThat(Memfd.tamper(first, Memfd.Tamper.SHRINK, length)).as("sealed: no shrink").isNotZero();
            assertThat(Memfd.tamper(first, Memfd.Tamper.GROW, length)).as("sealed: no growth").isNotZero();
            try (SharedMemory m = Memfd.map(first, length)) {
                assertThat(SlotDescriptor.check(m.segment(), 1, EthernetFrame.DEFAULT_MAX_FRAME)).as("empty rings").isNull();
                m.segment().set(ValueLayout.JAVA_LONG, 8192, 0x5EC12E7L); // a secret of tenant 1
            }
            final long generation = admin.beginRetire(a.slot());
            admin.finishRetire(a.slot(), generation, () -> false, 1000);
            assertThat(admin.memfd(a.slot(), generation)).as("dropped after the retire").isEqualTo(-1);
            assertThat(BindingTable.state(admin.bindings().lvState(a.slot()))).isEqualTo(BindingTable.FREE);

            final PoolAdmin.Assignment b = admin.assign(0x02BBL, 2);
            assertThat(b.slot()).isEqualTo(a.slot());
            try (SharedMemory m = Memfd.map(admin.memfd(b.slot(), b.generation()), length)) {
                final MemorySegment data = m.segment().asSlice(8192, 64);
                assertThat(data.mismatch(MemorySegment.ofArray(new byte[64]))).as("nothing of tenant 1").isEqualTo(-1);
            }
        }
    }

    @Test
    void unsealedOrMisSizedMemoryIsNotMapped() throws Exception {
        final int fd = Memfd.create("doms-test", 8192);
        try {
            assertThatThrownBy(() -> Memfd.map(fd, 4096)).hasMessageContaining("expected 4096");
        } finally {
            doms.cap.Native.close(fd);
        }
    }

    @Test
    void aRetirementThatTimedOutCanBeResumed() throws Exception {
        try (PoolAdmin admin = pool()) {
            final PoolAdmin.Assignment a = admin.assign(0x02AAL, 1); // the status file says nothing was ever released
            final long generation = admin.beginRetire(a.slot());
            assertThatThrownBy(() -> admin.finishRetire(a.slot(), generation, () -> true, 50)).hasMessageContaining("did not release");
            assertThat(admin.beginRetire(a.slot())).isEqualTo(generation); // resumed, not refused
            admin.finishRetire(a.slot(), generation, () -> false, 50);   // the switch is gone now
            assertThat(BindingTable.state(admin.bindings().lvState(a.slot()))).isEqualTo(BindingTable.FREE);
        }
    }
}
