package doms.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fills in the ratio columns: ours / baseline at the same figure and x. Against Agrona, rows of
 * our ring ({@code doms}) take Agrona's row of the same variant (the same polling strategy).
 * Against TCP, every row but TCP's own takes TCP's row of the same variant, or TCP's only row
 * when TCP has no variant (it never polls).
 */
public final class Ratios {
    public static final String OURS = "doms";
    public static final String AGRONA = "agrona";
    public static final String TCP = "tcp";

    private Ratios() {
    }

    public static List<Row> apply(final List<Row> rows) {
        final List<Row> out = new ArrayList<>(rows.size());
        for (final Row row : rows) {
            Double vsAgrona = null;
            Double vsTcp = null;
            if (row.impl().equals(OURS)) {
                vsAgrona = ratio(row, find(rows, row, AGRONA, false));
            }
            if (!row.impl().equals(TCP)) {
                vsTcp = ratio(row, find(rows, row, TCP, true));
            }
            out.add(row.withRatios(vsAgrona, vsTcp));
        }
        return out;
    }

    /** ours / baseline, or null when there is no usable baseline. */
    public static Double ratio(final Row ours, final Row baseline) {
        if (baseline == null || !(baseline.value() > 0) || Double.isNaN(ours.value())) {
            return null;
        }
        return ours.value() / baseline.value();
    }

    private static Row find(final List<Row> rows, final Row row, final String impl, final boolean anyVariantIfNone) {
        Row fallback = null;
        for (final Row r : rows) {
            if (!r.impl().equals(impl) || !r.figure().equals(row.figure()) || !Objects.equals(r.x(), row.x())) {
                continue;
            }
            if (r.variant().equals(row.variant())) {
                return r;
            }
            if (anyVariantIfNone && r.variant().isEmpty()) {
                fallback = r;
            }
        }
        return fallback;
    }
}
