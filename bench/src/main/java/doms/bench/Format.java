package doms.bench;

import java.util.Locale;

/** Number formatting shared by the CSV, the summary and the JSON rows. */
public final class Format {
    private Format() {
    }

    /** A value kept to 4 significant digits (at least 3 decimals below 1). */
    public static double round(final double v) {
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
            return v;
        }
        final double scale = Math.pow(10, 3 - Math.floor(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }

    public static double ratio(final double r) {
        return Math.round(r * 1000) / 1000.0;
    }

    /** A value for a table: thousands separators above 1000, 3 significant digits below. */
    public static String value(final double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    public static String ratioCell(final Double r) {
        return r == null ? "" : String.format(Locale.ROOT, "%.2fx", r);
    }

    /** x as it appears in tables and CSV: integers without a decimal point. */
    public static String x(final Object x) {
        if (x instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(x);
    }

    /** Bytes as 64 B, 1 KiB, 64 KiB. */
    public static String bytes(final long b) {
        if (b >= 1024 && b % 1024 == 0) {
            return b / 1024 + " KiB";
        }
        return b + " B";
    }

    public static String percent(final double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }
}
