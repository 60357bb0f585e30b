package doms.demo;

import static org.assertj.core.api.Assertions.assertThat;

import doms.cli.JavaProcess;
import doms.control.Isolation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job on the smallest rings that hold a maximum frame (4 pages), without the kill:
 * the hostile guest punches its memfd to zeros and then writes an oversized header. It once
 * read its TX ring's capacity back from the punched header (0) and wrote outside its slot,
 * failing the demo whenever rings were smaller than the default 256 pages. And it used to go on
 * announcing its end through its honest producer after the forgery, which wrote over the
 * forged header within a millisecond: a switch that had not polled in between never saw it
 * and did not quarantine the port (seen in CI once in about eight runs of this test). And its punch
 * zeroes the records the switch had already written to its RX ring: it read them as corrupt and
 * stopped before its forgery (CI again; 2 of 25 runs of this demo with a busy core beside it).
 */
class ProcessDemoTest {
    @Test
    void smallRingsWithAHostileGuestThatPunchedItsMemfd(@TempDir final Path dir) throws Exception {
        final ProcessDemo.Report report = ProcessDemo.run(new ProcessDemo.Options(JavaProcess.DOMS, 1, 2000, 128, 4, false,
                Isolation.off(), dir, line -> { }));
        assertThat(report.json().get("failures")).asList().isEmpty();
        assertThat(report.json()).containsEntry("hostile_quarantined", true).containsEntry("cross_tenant_delivered", 0L);
        assertThat(report.passed()).isTrue();
    }
}
