package doms.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One figure of the benchmark: a point of a series. {@code impl} is what was measured (doms,
 * agrona, tcp, uds, ...), {@code variant} the polling strategy or another qualifier ("" for
 * none), {@code x} the abscissa (a number, or a word such as "busy" or "p99"). The ratios are
 * ours / baseline at the same figure, variant and x, filled in by {@link Ratios}.
 */
public record Row(String figure, String impl, String variant, Object x, double value, String unit,
                  Double ratioVsAgrona, Double ratioVsTcp, Map<String, Object> extras) {
    public Row {
        extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    public static Row of(final String figure, final String impl, final String variant, final Object x, final double value,
                         final String unit) {
        return new Row(figure, impl, variant, x, value, unit, null, null, Map.of());
    }

    /** The series name: impl and variant. */
    public String series() {
        return variant.isEmpty() ? impl : impl + " " + variant;
    }

    /** A copy with one more extra column. */
    public Row with(final String key, final Object extra) {
        final Map<String, Object> more = new LinkedHashMap<>(extras);
        more.put(key, extra);
        return new Row(figure, impl, variant, x, value, unit, ratioVsAgrona, ratioVsTcp, more);
    }

    public Row withRatios(final Double vsAgrona, final Double vsTcp) {
        return new Row(figure, impl, variant, x, value, unit, vsAgrona, vsTcp, extras);
    }

    /** x as a number when it is one (for plots), else NaN. */
    public double xNumber() {
        return x instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** The row as --json prints it: figure, series, x, value, unit and the ratios that apply. */
    public Map<String, Object> json() {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("figure", figure);
        out.put("series", series());
        out.put("x", x);
        out.put("value", Format.round(value));
        out.put("unit", unit);
        if (ratioVsAgrona != null) {
            out.put("ratio_vs_agrona", Format.ratio(ratioVsAgrona));
        }
        if (extras.get(ThroughputFigures.PAIR_MIN) instanceof Number lo && extras.get(ThroughputFigures.PAIR_MAX) instanceof Number hi) {
            out.put("pair_ratios_vs_agrona", List.of(Format.ratio(lo.doubleValue()), Format.ratio(hi.doubleValue())));
        }
        if (ratioVsTcp != null) {
            out.put("ratio_vs_tcp", Format.ratio(ratioVsTcp));
        }
        return out;
    }
}
