package doms.demo;

import static org.assertj.core.api.Assertions.assertThat;

import doms.cli.JavaProcess;
import doms.cli.Main;
import doms.control.Isolation;
import doms.control.ReadableClassPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The TAP integration test: real TAP guests in their own network namespaces, ping and
 * iperf3 through the switch, a tenant that cannot reach them, a remote host behind a Linux
 * vxlan device (ping both ways, iperf3 through the uplink), and the capture read back by tcpdump. Needs root and the network tools;
 * skipped with the reason otherwise, unless DOMS_REQUIRE_TAP is set (CI sets it).
 */
class TapLabTest {
    @Test
    void realTrafficCrossesTheSwitchAndTheUplinkButNotTenants() throws Exception {
        final String missing = TapLab.missing();
        if (missing != null && System.getenv("DOMS_REQUIRE_TAP") != null) {
            throw new AssertionError("DOMS_REQUIRE_TAP is set but this machine cannot run the TAP test: it " + missing);
        }
        Assumptions.assumeTrue(missing == null, () -> "skipped: the TAP integration test " + missing);
        // Under /tmp itself: with isolation the switch's uid must reach the file.
        final Path pcap = Files.createTempFile("doms-tap-test", ".pcap");
        // Guests under their own uids (as root): none of them may open /dev/net/tun; the control plane hands them their TAP.
        ReadableClassPath.install();
        final Isolation isolation = Isolation.auto(JavaProcess.command(Main.class.getName(), List.of("--version")));
        assertThat(isolation.enabled()).as("root runs the lab's processes under their own uids").isTrue();
        final Map<String, Object> out;
        final String prefix;
        try (TapLab lab = new TapLab(new TapLab.Options(doms.cli.JavaProcess.DOMS, 100, 5, pcap, isolation, System.err::println))) {
            prefix = lab.ns("");
            out = lab.run();
        }
        System.err.println("TapLabTest: " + out);
        assertThat(out.get("ping_loss_pct")).isEqualTo(0.0);
        // Every guest asked its TAP for checksum and TSO offloads (TUNSETOFFLOAD 0x1 | 0x2 | 0x4) and got them.
        for (final Object flags : ((java.util.Map<?, ?>) out.get("offloads")).values()) {
            assertThat(Integer.decode(flags.toString()) & 0x7).as("offload flags " + flags).isEqualTo(0x7);
        }
        assertThat((Double) out.get("iperf3_mbps")).isPositive();
        assertThat((Double) out.get("bridge_iperf3_mbps")).isPositive();
        assertThat((Double) out.get("iperf3_4streams_mbps")).isPositive();
        assertThat((Double) out.get("bridge_iperf3_4streams_mbps")).isPositive();
        assertThat(out.get("cross_tenant_reachable")).isEqualTo(false);
        assertThat(out.get("vxlan_ping_ok")).isEqualTo(true);
        assertThat((Double) out.get("vxlan_iperf3_mbps")).as("TCP through the switch's uplink").isPositive();
        assertThat((Double) out.get("bridge_vxlan_iperf3_mbps")).isPositive();
        assertThat((Double) out.get("vxlan_iperf3_reverse_mbps")).as("TCP back through the uplink").isPositive();
        assertThat((Double) out.get("bridge_vxlan_iperf3_reverse_mbps")).isPositive();
        assertThat((Long) out.get("pcap_frames")).isPositive().isLessThanOrEqualTo(TapLab.CAPTURE_FRAMES);
        assertThat(TapLab.passed(out)).isTrue();

        final Shell.Result dump = Shell.run(List.of("tcpdump", "-nn", "-r", pcap.toString(), "icmp"), 30);
        assertThat(dump.output()).contains("10.0.1.1 > 10.0.1.100: ICMP echo request").contains("10.0.1.100 > 10.0.1.1: ICMP echo reply")
                .contains("10.0.1.100 > 10.0.1.1: ICMP echo request").contains("10.0.1.1 > 10.0.1.100: ICMP echo reply");
        // Nothing of the lab is left behind.
        assertThat(Shell.check("ip", "netns", "list")).doesNotContain(prefix);
        Files.delete(pcap);
    }
}
