package dev.selfdistill.distill;

import static dev.selfdistill.distill.LossTermsAssertions.assertTerm;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.train.TrainConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassicKdTest {
    // Student s0 = [1, 2, 3] (label 2), s1 = [0.5, -1, 2] (label 0); teacher t0 = [3, 2, 1],
    // t1 = [0, 0, 4] (the rows of LossesTest). CE = 1.074459; T^2 KL at T = 4 = 0.924257.
    //   L = 0.1 * 1.074459 + 0.9 * 0.924257 = 0.107446 + 0.831832 = 0.939277
    private static ClassicKd method(Map<String, Object> values) {
        return new ClassicKd(ClassicKd.Settings.from(new MethodParams(ClassicKd.NAME, values)));
    }

    @Test
    void lossMatchesHandValueAtDefaults() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = manager.create(new float[] {1, 2, 3, 0.5f, -1, 2}, new Shape(2, 3));
            NDArray teacher = manager.create(new float[] {3, 2, 1, 0, 0, 4}, new Shape(2, 3));
            NDArray labels = manager.create(new int[] {2, 0});
            LossTerms terms = method(Map.of()).loss(student, labels, teacher);
            assertTerm(terms, "ce", 0.1, 1.0744586306);
            assertTerm(terms, "kd", 0.9, 0.9242573153);
            assertEquals(0.9392774468, terms.total().getFloat(), 1e-5);
        }
    }

    @Test
    void teacherIsWiderWithDoubleJointSize() {
        ModelConfig student = ModelConfig.defaults();
        ModelConfig teacher = method(Map.of()).teacherConfig(student);
        assertEquals("cnn-wide", teacher.imageEncoder());
        assertEquals("cnn-wide", teacher.audioEncoder());
        assertEquals(2 * student.jointSize(), teacher.jointSize());
        assertEquals(student.embeddingSize(), teacher.embeddingSize());
    }

    @Test
    void teacherTrainsAtHalfLearningRate() {
        TrainConfig study = TrainConfig.defaults();
        assertEquals(0.001, method(Map.of()).teacherTraining(study).learningRate(), 1e-12);
        assertEquals(0.002, method(Map.of("teacher_learning_rate_scale", 1.0)).teacherTraining(study).learningRate(), 1e-12);
        assertEquals(study.epochs(), method(Map.of()).teacherTraining(study).epochs());
    }

    @Test
    void teacherWidensOnlyConvolutionalEncoders() {
        ModelConfig student =
                new ModelConfig(
                        "cnn-small",
                        "cnn-small",
                        "concat",
                        64,
                        128,
                        0.1,
                        Map.of("image", "cnn-small", "text", "text-mean"),
                        Map.of("text", 50));
        ModelConfig teacher = method(Map.of()).teacherConfig(student);
        assertEquals(Map.of("image", "cnn-wide", "text", "text-mean"), teacher.encoders());
        assertEquals("cnn-wide", teacher.encoderFor("image"));
        assertEquals("text-mean", teacher.encoderFor("text"));
        assertEquals(50, teacher.vocabularySize("text"));
    }

    @Test
    void teacherJointSizeCanBeSet() {
        ModelConfig teacher =
                method(Map.of("teacher_joint_size", 300)).teacherConfig(ModelConfig.defaults());
        assertEquals(300, teacher.jointSize());
    }
}
