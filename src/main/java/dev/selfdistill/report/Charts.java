package dev.selfdistill.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the report's charts with XChart and encodes them as PNG. Every chart has the same size,
 * fonts and colour-blind-safe palette (Okabe and Ito), and a series keeps its colour across
 * charts when callers pass the series in the same order.
 *
 * <p>Rendering needs no display: callers run with {@code -Djava.awt.headless=true} on machines
 * without one, and this class sets no AWT property itself.
 */
public final class Charts {
    /** Width of every chart in pixels. */
    public static final int WIDTH = 900;

    /** Height of every chart in pixels. */
    public static final int HEIGHT = 500;

    // Okabe-Ito colours, ordered so that the low-contrast yellow comes last.
    private static final Color[] PALETTE = {
        new Color(0x0072B2),
        new Color(0xE69F00),
        new Color(0x009E73),
        new Color(0xD55E00),
        new Color(0xCC79A7),
        new Color(0x56B4E9),
        new Color(0x000000),
        new Color(0xF0E442)
    };

    // Marker shapes, one per pass through the palette, so that series 9 and later stay distinct.
    private static final Marker[] MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP
    };

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    // Estimates for deciding when category labels overlap: the plot's width in pixels and the
    // mean width of a character of TICK_FONT.
    private static final int PLOT_WIDTH = WIDTH - 100;
    private static final int TICK_CHARACTER_WIDTH = 7;

    private Charts() {}

    /**
     * Draws one bar per label at its mean, with an error bar from {@code lows[i]} to {@code
     * highs[i]}.
     *
     * <p>Each category label shows the mean, for example {@code baseline: 84.80}, because bars
     * start at zero and small differences are hard to see. A NaN interval end draws no error
     * bar for that label. A NaN mean draws an empty slot labelled {@code <label>: n/a}.
     *
     * <p>XChart 3.8.8 only draws symmetric error bars, so an asymmetric interval is drawn with
     * its larger half-width around the mean, which never makes it look narrower than it is.
     *
     * @param title chart title
     * @param yAxisTitle y-axis title, including the unit
     * @param labels category labels, in display order, all different
     * @param means bar heights, one per label
     * @param lows lower ends of the intervals, one per label
     * @param highs upper ends of the intervals, one per label
     * @return the PNG image
     * @throws IllegalArgumentException if there are no labels, the array lengths differ from the
     *     number of labels, or a label repeats
     */
    public static byte[] barChartWithErrors(
            String title,
            String yAxisTitle,
            List<String> labels,
            double[] means,
            double[] lows,
            double[] highs) {
        // All labels share the decimals that give the largest mean about four significant digits.
        double largest = 0;
        for (double mean : means) {
            if (Double.isFinite(mean)) {
                largest = Math.max(largest, Math.abs(mean));
            }
        }
        return barChartWithErrors(
                title,
                yAxisTitle,
                labels,
                means,
                lows,
                highs,
                Formats.decimalsForMagnitude(largest));
    }

    /**
     * Draws the bar chart of {@link #barChartWithErrors(String, String, List, double[],
     * double[], double[])} with the means in the category labels shown with {@code decimals}
     * decimals, so that they match a table that shows the same values.
     *
     * @throws IllegalArgumentException if {@code decimals} is negative, or for the reasons of
     *     the six-argument form
     */
    public static byte[] barChartWithErrors(
            String title,
            String yAxisTitle,
            List<String> labels,
            double[] means,
            double[] lows,
            double[] highs,
            int decimals) {
        Objects.requireNonNull(labels, "labels");
        if (decimals < 0) {
            throw new IllegalArgumentException("decimals must be >= 0, got " + decimals);
        }
        int count = labels.size();
        if (count == 0) {
            throw new IllegalArgumentException("Bar chart '" + title + "' has no labels");
        }
        if (means.length != count || lows.length != count || highs.length != count) {
            throw new IllegalArgumentException(
                    String.format(
                            "Bar chart '%s' has %d labels but %d means, %d lows and %d highs",
                            title, count, means.length, lows.length, highs.length));
        }
        if (labels.stream().distinct().count() != count) {
            throw new IllegalArgumentException(
                    "Bar chart '" + title + "' has repeated labels: " + labels);
        }

        // Bars start at zero, so small differences are hard to see, and the value in each
        // category label lets the reader compare them.
        List<String> categories = new ArrayList<>(count);
        List<Double> heights = new ArrayList<>(count);
        List<Double> halfWidths = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean hasMean = Double.isFinite(means[i]);
            categories.add(labels.get(i) + ": " + Formats.fixed(means[i], decimals));
            // XChart rejects null heights when error bars are present, so a missing mean is an
            // empty slot at zero without an error bar.
            heights.add(hasMean ? means[i] : 0.0);
            double halfWidth = Math.max(highs[i] - means[i], means[i] - lows[i]);
            // XChart 3.8.8 draws nothing for a NaN error bar and leaves it out of the axis range.
            halfWidths.add(hasMean && Double.isFinite(halfWidth) ? halfWidth : Double.NaN);
        }

        CategoryChart chart =
                new CategoryChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .yAxisTitle(yAxisTitle)
                        .build();
        applyCommonStyle(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.6);
        chart.getStyler().setErrorBarsColor(Color.BLACK);
        chart.getStyler().setSeriesColors(new Color[] {PALETTE[0]});
        int longest = categories.stream().mapToInt(String::length).max().orElse(0);
        if (longest * TICK_CHARACTER_WIDTH > 0.9 * PLOT_WIDTH / count) {
            chart.getStyler().setXAxisLabelRotation(20);
        }
        chart.addSeries("mean", categories, heights, halfWidths);
        return encode(chart);
    }

    /**
     * Draws one line with markers per series, for example a learning curve per method.
     *
     * @param title chart title
     * @param xTitle x-axis title, including the unit
     * @param yTitle y-axis title, including the unit
     * @param series series name to {@code {x[], y[]}}, in legend order. Points where x or y is
     *     not finite are left out.
     * @return the PNG image
     * @throws IllegalArgumentException if a series is not two arrays of equal length, or no
     *     series has a finite point
     */
    public static byte[] lineChart(
            String title, String xTitle, String yTitle, Map<String, double[][]> series) {
        XYChart chart = xyChart(title, xTitle, yTitle, series, XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(6);
        return encode(chart);
    }

    /**
     * Draws one point cloud per series, for example a 2-D embedding coloured by class.
     *
     * @param title chart title
     * @param xTitle x-axis title, including the unit
     * @param yTitle y-axis title, including the unit
     * @param series series name to {@code {x[], y[]}}, in legend order. Points where x or y is
     *     not finite are left out.
     * @return the PNG image
     * @throws IllegalArgumentException if a series is not two arrays of equal length, or no
     *     series has a finite point
     */
    public static byte[] scatter(
            String title, String xTitle, String yTitle, Map<String, double[][]> series) {
        XYChart chart =
                xyChart(title, xTitle, yTitle, series, XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        return encode(chart);
    }

    /**
     * Draws one line with markers and symmetric error bars per series, for example mean accuracy
     * over seeds with its 95% confidence interval at each corruption level.
     *
     * @param title chart title
     * @param xTitle x-axis title, including the unit
     * @param yTitle y-axis title, including the unit
     * @param series series name to {@code {x[], y[], halfWidth[]}}, in legend order. Points where x
     *     or y is not finite are left out, and a non-finite half-width draws no error bar.
     * @return the PNG image
     * @throws IllegalArgumentException if a series is not three arrays of equal length, or no
     *     series has a finite point
     */
    public static byte[] lineChartWithErrors(
            String title, String xTitle, String yTitle, Map<String, double[][]> series) {
        Objects.requireNonNull(series, "series");
        for (Map.Entry<String, double[][]> entry : series.entrySet()) {
            double[][] value = entry.getValue();
            if (value == null
                    || value.length != 3
                    || value[2] == null
                    || value[2].length != value[0].length) {
                throw new IllegalArgumentException(
                        "Series '"
                                + entry.getKey()
                                + "' of chart '"
                                + title
                                + "' must be {x[], y[], halfWidth[]} of equal lengths");
            }
        }
        XYChart chart = xyChart(title, xTitle, yTitle, series, XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(6);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        return encode(chart);
    }

    private static XYChart xyChart(
            String title,
            String xTitle,
            String yTitle,
            Map<String, double[][]> series,
            XYSeries.XYSeriesRenderStyle renderStyle) {
        Objects.requireNonNull(series, "series");
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle(xTitle)
                        .yAxisTitle(yTitle)
                        .build();
        applyCommonStyle(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(renderStyle);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setLegendVisible(series.size() > 1);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(Charts::formatTick);

        int colourIndex = 0;
        boolean anyPoint = false;
        for (Map.Entry<String, double[][]> entry : series.entrySet()) {
            double[][] points = finitePoints(title, entry.getKey(), entry.getValue());
            Color colour = PALETTE[colourIndex % PALETTE.length];
            // Series beyond the palette reuse its colours, so they get another marker shape.
            Marker marker = MARKERS[(colourIndex / PALETTE.length) % MARKERS.length];
            colourIndex++;
            // XChart 3.8.8 rejects a series without points, so such a series is left out. Its
            // colour slot stays taken, so the other series keep their colours.
            if (points[0].length == 0) {
                continue;
            }
            anyPoint = true;
            XYSeries added =
                    points.length == 3
                            ? chart.addSeries(entry.getKey(), points[0], points[1], points[2])
                            : chart.addSeries(entry.getKey(), points[0], points[1]);
            added.setLineColor(colour);
            added.setMarkerColor(colour);
            added.setMarker(marker);
        }
        if (!anyPoint) {
            throw new IllegalArgumentException("Chart '" + title + "' has no finite points");
        }
        return chart;
    }

    /**
     * Returns {@code {x[], y[]}} without the points where x or y is not finite. A third array of
     * error-bar half-widths is filtered the same way, with non-finite half-widths set to 0.
     */
    private static double[][] finitePoints(String title, String name, double[][] xy) {
        if (xy == null || xy.length < 2 || xy.length > 3 || xy[0] == null || xy[1] == null) {
            throw new IllegalArgumentException(
                    "Series '" + name + "' of chart '" + title + "' must be {x[], y[]}");
        }
        double[] x = xy[0];
        double[] y = xy[1];
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    String.format(
                            "Series '%s' of chart '%s' has %d x values but %d y values",
                            name, title, x.length, y.length));
        }
        double[] errors = xy.length == 3 ? xy[2] : null;
        int kept = 0;
        double[] keptX = new double[x.length];
        double[] keptY = new double[y.length];
        double[] keptErrors = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                keptX[kept] = x[i];
                keptY[kept] = y[i];
                // A zero-length bar draws nothing visible, which is how a missing interval shows.
                keptErrors[kept] = errors != null && Double.isFinite(errors[i]) ? errors[i] : 0;
                kept++;
            }
        }
        if (errors == null) {
            return new double[][] {Arrays.copyOf(keptX, kept), Arrays.copyOf(keptY, kept)};
        }
        return new double[][] {
            Arrays.copyOf(keptX, kept), Arrays.copyOf(keptY, kept), Arrays.copyOf(keptErrors, kept)
        };
    }

    private static void applyCommonStyle(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(new Color(0x999999));
        styler.setPlotGridLinesColor(new Color(0xDDDDDD));
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(TITLE_FONT);
        styler.setAxisTitleFont(AXIS_TITLE_FONT);
        styler.setAxisTickLabelsFont(TICK_FONT);
        styler.setLegendFont(LEGEND_FONT);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setChartFontColor(Color.BLACK);
        styler.setAxisTickLabelsColor(Color.BLACK);
        styler.setSeriesColors(PALETTE);
        styler.setChartPadding(12);
        // XChart's default tick pattern prints 0.05 as ".05", which is easy to misread.
        styler.setyAxisTickLabelsFormattingFunction(Charts::formatTick);
    }

    /** Formats an axis tick with at most 10 significant digits and no trailing zeros. */
    static String formatTick(Double value) {
        if (value == null || !Double.isFinite(value)) {
            return "";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(10));
        if (rounded.signum() == 0) {
            return "0";
        }
        return rounded.stripTrailingZeros().toPlainString();
    }

    private static byte[] encode(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Failed to encode chart '" + chart.getTitle() + "' as PNG", e);
        }
    }
}
