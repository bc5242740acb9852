package dev.selfdistill.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies and averages of a block's parameters, including BatchNorm running statistics (DJL keeps
 * those as parameters of type {@code RUNNING_MEAN} and {@code RUNNING_VAR}).
 */
public final class Parameters {
    private Parameters() {}

    /** Returns a copy of every parameter's values, in the block's parameter order. */
    public static List<float[]> snapshot(Block block) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> pair : block.getParameters()) {
            values.add(pair.getValue().getArray().toFloatArray());
        }
        return values;
    }

    /** Writes a snapshot taken from a block of the same structure back into {@code block}. */
    public static void restore(Block block, List<float[]> snapshot) {
        PairList<String, Parameter> parameters = block.getParameters();
        if (parameters.size() != snapshot.size()) {
            throw new IllegalArgumentException(
                    "snapshot has " + snapshot.size() + " parameters, block has " + parameters.size());
        }
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).getValue().getArray().set(snapshot.get(i));
        }
    }

    /** Copies every parameter of {@code source} into {@code target} (same structure). */
    public static void copy(Block source, Block target) {
        PairList<String, Parameter> from = source.getParameters();
        PairList<String, Parameter> to = target.getParameters();
        checkSameStructure(from, to);
        for (int i = 0; i < from.size(); i++) {
            from.get(i).getValue().getArray().copyTo(to.get(i).getValue().getArray());
        }
    }

    /**
     * Moves {@code target} towards {@code source}: {@code target = m * target + (1 - m) * source}
     * for every parameter and BatchNorm statistic. Call it outside any gradient collector.
     */
    public static void exponentialMovingAverage(Block source, Block target, double momentum) {
        PairList<String, Parameter> from = source.getParameters();
        PairList<String, Parameter> to = target.getParameters();
        checkSameStructure(from, to);
        // The scope closes the scaled student copies. The in-place updates write into the
        // teacher's own arrays, which the scope did not create and so does not close.
        try (NDScope scope = new NDScope()) {
            for (int i = 0; i < from.size(); i++) {
                NDArray teacher = to.get(i).getValue().getArray();
                NDArray scaledStudent = from.get(i).getValue().getArray().mul((float) (1 - momentum));
                teacher.muli((float) momentum).addi(scaledStudent);
            }
        }
    }

    /** Counts trainable values (BatchNorm running statistics excluded). */
    public static long countTrainable(Block block) {
        long count = 0;
        for (Pair<String, Parameter> pair : block.getParameters()) {
            if (pair.getValue().requiresGradient()) {
                count += pair.getValue().getArray().size();
            }
        }
        return count;
    }

    private static void checkSameStructure(PairList<String, Parameter> from, PairList<String, Parameter> to) {
        if (from.size() != to.size()) {
            throw new IllegalArgumentException("blocks differ: " + from.size() + " vs " + to.size() + " parameters");
        }
        for (int i = 0; i < from.size(); i++) {
            if (!from.get(i).getValue().getArray().getShape().equals(to.get(i).getValue().getArray().getShape())) {
                throw new IllegalArgumentException("parameter " + from.get(i).getKey() + " differs in shape");
            }
        }
    }
}
