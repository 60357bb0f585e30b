package doms.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RingDescriptorTest {
    @Test
    void positionsSitAloneOnTheirOwn128ByteLinesAndDataIsPageAligned() {
        assertThat(RingDescriptor.PRODUCER_POSITION_OFFSET).isEqualTo(128);
        assertThat(RingDescriptor.CONSUMER_POSITION_OFFSET).isEqualTo(256);
        assertThat(RingDescriptor.CONSUMER_POSITION_OFFSET - RingDescriptor.PRODUCER_POSITION_OFFSET).isEqualTo(RingDescriptor.LINE);
        assertThat(RingDescriptor.MAX_PAYLOAD_OFFSET + 4).isLessThanOrEqualTo(RingDescriptor.PRODUCER_POSITION_OFFSET);
        assertThat(RingDescriptor.DATA_OFFSET % RingDescriptor.PAGE_SIZE).isZero();
        assertThat(RingDescriptor.regionLength(256)).isEqualTo(4096L + 256 * 4096L);
    }

    @Test
    void headerCarriesMagicVersionAndGeometryInLittleEndian() {
        final MemorySegment ring = TestRings.ring(2, 100);
        final byte[] magic = ring.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("DOMSRNG1");
        assertThat(ring.get(ValueLayout.JAVA_INT, 8)).isEqualTo(RingDescriptor.VERSION);
        assertThat(ring.get(ValueLayout.JAVA_INT, 12)).isEqualTo(2);
        assertThat(ring.get(ValueLayout.JAVA_LONG, 16)).isEqualTo(8192);
        assertThat(ring.get(ValueLayout.JAVA_INT, 24)).isEqualTo(100);
        assertThat(RingDescriptor.check(ring)).isNull();
        assertThat(RingDescriptor.check(ring, 2, 100)).isNull();
        assertThat(RingDescriptor.check(ring, 4, 100)).contains("expected 4");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 65537, -1, 131072})
    void rejectsPageCountsThatAreNotAPowerOfTwoInRange(final int pages) {
        assertThatThrownBy(() -> RingDescriptor.capacity(pages)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsTheWholePageRange() {
        assertThat(RingDescriptor.capacity(1)).isEqualTo(4096);
        assertThat(RingDescriptor.capacity(65536)).isEqualTo(65536L * 4096);
        assertThat(RingDescriptor.largestPayload(1)).isEqualTo(4080);
    }

    @Test
    void checkNamesEachBrokenHeaderField() {
        final MemorySegment ring = TestRings.ring(1);
        ring.set(ValueLayout.JAVA_LONG, RingDescriptor.MAGIC_OFFSET, 42);
        assertThat(RingDescriptor.check(ring)).startsWith("bad magic");
        RingDescriptor.initialise(ring, 1, 64);
        ring.set(ValueLayout.JAVA_INT, RingDescriptor.VERSION_OFFSET, 9);
        assertThat(RingDescriptor.check(ring)).contains("version 9");
        RingDescriptor.initialise(ring, 1, 64);
        ring.set(ValueLayout.JAVA_INT, RingDescriptor.PAGES_OFFSET, 2);
        assertThat(RingDescriptor.check(ring)).contains("does not match");
        RingDescriptor.initialise(ring, 1, 64);
        ring.set(ValueLayout.JAVA_INT, RingDescriptor.MAX_PAYLOAD_OFFSET, 5000);
        assertThat(RingDescriptor.check(ring)).contains("max payload");
        assertThatThrownBy(() -> RingConsumer.attach(ring)).isInstanceOf(RingFormatException.class);
    }

    @Test
    void theSwitchAttachesOnlyToTheGeometryItConfiguredAndKeepsItsOwnCopy() {
        final MemorySegment ring = TestRings.ring(2, 100);
        assertThatThrownBy(() -> RingConsumer.attach(ring, 1, 100)).isInstanceOf(RingFormatException.class).hasMessageContaining("expected 1");
        assertThatThrownBy(() -> RingProducer.attach(ring, 2, 99)).isInstanceOf(RingFormatException.class);
        final RingConsumer consumer = RingConsumer.attach(ring, 2, 100);
        ring.set(ValueLayout.JAVA_INT, RingDescriptor.PAGES_OFFSET, 65536); // the peer rewrites the header afterwards
        ring.set(ValueLayout.JAVA_INT, RingDescriptor.MAX_PAYLOAD_OFFSET, Integer.MAX_VALUE);
        assertThat(consumer.capacity()).isEqualTo(8192);
        assertThat(consumer.maxPayload()).isEqualTo(100);
        assertThat(consumer.poll((t, b, o, l) -> { }, 10)).isZero();
    }

    @Test
    void recordsAreEightByteAlignedWithAnEightByteHeader() {
        assertThat(RecordDescriptor.alignedLength(0)).isEqualTo(8);
        assertThat(RecordDescriptor.alignedLength(1)).isEqualTo(16);
        assertThat(RecordDescriptor.alignedLength(8)).isEqualTo(16);
        assertThat(RecordDescriptor.alignedLength(9)).isEqualTo(24);
        assertThat(RecordDescriptor.alignedLength(1514)).isEqualTo(1528);
    }
}
