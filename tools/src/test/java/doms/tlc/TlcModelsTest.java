package doms.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every non-deep model of spec/manifest.json gives the result the manifest expects. Without a
 * tla2tools.jar this test is reported as skipped, with the reason, never as passed.
 */
class TlcModelsTest {
    @Test
    void everyModelMatchesTheManifest() throws Exception {
        final Path home = Path.of(System.getProperty("doms.home", "..")).toAbsolutePath().normalize();
        final Manifest manifest = Manifest.load(home.resolve("spec").resolve("manifest.json"));
        final Tla2Tools.Located tools = Tla2Tools.locate(System.getenv(), true);
        Assumptions.assumeTrue(tools.found(), () -> "TLC skipped: " + tools.reason());
        final TlcRunner runner = new TlcRunner(tools.jar(), home.resolve("spec"), home.resolve("reports").resolve("tlc"));
        final List<String> mismatches = new ArrayList<>();
        for (final Manifest.Model model : manifest.models()) {
            if (model.deep()) {
                continue;
            }
            final TlcResult r = runner.run(model);
            System.out.printf("TLC %-30s expected %-20s got %-20s %,d states%n", r.model(), r.expected(), r.result(), r.distinctStates());
            if (!r.matches()) {
                mismatches.add(r.model() + ": " + r.mismatch() + " (log " + r.log() + ")");
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
