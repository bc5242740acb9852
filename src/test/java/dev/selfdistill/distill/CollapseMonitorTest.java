package dev.selfdistill.distill;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.UserError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollapseMonitorTest {
    // K = 4, so ln K = 1.386294361; with fraction 0.05 the marginal-entropy floor is 0.069314718
    // and the per-sample-entropy ceiling is 0.95 ln 4 = 1.316979643.

    @Test
    void dominantOutputIsCollapse() {
        CollapseMonitor monitor = new CollapseMonitor(4);
        // Three rows, each one-hot on output 0: mean distribution [1, 0, 0, 0], entropy 0.
        monitor.addTeacher(new float[] {3, 0, 0, 0}, 0, 3);
        assertEquals(0, monitor.marginalEntropy(), 1e-12);
        UserError error = assertThrows(UserError.class, () -> monitor.check("label-free", 3, 0.05));
        String message = error.getMessage();
        assertTrue(message.contains("collapse detected after epoch 3"), message);
        assertTrue(message.contains("entropy 0.0000 nats, below 0.0693"), message);
        assertTrue(message.contains("methods.label-free.center_momentum"), message);
        assertFalse(message.contains("\n"), "the message must be one line");
    }

    @Test
    void uniformTeacherIsCollapse() {
        CollapseMonitor monitor = new CollapseMonitor(4);
        // Two uniform rows: each has entropy ln 4 = 1.386294361.
        monitor.addTeacher(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 2 * Math.log(4), 2);
        assertEquals(1.386294361, monitor.teacherEntropy(), 1e-9);
        UserError error = assertThrows(UserError.class, () -> monitor.check("label-free", 2, 0.05));
        String message = error.getMessage();
        assertTrue(message.contains("per-sample entropy is 1.3863 nats, above 1.3170"), message);
        assertTrue(message.contains("lower methods.label-free.teacher_temperature"), message);
        assertTrue(message.contains("raise methods.label-free.center_momentum"), message);
        assertTrue(message.contains("teacher_warmup"), message);
    }

    @Test
    void confidentDistinctOutputsPass() {
        CollapseMonitor monitor = new CollapseMonitor(4);
        // Rows one-hot on outputs 0 and 1: per-sample entropy 0, mean [0.5, 0.5, 0, 0] with entropy
        // ln 2 = 0.693147181, above the floor.
        monitor.addTeacher(new float[] {1, 1, 0, 0}, 0, 2);
        monitor.addDivergence(1.5, 3);
        assertDoesNotThrow(() -> monitor.check("label-free", 4, 0.05));
        Map<String, Double> values = monitor.diagnostics();
        assertEquals(0, values.get("teacher_entropy"), 1e-12);
        assertEquals(0.693147181, values.get("teacher_marginal_entropy"), 1e-9);
        assertEquals(0.5, values.get("teacher_student_kl"), 1e-12);
    }

    @Test
    void resetStartsANewEpoch() {
        CollapseMonitor monitor = new CollapseMonitor(4);
        monitor.addTeacher(new float[] {2, 0, 0, 0}, 0, 2);
        monitor.reset();
        monitor.addTeacher(new float[] {1, 1, 0, 0}, 0, 2);
        assertEquals(0.693147181, monitor.marginalEntropy(), 1e-9);
        assertTrue(Double.isNaN(monitor.divergence()), "no pair was added after the reset");
    }

    @Test
    void entropyMatchesHandValue() {
        // -(0.5 ln 0.5 + 0.25 ln 0.25 * 2) = 1.039720771; a zero probability adds nothing.
        assertEquals(1.039720771, CollapseMonitor.entropy(new double[] {0.5, 0.25, 0.25, 0}), 1e-9);
    }
}
