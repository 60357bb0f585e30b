package doms.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A command's build step must leave standard output to its --json object. */
class MavenTest {
    @Test
    void everythingMavenPrintsGoesToStandardError() throws Exception {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final boolean ok;
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            ok = Maven.run(List.of("--version")); // Maven prints it to its standard output
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(ok).isTrue();
        assertThat(errBytes.toString(StandardCharsets.UTF_8)).containsPattern("\\d+\\.\\d+\\.\\d+"); // quiet, Maven prints only its version
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
