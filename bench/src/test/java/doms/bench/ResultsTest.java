package doms.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsTest {
    private static Row mbit(final String figure, final String impl, final String variant, final Object x, final double v) {
        return Row.of(figure, impl, variant, x, v, "Mbit/s");
    }

    @Test
    void ratiosPairOursWithAgronaOfTheSameVariantAndWithTcp() {
        final List<Row> rows = Ratios.apply(List.of(
                mbit("fig5", "doms", "busy", 64, 300),
                mbit("fig5", "agrona", "busy", 64, 200),
                mbit("fig5", "agrona", "period:50", 64, 1000),
                mbit("fig5", "tcp", "", 64, 30),
                mbit("fig5", "uds", "", 64, 20),
                mbit("fig5", "doms", "busy", 128, 300)));
        assertThat(rows.get(0).ratioVsAgrona()).isEqualTo(1.5);
        assertThat(rows.get(0).ratioVsTcp()).isEqualTo(10.0);
        assertThat(rows.get(1).ratioVsAgrona()).isNull();          // Agrona is the baseline
        assertThat(rows.get(1).ratioVsTcp()).isCloseTo(6.667, org.assertj.core.data.Offset.offset(0.001));
        assertThat(rows.get(3).ratioVsTcp()).isNull();             // TCP against itself
        assertThat(rows.get(4).ratioVsTcp()).isCloseTo(0.667, org.assertj.core.data.Offset.offset(0.001));
        assertThat(rows.get(5).ratioVsAgrona()).isNull();          // no baseline at that size
        assertThat(rows.get(5).ratioVsTcp()).isNull();
    }

    @Test
    void ratiosNeverDivideByZeroAndMatchWordsAsX() {
        final List<Row> rows = Ratios.apply(List.of(
                mbit("fig4", "doms", "", "busy", 500),
                mbit("fig4", "agrona", "", "busy", 0),
                mbit("fig4", "doms", "", 0.05, 500),
                mbit("fig4", "agrona", "", 0.05, 250)));
        assertThat(rows.get(0).ratioVsAgrona()).isNull();
        assertThat(rows.get(2).ratioVsAgrona()).isEqualTo(2.0);
    }

    @Test
    void jsonRowsCarryOnlyTheRatiosThatApply() {
        final Row row = mbit("fig5", "doms", "busy", 64, 1234.5678).withRatios(1.23456, null);
        final Map<String, Object> json = row.json();
        assertThat(json).containsEntry("figure", "fig5").containsEntry("series", "doms busy").containsEntry("x", 64)
                .containsEntry("value", 1235.0).containsEntry("unit", "Mbit/s").containsEntry("ratio_vs_agrona", 1.235)
                .doesNotContainKey("ratio_vs_tcp");
        assertThat(doms.cli.Json.write(json)).startsWith("{\"figure\":\"fig5\",\"series\":\"doms busy\",\"x\":64,");
    }

    @Test
    void csvHasEveryExtraColumnAndQuotesCommas() {
        final List<Row> rows = List.of(
                mbit("fig3", "doms", "period:1000", 16, 329.5).with("messages_per_s", 40222L).withRatios(1.454, null),
                mbit("fig3", "agrona", "period:1000", 16, 226.6).with("note", "a, b"));
        final String csv = Report.csv(rows);
        assertThat(csv.lines().toList()).containsExactly(
                "figure,series,impl,variant,x,value,unit,ratio_vs_agrona,ratio_vs_tcp,messages_per_s,note",
                "fig3,doms period:1000,doms,period:1000,16,329.5,Mbit/s,1.454,,40222,",
                "fig3,agrona period:1000,agrona,period:1000,16,226.6,Mbit/s,,,,\"a, b\"");
    }

    @Test
    void formatting() {
        assertThat(Format.round(1234.5678)).isEqualTo(1235.0);
        assertThat(Format.round(0.0123456)).isEqualTo(0.01235);
        assertThat(Format.value(66_123.4)).isEqualTo("66,123");
        assertThat(Format.value(12.345)).isEqualTo("12.35");
        assertThat(Format.x(0.01)).isEqualTo("0.01");
        assertThat(Format.x(10.0)).isEqualTo("10");
        assertThat(Format.bytes(65536)).isEqualTo("64 KiB");
        assertThat(Format.bytes(1500)).isEqualTo("1500 B");
        assertThat(Format.ratioCell(1.5)).isEqualTo("1.50x");
        assertThat(Format.ratioCell(null)).isEmpty();
    }

    private static List<Row> sample() {
        final List<Row> rows = new ArrayList<>();
        for (final int size : new int[] {64, 4096, 65536}) {
            rows.add(mbit("fig5", "doms", "busy", size, size == 65536 ? 50 : 200));
            rows.add(mbit("fig5", "agrona", "busy", size, 100));
            rows.add(mbit("fig5", "doms", "adaptive", size, size == 64 ? 150 : 200));
            rows.add(mbit("fig5", "agrona", "adaptive", size, 100));
            rows.add(mbit("fig5", "tcp", "", size, 10));
            rows.add(mbit("fig5", "uds", "", size, 12));
        }
        rows.add(Row.of("latency", "doms", "busy", "p50", 0.5, "us"));
        rows.add(Row.of("latency", "agrona", "busy", "p50", 0.6, "us"));
        rows.add(Row.of("latency", "doms", "busy", "p99", 1.3, "us"));
        rows.add(Row.of("latency", "agrona", "busy", "p99", 1.0, "us"));
        rows.add(Row.of("idle", "doms", "", "adaptive", 0.8, "% of a core"));
        rows.add(Row.of("idle", "doms", "", "adaptive:100", 3.1, "% of a core"));
        return Ratios.apply(rows);
    }

    @Test
    void targetsAreJudgedPerPollingStrategyWithTheirShortfall() {
        final List<Targets.Verdict> v = Targets.evaluate(sample());
        assertThat(v).extracting(Targets.Verdict::target, Targets.Verdict::scope, Targets.Verdict::met).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ring throughput >= 1.0x Agrona at every message size (fig5)", "busy", false),
                org.assertj.core.groups.Tuple.tuple("ring throughput >= 1.0x Agrona at every message size (fig5)", "adaptive", true),
                org.assertj.core.groups.Tuple.tuple(">= 10x TCP loopback from 64 B to 4 KiB, >= 3x beyond (fig5)", "busy", true),
                org.assertj.core.groups.Tuple.tuple(">= 10x TCP loopback from 64 B to 4 KiB, >= 3x beyond (fig5)", "adaptive", true),
                org.assertj.core.groups.Tuple.tuple("round-trip latency <= 1.0x Agrona (latency, 64 B)", "busy", false),
                org.assertj.core.groups.Tuple.tuple("adaptive polling within 10% of busy-spin throughput under load (fig4, fig5)", "adaptive", false),
                org.assertj.core.groups.Tuple.tuple("adaptive polling under 2% of a core when idle (idle)", "adaptive", true),
                org.assertj.core.groups.Tuple.tuple("adaptive polling under 2% of a core when idle (idle)", "adaptive:100", false));
        assertThat(v.get(0).worst()).isEqualTo("0.50x at 64 KiB");
        assertThat(v.get(0).shortfall()).isEqualTo("below 1.0x at 1 of 3 sizes (0 beyond the spread of repeats, 0 below in every "
                + "interleaved pair); worst 50% short");
        assertThat(v.get(4).worst()).isEqualTo("1.30x at p99");
        assertThat(v.get(4).shortfall()).contains("30% slower");
        assertThat(v.get(5).worst()).isEqualTo("75% of busy at fig5 64 B");
        assertThat(v.get(5).shortfall()).contains("15 points short");
        assertThat(v.get(7).shortfall()).isEqualTo("1.10 points over");
    }

    @Test
    void aMissIsBeyondTheSpreadOnlyWhenOurFastestRepeatIsBelowTheBaselinesSlowest() {
        final Row ours = mbit("fig5", "doms", "busy", 2048, 110).with("repeats", 3).with("min_mbit_per_s", 70.0).with("max_mbit_per_s", 112.0);
        final Row apart = mbit("fig5", "agrona", "busy", 2048, 128).with("repeats", 3).with("min_mbit_per_s", 126.0);
        final Row overlapping = mbit("fig5", "agrona", "busy", 2048, 128).with("repeats", 3).with("min_mbit_per_s", 112.0);
        assertThat(Targets.belowEveryRepeat(ours, apart)).isTrue();
        assertThat(Targets.belowEveryRepeat(ours, overlapping)).isFalse();
        assertThat(Targets.belowEveryRepeat(ours.with("repeats", 1), apart)).isFalse();
        assertThat(Targets.belowEveryRepeat(ours, null)).isFalse();
        assertThat(Targets.belowEveryRepeat(mbit("fig5", "doms", "busy", 2048, 110).with("repeats", 3), apart)).isFalse();
        final List<Row> rows = Ratios.apply(List.of(ours, apart, mbit("fig5", "doms", "busy", 64, 50).with("repeats", 3)
                .with("max_mbit_per_s", 60.0), mbit("fig5", "agrona", "busy", 64, 55).with("min_mbit_per_s", 50.0)));
        assertThat(Targets.evaluate(rows).getFirst().shortfall()).startsWith("below 1.0x at 2 of 2 sizes (1 beyond the spread of repeats, 0 ");
    }

    @Test
    void pairRatiosDivideRepeatByRepeatAndAMissHoldsInEveryPairOnlyWhenTheHighestIsBelowOne() {
        assertThat(ThroughputFigures.pairRatios(List.of(10.0, 30.0, 20.0), List.of(20.0, 20.0, 20.0))).containsExactly(0.5, 1.5, 1.0);
        assertThat(ThroughputFigures.pairRatios(List.of(10.0, 30.0), List.of(20.0))).containsExactly(0.5);
        final Row straddles = mbit("fig5", "doms", "busy", 64, 50).with("repeats", 3)
                .with(ThroughputFigures.PAIR_MIN, 0.4).with(ThroughputFigures.PAIR_MAX, 1.2);
        final Row below = mbit("fig5", "doms", "busy", 1024, 50).with("repeats", 3)
                .with(ThroughputFigures.PAIR_MIN, 0.4).with(ThroughputFigures.PAIR_MAX, 0.99);
        assertThat(Targets.belowInEveryPair(straddles)).isFalse();
        assertThat(Targets.belowInEveryPair(below)).isTrue();
        assertThat(Targets.belowInEveryPair(mbit("fig5", "doms", "busy", 64, 50))).isFalse();
        final List<Row> rows = Ratios.apply(List.of(straddles, mbit("fig5", "agrona", "busy", 64, 100),
                below, mbit("fig5", "agrona", "busy", 1024, 100)));
        assertThat(Targets.evaluate(rows).getFirst().shortfall()).startsWith("below 1.0x at 2 of 2 sizes (0 beyond the spread of repeats, "
                + "1 below in every interleaved pair)");
        assertThat(Report.pairRange(straddles)).isEqualTo(" (0.40-1.20 in pairs)");
        assertThat(Report.pairRange(straddles.with("repeats", 1))).isEmpty();
        assertThat(rows.getFirst().json()).containsEntry("pair_ratios_vs_agrona", List.of(Format.ratio(0.4), Format.ratio(1.2)));
    }

    private static StreamBench.Trial trial(final double mbit, final double lineBefore, final double lineAfter) {
        return new StreamBench.Trial(1, Math.round(mbit * 1e6 / 8), 1.0, 1, 1, 1, 0, 1, 1, 0, 1, lineBefore, lineAfter);
    }

    @Test
    void onlyPairsWhoseFourLineProbesAgreeCountAsOneLevel() {
        assertThat(LineProbe.oneLevel(60, 80, 70, 89)).isTrue();
        assertThat(LineProbe.oneLevel(60, 130)).isFalse();          // the host moved a vCPU during the pair
        assertThat(LineProbe.oneLevel(60, Double.NaN)).isFalse();   // a probe that gave up
        assertThat(LineProbe.oneLevel()).isFalse();
        final List<StreamBench.Trial> ours = List.of(trial(100, 60, 61), trial(300, 400, 410), trial(90, 130, 131));
        final List<StreamBench.Trial> agrona = List.of(trial(200, 62, 60), trial(100, 60, 60), trial(100, 130, 140));
        // The second pair crossed levels (ours at 400 ns, Agrona at 60 ns): its 3.0x is left out.
        assertThat(ThroughputFigures.oneLevelPairRatios(ours, agrona)).containsExactly(0.5, 0.9);
        final Row row = mbit("fig5", "doms", "busy", 64, 50).with("repeats", 3).with(ThroughputFigures.PAIR_MIN, 0.5)
                .with(ThroughputFigures.PAIR_MAX, 3.0).with(ThroughputFigures.PAIRS_ONE_LEVEL, 2)
                .with(ThroughputFigures.LEVEL_PAIR_MIN, 0.5).with(ThroughputFigures.LEVEL_PAIR_MAX, 0.9);
        assertThat(Report.pairRange(row)).isEqualTo(" (0.50-3.00 in pairs; 0.50-0.90 in 2 at one line level)");
        assertThat(Report.pairRange(mbit("fig5", "doms", "busy", 64, 50).with("repeats", 3).with(ThroughputFigures.PAIR_MIN, 0.5)
                .with(ThroughputFigures.PAIR_MAX, 3.0).with(ThroughputFigures.PAIRS_ONE_LEVEL, 0)))
                .isEqualTo(" (0.50-3.00 in pairs; none at one line level)");
        assertThat(Report.pairRange(row.with(ThroughputFigures.PAIRS_ONE_LEVEL, 1).with(ThroughputFigures.LEVEL_PAIR_MAX, 0.5)))
                .isEqualTo(" (0.50-3.00 in pairs; 0.50 in the 1 at one line level)");
    }

    @Test
    void theLineProbeMeasuresARoundTrip() {
        // A real measurement between two threads: a positive, finite median (no bound on its value).
        assertThat(LineProbe.roundTripNanos()).isPositive().isFinite();
    }

    @Test
    void theTcpThresholdDropsBeyond4KiB() {
        assertThat(Targets.tcpThreshold(64)).isEqualTo(10.0);
        assertThat(Targets.tcpThreshold(4096)).isEqualTo(10.0);
        assertThat(Targets.tcpThreshold(8192)).isEqualTo(3.0);
    }

    @Test
    void noRowsMeansNoData() {
        assertThat(Targets.evaluate(List.of())).allMatch(v -> v.met() == null && v.word().equals("no data"));
    }

    @Test
    void summaryHasTheMachineTheTargetsAndARatioColumnOnEveryTable() {
        final List<Row> rows = sample();
        final Machine machine = new Machine(2, "AMD EPYC", "23 GiB", "Temurin 25", "Linux", "2026-01-01T00:00:00Z");
        final String md = Report.summary(rows, Targets.evaluate(rows), new Report.Context(machine, "./doms bench --quick", true, 150,
                0.2, 0.4, List.of("fig5.png"), List.of(), List.of("a note")));
        assertThat(md).contains("| 2 | AMD EPYC | 23 GiB | Temurin 25 | Linux | 0.20 / 0.40 |")
                .contains("| ring throughput >= 1.0x Agrona at every message size (fig5) | busy | **MISSED** | 0.50x at 64 KiB |")
                .contains("## Headline: figure 5")
                .contains("| 64 B | 10.00 | 12.00 | 200.0 | 100.0 | 2.00x | 20.00x |")
                .contains("| series | x | value | unit | ours / Agrona | ours / TCP |")
                .contains("| doms busy | 64 | 200.0 | Mbit/s | 2.00x | 20.00x |")
                .contains("![fig5.png](fig5.png)")
                .contains("- a note");
    }
}
