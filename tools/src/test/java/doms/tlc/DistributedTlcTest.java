package doms.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * TLC's distributed mode, a TLCServer with two TLCWorker processes on localhost, gives the
 * manifest's verdict for a passing model (with its exact distinct-state count) and for a bug model.
 * Without a tla2tools.jar this test is reported as skipped, with the reason, never as passed.
 */
class DistributedTlcTest {
    @Test
    void twoLocalWorkersGiveTheManifestsResults() throws Exception {
        final Path home = Path.of(System.getProperty("doms.home", "..")).toAbsolutePath().normalize();
        final Manifest manifest = Manifest.load(home.resolve("spec").resolve("manifest.json"));
        final Tla2Tools.Located tools = Tla2Tools.locate(System.getenv(), true);
        Assumptions.assumeTrue(tools.found(), () -> "distributed TLC skipped: " + tools.reason());
        // A free port, so that a run elsewhere on TLC's default port does not collide with this one.
        final var listen = new DistributedRunner.Listen("localhost", freePort());
        final DistributedRunner runner = new DistributedRunner(tools.jar(), home.resolve("spec"),
                home.resolve("reports").resolve("tlc"), listen, 2, System.out);
        for (final String name : new String[] {"ring/MCRing", "ring/MCRingBug1PublishBeforeWrite"}) {
            final Manifest.Model model = manifest.models().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
            final TlcResult r = runner.run(model);
            System.out.printf("distributed TLC %-34s expected %-12s got %-12s %,d states in %.1f s%n",
                    r.model(), r.expected(), r.result(), r.distinctStates(), r.seconds());
            assertThat(r.result()).as("%s (log %s)", name, r.log()).isEqualTo(model.expected());
            assertThat(r.matches()).as("%s: %s", name, r.mismatch()).isTrue();
            if (TlcOutput.PASS.equals(model.expected())) {
                assertThat(r.distinctStates()).as("every reachable state, each counted once").isEqualTo(model.distinctStates());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
