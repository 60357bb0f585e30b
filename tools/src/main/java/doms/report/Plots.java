package doms.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.text.DecimalFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG line charts for reports (coverage over time, benchmark figures), drawn headless. */
public final class Plots {
    /** One series: its name and its (x, y) points in order. */
    public record Series(String name, List<double[]> points) {
    }

    /** Distinct colours that stay readable on white (the default palette has yellow and pale cyan). */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0x7f7f7f), new Color(0xbcbd22),
        new Color(0x000000), new Color(0x393b79)};

    private Plots() {
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    public static void line(final Path png, final String title, final String xLabel, final String yLabel,
                            final List<Series> series, final boolean logX) throws IOException {
        final XYSeriesCollection data = new XYSeriesCollection();
        for (final Series s : series) {
            final XYSeries xy = new XYSeries(s.name(), false, true);
            for (final double[] p : s.points()) {
                xy.add(p[0], p[1]);
            }
            data.addSeries(xy);
        }
        final JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                series.size() > 1, false, false);
        final XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (logX) {
            final LogAxis axis = new LogAxis(xLabel);
            axis.setBase(2);
            // One tick per power of two, labelled with its value (64, 1,024, 0.5), not 2^6.5.
            axis.setTickUnit(new NumberTickUnit(1.0), false, false);
            axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
            plot.setDomainAxis(axis);
        }
        final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, series.stream().allMatch(s -> s.points().size() < 40));
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        plot.setRenderer(renderer);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 540);
    }

    /** Convenience for a single series given as a map from x to y. */
    public static void line(final Path png, final String title, final String xLabel, final String yLabel,
                            final Map<Double, Double> points) throws IOException {
        line(png, title, xLabel, yLabel, List.of(new Series(yLabel,
                points.entrySet().stream().map(e -> new double[] {e.getKey(), e.getValue()}).toList())), false);
    }
}
