package dev.selfdistill.eval;

/** Shape and value checks shared by the metrics, each raising IllegalArgumentException. */
final class Inputs {
    private Inputs() {}

    /**
     * Checks that {@code matrix} is a non-empty rectangular array of finite values and returns
     * its number of columns.
     */
    static int requireMatrix(String name, float[][] matrix) {
        if (matrix == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (matrix.length == 0) {
            throw new IllegalArgumentException(name + " has no rows");
        }
        if (matrix[0] == null || matrix[0].length == 0) {
            throw new IllegalArgumentException(name + "[0] is null or empty");
        }
        int columns = matrix[0].length;
        for (int i = 0; i < matrix.length; i++) {
            float[] row = matrix[i];
            if (row == null) {
                throw new IllegalArgumentException(name + "[" + i + "] is null");
            }
            if (row.length != columns) {
                throw new IllegalArgumentException(
                        name + "[" + i + "] has " + row.length + " columns but " + name
                                + "[0] has " + columns + ", but all rows must have the same width");
            }
            for (int j = 0; j < columns; j++) {
                if (!Float.isFinite(row[j])) {
                    throw new IllegalArgumentException(
                            name + "[" + i + "][" + j + "] is " + row[j]
                                    + ", but every value must be finite");
                }
            }
        }
        return columns;
    }

    /**
     * Checks that {@code labels} has one entry per row and that each lies in [0, classes). With
     * {@code classes = Integer.MAX_VALUE} it checks only that labels are non-negative.
     */
    static void requireLabels(String name, int[] labels, int rows, int classes) {
        if (labels == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException(
                    name + " has " + labels.length + " entries but there are " + rows
                            + " rows, so pass one label per row");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                String range = classes == Integer.MAX_VALUE ? "[0, inf)" : "[0, " + classes + ")";
                throw new IllegalArgumentException(
                        name + "[" + i + "] is " + labels[i] + ", outside the class range "
                                + range);
            }
        }
    }

    /** Returns one more than the largest label, the number of classes the labels imply. */
    static int classCount(int[]... labelArrays) {
        int max = -1;
        for (int[] labels : labelArrays) {
            for (int label : labels) {
                max = Math.max(max, label);
            }
        }
        return max + 1;
    }
}
