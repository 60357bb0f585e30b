package doms.ring;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The header as one u64 is exactly the two 4-byte fields of the layout, whatever their bits. */
class RecordDescriptorTest {
    @Test
    void oneStoreOfTheHeaderIsTheLengthAtOffset0AndTheTypeAtOffset4() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment m = arena.allocate(8, 8);
            for (final int[] lt : new int[][] {{0, 0}, {5, 2}, {-1, 7}, {Integer.MIN_VALUE, -2}, {1 << 30, Integer.MAX_VALUE}}) {
                m.set(ValueLayout.JAVA_LONG, 0, RecordDescriptor.header(lt[0], lt[1]));
                assertThat(m.get(ValueLayout.JAVA_INT, RecordDescriptor.LENGTH_OFFSET)).isEqualTo(lt[0]);
                assertThat(m.get(ValueLayout.JAVA_INT, RecordDescriptor.TYPE_OFFSET)).isEqualTo(lt[1]);
                final long read = m.get(ValueLayout.JAVA_LONG, 0);
                assertThat(RecordDescriptor.length(read)).isEqualTo(lt[0]);
                assertThat(RecordDescriptor.type(read)).isEqualTo(lt[1] & ~RecordDescriptor.SIGNAL);
                assertThat(RecordDescriptor.signalled(read)).isEqualTo((lt[1] & RecordDescriptor.SIGNAL) != 0);
            }
        }
    }

    @Test
    void theSignalBitIsNeitherTypeNorLength() {
        final long header = RecordDescriptor.header(100, 7 | RecordDescriptor.SIGNAL);
        assertThat(RecordDescriptor.signalled(header)).isTrue();
        assertThat(RecordDescriptor.type(header)).isEqualTo(7);
        assertThat(RecordDescriptor.length(header)).isEqualTo(100);
        assertThat(RecordDescriptor.signalled(RecordDescriptor.header(RecordDescriptor.SIGNAL, 7))).isFalse();
        assertThat(RecordDescriptor.signalled(0)).isFalse();
    }
}
