package dev.selfdistill.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

class LossesTest {
    // Hand computation (double precision), rows s = student logits, t = teacher logits:
    //   s0 = [1, 2, 3],     t0 = [3, 2, 1]
    //   s1 = [0.5, -1, 2],  t1 = [0, 0, 4]
    // KL(softmax(t/T) || softmax(s/T)) per row:
    //   T = 1: 1.150420765, 0.143495520
    //   T = 2: 0.320156668, 0.102043765
    //   T = 4: 0.082476870, 0.033055295
    // Loss = T^2 * mean over the two rows.
    private static final float[] STUDENT = {1, 2, 3, 0.5f, -1, 2};
    private static final float[] TEACHER = {3, 2, 1, 0, 0, 4};

    @Test
    void distillationMatchesHandValues() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = manager.create(STUDENT, new Shape(2, 3));
            NDArray teacher = manager.create(TEACHER, new Shape(2, 3));
            assertEquals(0.6469581425, Losses.distillation(student, teacher, 1).getFloat(), 1e-5);
            assertEquals(0.8444008647, Losses.distillation(student, teacher, 2).getFloat(), 1e-5);
            assertEquals(0.9242573153, Losses.distillation(student, teacher, 4).getFloat(), 1e-5);
        }
    }

    @Test
    void distillationScalesByTemperatureSquared() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = manager.create(STUDENT, new Shape(2, 3));
            NDArray teacher = manager.create(TEACHER, new Shape(2, 3));
            // Without the T^2 factor the value at T = 4 would be the plain batch-mean KL.
            double plainKl = (0.08247686950961605 + 0.033055294899834234) / 2;
            assertEquals(16 * plainKl, Losses.distillation(student, teacher, 4).getFloat(), 1e-5);
        }
    }

    @Test
    void distillationAveragesOverBatchNotClasses() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = manager.create(new float[] {1, 2, 3}, new Shape(1, 3));
            NDArray teacher = manager.create(new float[] {3, 2, 1}, new Shape(1, 3));
            // One row: batchmean is the row's KL; a mean over batch x classes would be a third of it.
            assertEquals(1.150420765, Losses.distillation(student, teacher, 1).getFloat(), 1e-5);
        }
    }

    @Test
    void distillationSendsNoGradientToTeacher() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = manager.create(STUDENT, new Shape(2, 3));
            NDArray teacher = manager.create(TEACHER, new Shape(2, 3));
            student.setRequiresGradient(true);
            teacher.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(Losses.distillation(student, teacher, 2));
            }
            float[] teacherGradient = teacher.getGradient().toFloatArray();
            assertArrayEquals(new float[6], teacherGradient, 0f);
            float studentNorm = student.getGradient().abs().sum().getFloat();
            assertTrue(studentNorm > 1e-3, "student gradient should be non-zero, got " + studentNorm);
        }
    }

    @Test
    void teacherWouldGetGradientWithoutDetach() {
        // Control for the test above: the same KL written without stopGradient does reach the
        // teacher, so a zero teacher gradient there is the detach's doing.
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = manager.create(STUDENT, new Shape(2, 3));
            NDArray teacher = manager.create(TEACHER, new Shape(2, 3));
            student.setRequiresGradient(true);
            teacher.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray p = teacher.logSoftmax(1);
                NDArray kl = p.exp().mul(p.sub(student.logSoftmax(1))).sum(new int[] {1}).mean();
                collector.backward(kl);
            }
            assertTrue(teacher.getGradient().abs().sum().getFloat() > 1e-3);
        }
    }

    @Test
    void crossEntropyMatchesHandValue() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(STUDENT, new Shape(2, 3));
            NDArray labels = manager.create(new int[] {2, 0});
            // -ln softmax([1,2,3])[2] = 0.407606, -ln softmax([0.5,-1,2])[0] = 1.741311; mean 1.074459.
            assertEquals(1.0744586306, Losses.crossEntropy(logits, labels).getFloat(), 1e-5);
        }
    }

    @Test
    void softCrossEntropyWithOneHotEqualsCrossEntropy() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(STUDENT, new Shape(2, 3));
            NDArray targets = manager.create(new float[] {0, 0, 1, 1, 0, 0}, new Shape(2, 3));
            assertEquals(1.0744586306, Losses.softCrossEntropy(logits, targets).getFloat(), 1e-5);
        }
    }

    @Test
    void distillationRejectsNonPositiveTemperature() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(STUDENT, new Shape(2, 3));
            assertThrows(IllegalArgumentException.class, () -> Losses.distillation(logits, logits, 0));
        }
    }
}
