package dev.selfdistill.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.selfdistill.study.Metrics;
import dev.selfdistill.study.Summary;
import org.junit.jupiter.api.Test;

class FormatsTest {
    @Test
    void fractionIntervalClippedToRange() {
        // Mean 0.5, sd 0.3 over 3 seeds: the t-interval -0.245 to 1.245 reaches past [0, 1].
        Summary summary = new Summary(3, 0.5, 0.3, -0.245, 1.245);
        Metrics.Descriptor accuracy = Metrics.describeOrDefault(Metrics.TEST_ACCURACY);
        assertEquals("50.0 \u00b1 30.0\n[0.0, 100.0]", ReportContent.summaryCell(accuracy, summary, 3, 1));
    }

    @Test
    void otherUnitsKeepTheirInterval() {
        Summary summary = new Summary(3, 0.1, 0.2, -0.4, 0.6);
        Metrics.Descriptor nll = Metrics.describeOrDefault(Metrics.TEST_NLL);
        assertEquals("0.10 \u00b1 0.20\n[-0.40, 0.60]", ReportContent.summaryCell(nll, summary, 3, 2));
    }
}
