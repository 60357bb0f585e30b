package doms.sw;

import doms.pool.SlotDescriptor;
import doms.net.EthernetFrame;

import static org.assertj.core.api.Assertions.assertThat;

import doms.pool.Mac;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class ForwarderTest {
    private static final long BOUND = Mac.parse("02:00:00:00:00:01");
    private final MemorySegment frame = MemorySegment.ofArray(new byte[64]);

    private Verdict classify(final long dst, final long src, final int etherType, final int length) {
        EthernetFrame.writeHeader(frame, 0, dst, src, etherType);
        return Forwarder.classify(SlotDescriptor.TYPE_FRAME, frame, 0, length, BOUND);
    }

    @Test
    void unicastFromTheBoundSource() {
        assertThat(classify(Mac.parse("02:00:00:00:00:02"), BOUND, 0x0800, 60)).isEqualTo(Verdict.UNICAST);
    }

    @Test
    void groupDestinationsFlood() {
        assertThat(classify(Mac.BROADCAST, BOUND, 0x0800, 60)).isEqualTo(Verdict.FLOOD);
        assertThat(classify(Mac.parse("33:33:00:00:00:01"), BOUND, 0x86dd, 60)).isEqualTo(Verdict.FLOOD);
    }

    @Test
    void anyOtherSourceIsSpoofed() {
        assertThat(classify(Mac.BROADCAST, BOUND ^ 1, 0x0800, 60)).isEqualTo(Verdict.DROP_SPOOFED);
        assertThat(classify(Mac.BROADCAST, 0, 0x0800, 60)).isEqualTo(Verdict.DROP_SPOOFED);
    }

    @Test
    void runtsAndNonFramesAreMalformed() {
        assertThat(classify(Mac.BROADCAST, BOUND, 0x0800, 13)).isEqualTo(Verdict.DROP_RUNT);
        assertThat(classify(Mac.BROADCAST, BOUND, 0x0800, 0)).isEqualTo(Verdict.DROP_RUNT);
        assertThat(classify(Mac.BROADCAST, BOUND, EthernetFrame.TPID_8021Q, 17)).isEqualTo(Verdict.DROP_RUNT);
        assertThat(classify(Mac.BROADCAST, BOUND, EthernetFrame.TPID_8021Q, 18)).isEqualTo(Verdict.FLOOD);
        EthernetFrame.writeHeader(frame, 0, Mac.BROADCAST, BOUND, 0x0800);
        assertThat(Forwarder.classify(SlotDescriptor.TYPE_FRAME + 1, frame, 0, 60, BOUND)).isEqualTo(Verdict.DROP_NOT_A_FRAME);
    }

    @Test
    void headersReadBackAsWritten() {
        EthernetFrame.writeHeader(frame, 0, 0x0102030405L, 0xA1A2A3A4A5A6L, 0x88B5);
        assertThat(EthernetFrame.destination(frame, 0)).isEqualTo(0x0102030405L);
        assertThat(EthernetFrame.source(frame, 0)).isEqualTo(0xA1A2A3A4A5A6L);
        assertThat(EthernetFrame.etherType(frame, 0)).isEqualTo(0x88B5);
    }
}
