package dev.selfdistill.distill;

import java.util.Map;

/**
 * A method named in a study, with validated hyperparameters, that creates a fresh {@link Method}
 * for each run.
 */
public interface MethodPlan {
    /** Returns the registry name. */
    String name();

    /** Returns every hyperparameter with the value in force, defaults included. */
    Map<String, Object> parameters();

    /**
     * Returns the number of distilled generations for born-again style methods, whose generation
     * 0 is the baseline and generation k learns from generation k-1; 0 for every other method.
     */
    default int generations() {
        return 0;
    }

    /**
     * Creates the method for one run.
     *
     * @param generation generation number (1 or more) for generational methods, else 0
     * @param previousGeneration logits of generation - 1 on the training split, or null
     */
    Method create(int generation, TeacherLogits previousGeneration);
}
