package doms.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class VxlanTest {
    private final MemorySegment packet = Arena.ofAuto().allocate(64);

    @Test
    void headerIsTheRfc7348Layout() {
        Vxlan.writeHeader(packet, 0, 0x123456);
        assertThat(packet.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE))
                .containsExactly(0x08, 0, 0, 0, 0x12, 0x34, 0x56, 0);
        assertThat(Vxlan.vni(packet, 0, 8)).isEqualTo(0x123456);
    }

    @Test
    void reservedBitsAreIgnoredOnReceipt() {
        Vxlan.writeHeader(packet, 0, 42);
        packet.set(ValueLayout.JAVA_BYTE, 0, (byte) 0xff);
        packet.set(ValueLayout.JAVA_BYTE, 7, (byte) 0xff);
        assertThat(Vxlan.vni(packet, 0, 8)).isEqualTo(42);
    }

    @Test
    void shortPacketsAndMissingFlagAreRejected() {
        Vxlan.writeHeader(packet, 0, 42);
        assertThat(Vxlan.vni(packet, 0, 7)).isEqualTo(Vxlan.SHORT);
        packet.set(ValueLayout.JAVA_BYTE, 0, (byte) 0xf7);
        assertThat(Vxlan.vni(packet, 0, 8)).isEqualTo(Vxlan.NO_VNI_FLAG);
    }

    @Test
    void endpointsParseWithAndWithoutPort() {
        assertThat(Endpoints.parse("10.99.0.1", 4789).getPort()).isEqualTo(4789);
        assertThat(Endpoints.parse("10.99.0.1:9", 4789).getPort()).isEqualTo(9);
        assertThat(Endpoints.parse("[::1]:7", 4789).getPort()).isEqualTo(7);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Endpoints.parse("example.org", 1))
                .hasMessageContaining("numeric IP address");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Endpoints.parse("10.0.0.1:70000", 1))
                .hasMessageContaining("bad port");
    }
}
