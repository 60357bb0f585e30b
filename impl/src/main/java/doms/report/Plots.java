package doms.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
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
            plot.setDomainAxis(axis);
        }
        final XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, series.stream().allMatch(s -> s.points().size() < 40));
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
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
