package dev.selfdistill.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpochRecordTest {
    @Test
    void diagnosticsSurviveJsonRoundTrip() throws Exception {
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("teacher_entropy", 1.5);
        extra.put("teacher_marginal_entropy", 4.0);
        EpochRecord record = new EpochRecord(2, 1.0, 0.5, 1.2, 0.4, 1e-3, 100, 3, extra);
        String line = StudyFiles.toJsonLine(record);
        assertTrue(line.contains("\"extra\":{\"teacher_entropy\":1.5,\"teacher_marginal_entropy\":4.0}"), line);
        EpochRecord read = StudyFiles.json().readValue(line, EpochRecord.class);
        assertEquals(record, read);
    }

    @Test
    void recordWithoutDiagnosticsOmitsExtra() throws Exception {
        EpochRecord record = new EpochRecord(1, 1.0, 0.5, 1.2, 0.4, 1e-3, 100, 3);
        String line = StudyFiles.toJsonLine(record);
        assertFalse(line.contains("extra"), line);
        // A line written before the field existed reads back with no diagnostics.
        EpochRecord read = StudyFiles.json().readValue(line, EpochRecord.class);
        assertEquals(Map.of(), read.extra());
        assertEquals(record, read);
    }
}
