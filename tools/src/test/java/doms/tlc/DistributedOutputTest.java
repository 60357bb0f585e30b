package doms.tlc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TlcOutput reads TLCServer's output (captured from runs of ring models with two local workers). */
class DistributedOutputTest {
    /** ring/MCRing, TLC v1.8.0, `./doms tlc --distributed --workers 2` (module parsing lines left out). */
    private static final String PASS = """
            TLC2 TLC Server Version 2026.12.01.221952
            Starting... (2026-12-02 01:51:52)
            TLC Server (started by doms; fingerprint set exported over RMI)
            Computing initial states...
            Finished computing initial states: 6 distinct state(s) generated at 2026-12-02 01:51:54.
            TLC server at vm is ready (2026-12-02 01:51:54)
            Registration for worker at rmi://localhost:0/0 completed (2026-12-02 01:51:58)
            Registration for worker at rmi://localhost:0/0 completed (2026-12-02 01:51:58)
            Worker: rmi://localhost:0/0 Sent: 3986 Rcvd: 4020 CacheRatio: 0.28 (2026-12-02 01:52:02)
            Worker: rmi://localhost:0/0 Sent: 4915 Rcvd: 5180 CacheRatio: 0.29 (2026-12-02 01:52:03)
            Model checking completed. No error has been found.
              Estimates of the probability that TLC did not check all reachable states
              because two distinct states had the same fingerprint:
              calculated (optimistic):  val = 0.0
              based on the actual fingerprints:  val = 2.4E-12
            22756 states generated, 8901 distinct states found, 0 states left on queue.
            The depth of the complete state graph search is 37.
            Finished in 09s at (2026-12-02 01:52:03)
            vm, work completed. Thank you!
            """;

    /**
     * ring/MCRingBug1PublishBeforeWrite: TLCServer itself prints only "Error: The behavior up to this
     * point is:"; the first line is the worker's message, which DistributedServerMain prints.
     */
    private static final String VIOLATION = """
            TLC server at vm is ready (2026-12-02 01:53:52)
            Registration for worker at rmi://localhost:0/0 completed (2026-12-02 01:53:56)
            Error: Invariant NoTornRead is violated.
            Error: The behavior up to this point is:
            State 1: <Initial predicate>
            /\\ pBatch = 0
            State 4: <ConsumerRead line 449, col 5 to line 474, col 69 of module Ring>
            /\\ pBatch = 0
            Worker: rmi://localhost:0/0 Sent: 19 Rcvd: 27 CacheRatio: 0.04 (2026-12-02 01:53:57)
            58 states generated, 32 distinct states found, 12 states left on queue.
            Finished in 04s at (2026-12-02 01:53:57)
            """;

    @Test
    void aCleanDistributedRunPassesWithTheFinalCountNotTheInitialOne() {
        assertThat(TlcOutput.verdict(PASS, List.of("ProducerProgress"))).isEqualTo("pass");
        assertThat(TlcOutput.distinctStates(PASS)).isEqualTo(8901);
    }

    @Test
    void aWorkersViolationIsNamed() {
        assertThat(TlcOutput.verdict(VIOLATION, List.of())).isEqualTo("NoTornRead");
        assertThat(TlcOutput.distinctStates(VIOLATION)).isEqualTo(32);
    }

    @Test
    void distributedWordingsOfActionPropertiesAndDeadlock() {
        assertThat(TlcOutput.verdict("Error: Implied-action RefinementSafety is violated.", List.of())).isEqualTo("RefinementSafety");
        assertThat(TlcOutput.verdict("Error: deadlock reached.", List.of())).isEqualTo("Deadlock");
    }

    @Test
    void withoutTheWorkersMessageTheRunIsAnErrorNotAPass() {
        final String traceOnly = VIOLATION.replace("Error: Invariant NoTornRead is violated.\n", "");
        assertThat(TlcOutput.verdict(traceOnly, List.of())).startsWith("error: The behavior");
    }

    @Test
    void aMissedLivenessViolationSaysItWasNotChecked() {
        final TlcResult r = new TlcResult("m", "ProducerProgress", "pass", 100, 100, List.of(), 1, Path.of("x"),
                List.of("the liveness of ProducerProgress"));
        assertThat(r.mismatch()).isEqualTo("expected ProducerProgress, got pass (not checked by this run: the liveness of ProducerProgress)");
    }

    @Test
    void listenIsHostAndPortOrAPort() {
        assertThat(DistributedRunner.Listen.parse(null, "h")).isEqualTo(new DistributedRunner.Listen("h", DistributedRunner.TLC_PORT));
        assertThat(DistributedRunner.Listen.parse("12000", "h")).isEqualTo(new DistributedRunner.Listen("h", 12000));
        assertThat(DistributedRunner.Listen.parse("server.lan:12001", "h")).isEqualTo(new DistributedRunner.Listen("server.lan", 12001));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> DistributedRunner.Listen.parse("h:x", "h"));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> DistributedRunner.Listen.parse(":1", "h"));
    }
}
