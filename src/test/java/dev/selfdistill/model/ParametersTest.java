package dev.selfdistill.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParametersTest {
    private static Block smallBlock(NDManager manager) {
        Block block = new SequentialBlock().add(Linear.builder().setUnits(3).build()).add(BatchNorm.builder().build());
        block.initialize(manager, DataType.FLOAT32, new Shape(4, 2));
        return block;
    }

    private static void fill(Block block, float value) {
        for (Pair<String, Parameter> pair : block.getParameters()) {
            pair.getValue().getArray().set(new float[(int) pair.getValue().getArray().size()]);
            pair.getValue().getArray().addi(value);
        }
    }

    @Test
    void emaBlendsEveryParameterIncludingBatchNormStatistics() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block student = smallBlock(manager);
            Block teacher = smallBlock(manager);
            fill(student, 1f);
            fill(teacher, 3f);
            Parameters.exponentialMovingAverage(student, teacher, 0.9);
            boolean sawRunningMean = false;
            for (Pair<String, Parameter> pair : teacher.getParameters()) {
                float[] values = pair.getValue().getArray().toFloatArray();
                for (float v : values) {
                    // 0.9 * 3 + 0.1 * 1 = 2.8
                    assertEquals(2.8f, v, 1e-6f, pair.getKey());
                }
                sawRunningMean |= pair.getValue().getType() == Parameter.Type.RUNNING_MEAN;
            }
            assertTrue(sawRunningMean, "BatchNorm running mean should be among the blended parameters");
        }
    }

    @Test
    void emaLeavesStudentUnchanged() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block student = smallBlock(manager);
            Block teacher = smallBlock(manager);
            fill(student, 1f);
            fill(teacher, 3f);
            Parameters.exponentialMovingAverage(student, teacher, 0.5);
            for (Pair<String, Parameter> pair : student.getParameters()) {
                for (float v : pair.getValue().getArray().toFloatArray()) {
                    assertEquals(1f, v, 0f);
                }
            }
        }
    }

    @Test
    void emaCreatesNoArraysOnTheModelManager() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block student = smallBlock(manager);
            Block teacher = smallBlock(manager);
            int before = manager.getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                Parameters.exponentialMovingAverage(student, teacher, 0.99);
            }
            assertEquals(before, manager.getManagedArrays().size());
        }
    }

    @Test
    void snapshotRestoresValues() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = smallBlock(manager);
            fill(block, 5f);
            List<float[]> snapshot = Parameters.snapshot(block);
            fill(block, -1f);
            Parameters.restore(block, snapshot);
            for (Pair<String, Parameter> pair : block.getParameters()) {
                float[] expected = new float[(int) pair.getValue().getArray().size()];
                java.util.Arrays.fill(expected, 5f);
                assertArrayEquals(expected, pair.getValue().getArray().toFloatArray(), 0f);
            }
        }
    }
}
