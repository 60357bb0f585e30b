package doms.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import doms.ring.RingDescriptor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The pool's files byte by byte, as the other processes see them: the switch, the control plane
 * and a guest each map the same bytes, so every field must be where the layout comments say.
 */
class PoolHeadersTest {
    private static MemorySegment memory(final long bytes) {
        return Arena.ofAuto().allocate(bytes, 4096);
    }

    @Test
    void bindingEntriesSitAtTheirOffsetsAndSlotsDoNotShareBytes() {
        final MemorySegment m = memory(BindingTable.fileLength(3));
        final BindingTable t = BindingTable.initialise(m, 3, 8, 1518);
        assertThat(m.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(BindingTable.MAGIC);
        assertThat(m.get(ValueLayout.JAVA_INT, 8)).isEqualTo(BindingTable.VERSION);
        assertThat(t.slots()).isEqualTo(3);
        assertThat(t.pages()).isEqualTo(8);
        assertThat(t.maxFrame()).isEqualTo(1518);
        assertThat(t.assign(2, 0x0200_0000_00AAL, 7, 1002)).isEqualTo(1);
        assertThat(t.assign(1, 0x0200_0000_00BBL, 8, 1001)).isEqualTo(1);
        final long entry2 = BindingTable.HEADER_LENGTH + 2 * BindingTable.ENTRY_LENGTH;
        assertThat(m.get(ValueLayout.JAVA_LONG, entry2 + BindingTable.STATE_OFFSET)).isEqualTo(BindingTable.word(1, BindingTable.ASSIGNED));
        assertThat(m.get(ValueLayout.JAVA_LONG, entry2 + BindingTable.MAC_OFFSET)).isEqualTo(0x0200_0000_00AAL);
        assertThat(m.get(ValueLayout.JAVA_INT, entry2 + BindingTable.TENANT_OFFSET)).isEqualTo(7);
        assertThat(m.get(ValueLayout.JAVA_INT, entry2 + BindingTable.UID_OFFSET)).isEqualTo(1002);
        assertThat(t.lpMac(1)).isEqualTo(0x0200_0000_00BBL);
        assertThat(t.lpTenant(1)).isEqualTo(8);
        assertThat(t.lpUid(1)).isEqualTo(1001);
        assertThat(t.lpUid(2)).isEqualTo(1002);
        assertThat(BindingTable.state(t.lvState(0))).isEqualTo(BindingTable.FREE);
        assertThat(t.lpMac(0)).isZero();
        // The header is untouched by the entries.
        assertThat(m.asSlice(24, BindingTable.HEADER_LENGTH - 24).mismatch(memory(BindingTable.HEADER_LENGTH - 24))).isEqualTo(-1);
    }

    @Test
    void freeingScrubsTheWholeEntryAndKeepsTheGeneration() {
        final MemorySegment m = memory(BindingTable.fileLength(2));
        final BindingTable t = BindingTable.initialise(m, 2, 4, 1518);
        t.assign(0, 0xA0L, 3, 1000);
        t.assign(1, 0xB0L, 4, 2000);
        assertThat(t.retire(1)).isEqualTo(1);
        final long entry1 = BindingTable.HEADER_LENGTH + BindingTable.ENTRY_LENGTH;
        assertThat(m.get(ValueLayout.JAVA_LONG, entry1)).isEqualTo(BindingTable.word(1, BindingTable.RETIRING));
        assertThatThrownBy(() -> t.retire(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not assigned");
        t.free(1);
        assertThat(m.asSlice(entry1 + 8, BindingTable.ENTRY_LENGTH - 8).mismatch(memory(BindingTable.ENTRY_LENGTH - 8))).isEqualTo(-1);
        assertThat(t.lvState(1)).isEqualTo(BindingTable.word(1, BindingTable.FREE));
        assertThat(t.lpUid(1)).isZero();
        assertThat(t.lpTenant(1)).isZero();
        // Slot 0 kept its binding.
        assertThat(t.lvState(0)).isEqualTo(BindingTable.word(1, BindingTable.ASSIGNED));
        assertThat(t.lpMac(0)).isEqualTo(0xA0L);
        assertThat(t.lpTenant(0)).isEqualTo(3);
        assertThat(t.lpUid(0)).isEqualTo(1000);
        assertThat(BindingTable.generation(BindingTable.word(0x1234, BindingTable.RETIRING))).isEqualTo(0x1234);
        assertThat(BindingTable.state(BindingTable.word(0x1234, BindingTable.RETIRING))).isEqualTo(BindingTable.RETIRING);
    }

    @Test
    void attachChecksHeaderAndSizeAtTheirLimits() {
        final MemorySegment one = memory(BindingTable.fileLength(1));
        BindingTable.initialise(one, 1, 4, 1518);
        assertThat(BindingTable.attach(one).slots()).isEqualTo(1);
        // Exactly a header page: a table, but too small for its slot.
        final MemorySegment headerOnly = one.asSlice(0, BindingTable.HEADER_LENGTH);
        assertThatThrownBy(() -> BindingTable.attach(headerOnly)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("too small for 1 slots");
        assertThatThrownBy(() -> BindingTable.attach(one.asSlice(0, BindingTable.HEADER_LENGTH - 1)))
                .hasMessage("not a doms binding table");
        final MemorySegment zeroSlots = memory(BindingTable.fileLength(1));
        BindingTable.initialise(zeroSlots, 0, 4, 1518);
        assertThatThrownBy(() -> BindingTable.attach(zeroSlots)).hasMessageContaining("too small for 0 slots");
        one.set(ValueLayout.JAVA_INT, BindingTable.VERSION_OFFSET, BindingTable.VERSION + 1);
        assertThatThrownBy(() -> BindingTable.attach(one)).hasMessage("binding table of version " + (BindingTable.VERSION + 1) + ", expected " + BindingTable.VERSION);
    }

    @Test
    void switchStatusFieldsSitAtTheirOffsets() {
        final MemorySegment m = memory(SwitchStatus.fileLength(3));
        m.fill((byte) 0x5A); // whatever was there before
        final SwitchStatus st = SwitchStatus.initialise(m, 3);
        assertThat(m.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(SwitchStatus.MAGIC);
        assertThat(m.get(ValueLayout.JAVA_INT, 8)).isEqualTo(SwitchStatus.VERSION);
        assertThat(m.get(ValueLayout.JAVA_INT, 12)).isEqualTo(3);
        assertThat(st.slots()).isEqualTo(3);
        assertThat(m.get(ValueLayout.JAVA_LONG, 24)).isZero();
        st.recordBoot();
        assertThat(st.lvBoots()).isEqualTo(1);
        assertThat(m.get(ValueLayout.JAVA_LONG, SwitchStatus.BOOTS_OFFSET)).isEqualTo(1);
        st.opaqueHeartbeat(77);
        assertThat(m.get(ValueLayout.JAVA_LONG, SwitchStatus.HEARTBEAT_OFFSET)).isEqualTo(77);
        final long slot2 = SwitchStatus.SLOTS_BASE + 2 * SwitchStatus.SLOT_LENGTH;
        st.opaqueServedGeneration(2, 5);
        st.soReleasedGeneration(2, 4);
        st.opaqueCounter(2, SwitchStatus.SlotCounter.FRAMES_OUT, 123);
        st.opaqueCounter(1, SwitchStatus.SlotCounter.QUARANTINED, 9);
        assertThat(m.get(ValueLayout.JAVA_LONG, slot2 + SwitchStatus.SERVED_OFFSET)).isEqualTo(5);
        assertThat(m.get(ValueLayout.JAVA_LONG, slot2 + SwitchStatus.RELEASED_OFFSET)).isEqualTo(4);
        assertThat(m.get(ValueLayout.JAVA_LONG, slot2 + SwitchStatus.SlotCounter.FRAMES_OUT.offset)).isEqualTo(123);
        assertThat(m.get(ValueLayout.JAVA_LONG, SwitchStatus.SLOTS_BASE + SwitchStatus.SLOT_LENGTH + SwitchStatus.SlotCounter.QUARANTINED.offset)).isEqualTo(9);
        assertThat(st.opaqueServedGeneration(2)).isEqualTo(5);
        assertThat(st.opaqueServedGeneration(1)).isZero();
        assertThat(st.opaqueCounter(1, SwitchStatus.SlotCounter.QUARANTINED)).isEqualTo(9);
        st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_SPOOFED, 11);
        assertThat(m.get(ValueLayout.JAVA_LONG, 64L)).as("the diagram: uplink drops spoofed at 64").isEqualTo(11);
        assertThat(m.get(ValueLayout.JAVA_LONG, SwitchStatus.UplinkCounter.DROPS_SPOOFED.offset())).isEqualTo(11);
        assertThat(st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.DROPS_SPOOFED)).isEqualTo(11);
        assertThat(st.opaqueUplinkCounter(SwitchStatus.UplinkCounter.FRAMES_IN)).isZero();
    }

    @Test
    void switchStatusAttachChecksAtTheLimits() {
        final MemorySegment one = memory(SwitchStatus.fileLength(1));
        SwitchStatus.initialise(one, 1);
        assertThat(SwitchStatus.attach(one).slots()).isEqualTo(1);
        assertThatThrownBy(() -> SwitchStatus.attach(one.asSlice(0, SwitchStatus.SLOTS_BASE)))
                .hasMessageContaining("too small for 1 slots");
        assertThatThrownBy(() -> SwitchStatus.attach(one.asSlice(0, SwitchStatus.SLOTS_BASE - 1)))
                .hasMessage("not a doms switch status file");
        SwitchStatus.initialise(one, 0);
        assertThatThrownBy(() -> SwitchStatus.attach(one)).hasMessageContaining("too small for 0 slots");
        one.set(ValueLayout.JAVA_LONG, 0, 0);
        assertThatThrownBy(() -> SwitchStatus.attach(one)).hasMessage("not a doms switch status file");
    }

    @Test
    void slotHeaderIsWrittenAndEachBrokenPartIsNamed() {
        final MemorySegment slot = memory(SlotDescriptor.fileLength(1));
        SlotDescriptor.initialise(slot, 3, 1, 1518);
        assertThat(slot.get(ValueLayout.JAVA_LONG, SlotDescriptor.MAGIC_OFFSET)).isEqualTo(SlotDescriptor.MAGIC);
        assertThat(slot.get(ValueLayout.JAVA_INT, SlotDescriptor.VERSION_OFFSET)).isEqualTo(SlotDescriptor.VERSION);
        assertThat(slot.get(ValueLayout.JAVA_INT, SlotDescriptor.INDEX_OFFSET)).isEqualTo(3);
        assertThat(SlotDescriptor.pages(slot)).isEqualTo(1);
        assertThat(SlotDescriptor.maxFrame(slot)).isEqualTo(1518);
        assertThat(SlotDescriptor.txRing(slot, 1).address()).isEqualTo(slot.address() + 4096);
        assertThat(SlotDescriptor.rxRing(slot, 1).byteSize()).isEqualTo(RingDescriptor.regionLength(1));
        assertThat(SlotDescriptor.check(slot, 1, 1518)).isNull();
        assertThat(SlotDescriptor.check(slot, 1, 1500)).startsWith("TX ring: ");
        SlotDescriptor.txRing(slot, 1).set(ValueLayout.JAVA_INT, RingDescriptor.VERSION_OFFSET, 7);
        assertThat(SlotDescriptor.check(slot, 1, 1518)).isEqualTo("TX ring: unsupported layout version 7");
        SlotDescriptor.initialise(slot, 3, 1, 1518);
        SlotDescriptor.rxRing(slot, 1).set(ValueLayout.JAVA_INT, RingDescriptor.VERSION_OFFSET, 8);
        assertThat(SlotDescriptor.check(slot, 1, 1518)).isEqualTo("RX ring: unsupported layout version 8");
        slot.set(ValueLayout.JAVA_INT, SlotDescriptor.VERSION_OFFSET, SlotDescriptor.VERSION + 1);
        assertThat(SlotDescriptor.check(slot, 1, 1518)).isEqualTo("unsupported slot layout version " + (SlotDescriptor.VERSION + 1));
        slot.set(ValueLayout.JAVA_LONG, SlotDescriptor.MAGIC_OFFSET, 1);
        assertThat(SlotDescriptor.check(slot, 1, 1518)).isEqualTo("not a doms slot (bad magic)");
    }

    @Test
    void poolFilesAreNamedInTheirDirectory() {
        final PoolFiles files = new PoolFiles(Path.of("/dev/shm/p"));
        assertThat(files.bindings()).isEqualTo(Path.of("/dev/shm/p/bindings"));
        assertThat(files.status()).isEqualTo(Path.of("/dev/shm/p/switch-status"));
        assertThat(files.control()).isEqualTo(Path.of("/dev/shm/p/control.sock"));
    }

    @Test
    void macFormatsEveryOctetAndTellsGroupFromIndividualByTheFirstOctet() {
        assertThat(Mac.format(0x0123_4567_89ABL)).isEqualTo("01:23:45:67:89:ab");
        assertThat(Mac.format(Mac.BROADCAST)).isEqualTo("ff:ff:ff:ff:ff:ff");
        assertThat(Mac.parse("fe-dc-ba-98-76-54")).isEqualTo(0xFEDC_BA98_7654L);
        assertThat(Mac.isGroup(0x0100_0000_0000L)).isTrue();
        assertThat(Mac.isGroup(0x0001_0000_0001L)).isFalse();
    }
}
