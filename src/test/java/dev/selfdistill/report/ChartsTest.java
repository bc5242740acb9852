package dev.selfdistill.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ChartsTest {
    private static final double NAN = Double.NaN;

    @Test
    void barChartHasFixedSize() throws IOException {
        byte[] png =
                Charts.barChartWithErrors(
                        "Accuracy",
                        "Test accuracy (%)",
                        List.of("a", "b"),
                        new double[] {84.0, 85.0},
                        new double[] {83.0, 84.5},
                        new double[] {85.0, 85.5});

        BufferedImage image = decode(png);
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
    }

    @Test
    void barChartAcceptsNanIntervalAndMean() throws IOException {
        byte[] png =
                Charts.barChartWithErrors(
                        "Accuracy",
                        "Test accuracy (%)",
                        List.of("a", "b", "c"),
                        new double[] {84.0, NAN, 80.0},
                        new double[] {83.0, NAN, NAN},
                        new double[] {85.0, NAN, NAN},
                        2);

        assertEquals(Charts.WIDTH, decode(png).getWidth());
    }

    @Test
    void barChartWithoutAnyMean() throws IOException {
        byte[] png =
                Charts.barChartWithErrors(
                        "Accuracy",
                        "y",
                        List.of("a", "b"),
                        new double[] {NAN, NAN},
                        new double[] {NAN, NAN},
                        new double[] {NAN, NAN});

        assertEquals(Charts.WIDTH, decode(png).getWidth());
    }

    @Test
    void barChartAcceptsAsymmetricAndNegativeIntervals() throws IOException {
        byte[] png =
                Charts.barChartWithErrors(
                        "Gap",
                        "Generalisation gap (points)",
                        List.of("a", "b"),
                        new double[] {-1.5, 2.0},
                        new double[] {-2.5, 1.9},
                        new double[] {-1.0, 2.6});

        assertEquals(Charts.HEIGHT, decode(png).getHeight());
    }

    @Test
    void barChartRejectsLengthMismatch() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Charts.barChartWithErrors(
                                        "Accuracy",
                                        "y",
                                        List.of("a", "b"),
                                        new double[] {1},
                                        new double[] {1, 2},
                                        new double[] {1, 2}));
        assertTrue(error.getMessage().contains("2 labels but 1 means"), error.getMessage());
    }

    @Test
    void barChartRejectsRepeatedLabels() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        Charts.barChartWithErrors(
                                "Accuracy",
                                "y",
                                List.of("a", "a"),
                                new double[] {1, 2},
                                new double[] {1, 2},
                                new double[] {1, 2}));
    }

    @Test
    void barChartRejectsNoLabels() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        Charts.barChartWithErrors(
                                "Accuracy",
                                "y",
                                List.of(),
                                new double[0],
                                new double[0],
                                new double[0]));
    }

    @Test
    void lineChartDropsNonFinitePoints() throws IOException {
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("a", new double[][] {{1, 2, 3, 4}, {0.5, NAN, 0.7, Double.POSITIVE_INFINITY}});
        series.put("b", new double[][] {{1, 2}, {0.4, 0.6}});
        series.put("only NaN", new double[][] {{1}, {NAN}});

        byte[] png = Charts.lineChart("Curves", "Epoch", "Accuracy (%)", series);

        assertEquals(Charts.WIDTH, decode(png).getWidth());
    }

    @Test
    void lineChartWithSinglePoint() throws IOException {
        byte[] png =
                Charts.lineChart(
                        "One epoch", "Epoch", "Loss", Map.of("a", new double[][] {{1}, {0.3}}));

        assertEquals(Charts.WIDTH, decode(png).getWidth());
    }

    @Test
    void lineChartRejectsNoFinitePoint() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        Charts.lineChart(
                                "Empty", "x", "y", Map.of("a", new double[][] {{1}, {NAN}})));
    }

    @Test
    void lineChartRejectsMismatchedSeries() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                Charts.lineChart(
                                        "Bad",
                                        "x",
                                        "y",
                                        Map.of("a", new double[][] {{1, 2}, {1}})));
        assertTrue(error.getMessage().contains("2 x values but 1 y values"), error.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Charts.lineChart("Bad", "x", "y", Map.of("a", new double[][] {{1, 2}})));
    }

    @Test
    void scatterDrawsManyPoints() throws IOException {
        Random random = new Random(7);
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (int cls = 0; cls < 10; cls++) {
            double[] x = new double[500];
            double[] y = new double[500];
            for (int i = 0; i < x.length; i++) {
                x[i] = cls + random.nextGaussian();
                y[i] = -cls + random.nextGaussian();
            }
            series.put("class " + cls, new double[][] {x, y});
        }

        byte[] png = Charts.scatter("Embedding", "Component 1", "Component 2", series);

        assertEquals(Charts.HEIGHT, decode(png).getHeight());
    }

    @Test
    void tickLabelsArePlainDecimals() {
        assertEquals("0.05", Charts.formatTick(0.05));
        assertEquals("0", Charts.formatTick(0.0));
        assertEquals("0.3", Charts.formatTick(0.30000000000000004));
        assertEquals("12000", Charts.formatTick(12000.0));
        assertEquals("-1.5", Charts.formatTick(-1.5));
        assertEquals("0.00012", Charts.formatTick(0.00012));
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertTrue(image != null, "bytes are not a readable image");
        return image;
    }
}
