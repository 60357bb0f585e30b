package doms.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import doms.ring.RingDescriptor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class PoolLayoutTest {
    @Test
    void macsParseFormatAndKnowGroupAddresses() {
        assertThat(Mac.format(Mac.parse("02:00:5E:10:00:0a"))).isEqualTo("02:00:5e:10:00:0a");
        assertThat(Mac.isGroup(Mac.BROADCAST)).isTrue();
        assertThat(Mac.isGroup(Mac.parse("01:00:5e:00:00:01"))).isTrue();
        assertThat(Mac.isGroup(Mac.parse("02:00:00:00:00:01"))).isFalse();
        for (final String bad : new String[] {"", "02:00:00:00:00", "02:00:00:00:00:0g", "2:0:0:0:0:1", "02:00:00:00:00:01:02"}) {
            assertThatThrownBy(() -> Mac.parse(bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad MAC");
        }
    }

    @Test
    void aSlotIsAHeaderPageAndTwoRings() {
        final MemorySegment slot = Arena.ofAuto().allocate(SlotDescriptor.fileLength(2), 4096);
        slot.fill((byte) 0x77); // whatever a previous guest left
        SlotDescriptor.initialise(slot, 5, 2, 1518);
        assertThat(SlotDescriptor.check(slot, 2, 1518)).isNull();
        assertThat(SlotDescriptor.rxRingOffset(2)).isEqualTo(4096 + RingDescriptor.regionLength(2));
        assertThat(slot.get(ValueLayout.JAVA_INT, SlotDescriptor.INDEX_OFFSET)).isEqualTo(5);
        final MemorySegment rxData = SlotDescriptor.rxRing(slot, 2).asSlice(RingDescriptor.DATA_OFFSET);
        assertThat(rxData.mismatch(MemorySegment.ofArray(new byte[(int) rxData.byteSize()]))).isEqualTo(-1);
        assertThat(SlotDescriptor.check(slot, 4, 1518)).contains("smaller");
    }

    @Test
    void bindingsGoFreeAssignedRetiringFreeWithAGenerationPerAssignment() {
        final MemorySegment segment = Arena.ofAuto().allocate(BindingTable.fileLength(2), 4096);
        final BindingTable t = BindingTable.initialise(segment, 2, 4, 1518);
        assertThat(BindingTable.state(t.lvState(0))).isEqualTo(BindingTable.FREE);
        assertThat(t.assign(0, 0xAAL, 7, 1000)).isEqualTo(1);
        assertThat(t.lvState(0)).isEqualTo(BindingTable.word(1, BindingTable.ASSIGNED));
        assertThat(t.lpMac(0)).isEqualTo(0xAAL);
        assertThat(t.lpTenant(0)).isEqualTo(7);
        assertThatThrownBy(() -> t.assign(0, 0xBBL, 7, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> t.free(0)).isInstanceOf(IllegalStateException.class);
        assertThat(t.retire(0)).isEqualTo(1);
        t.free(0);
        assertThat(t.lvState(0)).isEqualTo(BindingTable.word(1, BindingTable.FREE));
        assertThat(t.lpMac(0)).isZero();
        assertThat(t.assign(0, 0xBBL, 8, 0)).isEqualTo(2);
        assertThat(BindingTable.attach(segment).slots()).isEqualTo(2);
    }

    @Test
    void switchStatusKeepsBootsHeartbeatAndReleases() {
        final MemorySegment segment = Arena.ofAuto().allocate(SwitchStatus.fileLength(3), 4096);
        final SwitchStatus st = SwitchStatus.initialise(segment, 3);
        assertThat(st.recordBoot()).isEqualTo(1);
        assertThat(SwitchStatus.attach(segment).recordBoot()).isEqualTo(2);
        st.opaqueHeartbeat(42);
        st.soReleasedGeneration(2, 9);
        st.opaqueCounter(2, SwitchStatus.SlotCounter.DROPS_FULL, 3);
        assertThat(st.opaqueHeartbeat()).isEqualTo(42);
        assertThat(st.lvReleasedGeneration(2)).isEqualTo(9);
        assertThat(st.opaqueCounter(2, SwitchStatus.SlotCounter.DROPS_FULL)).isEqualTo(3);
    }
}
