package dev.selfdistill.data.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Encodes the tabular columns of one modality into a feature vector, with every statistic taken
 * from the training split.
 *
 * <p>A numeric column becomes one feature {@code (x - mean) / sd}, with the mean and the
 * population standard deviation of the training split's non-empty cells (sd 1 when it is 0). An
 * empty numeric cell becomes 0, the training mean. A categorical column becomes a one-hot block
 * with one slot per category seen in the training split, sorted, plus a last "other" slot for
 * categories first seen in validation or test. An empty categorical cell is all zeros.
 */
public final class TabularColumns {
    /** Name of the slot that receives categories not seen in training. */
    public static final String OTHER = "(other)";

    private final List<ManifestInput> columns;
    private final double[] means;
    private final double[] sds;
    private final List<Map<String, Integer>> categories;
    private final int width;

    private TabularColumns(List<ManifestInput> columns, double[] means, double[] sds, List<Map<String, Integer>> categories) {
        this.columns = columns;
        this.means = means;
        this.sds = sds;
        this.categories = categories;
        int total = 0;
        for (int c = 0; c < columns.size(); c++) {
            total += isNumeric(c) ? 1 : categories.get(c).size() + 1;
        }
        this.width = total;
    }

    private boolean isNumeric(int column) {
        return columns.get(column).type().equals("numeric");
    }

    /**
     * Fits the statistics on the training split.
     *
     * @param columns the tabular inputs of one modality
     * @param cells per training row, the cells of {@code columns} in order; numeric cells have
     *     already been checked to parse
     */
    public static TabularColumns fit(List<ManifestInput> columns, List<String[]> cells) {
        double[] means = new double[columns.size()];
        double[] sds = new double[columns.size()];
        List<Map<String, Integer>> categories = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            Map<String, Integer> slots = new LinkedHashMap<>();
            if (columns.get(c).type().equals("numeric")) {
                double sum = 0;
                double squares = 0;
                int count = 0;
                for (String[] row : cells) {
                    if (!row[c].isBlank()) {
                        double x = Double.parseDouble(row[c].strip());
                        sum += x;
                        squares += x * x;
                        count++;
                    }
                }
                means[c] = count == 0 ? 0 : sum / count;
                double variance = count == 0 ? 0 : Math.max(0, squares / count - means[c] * means[c]);
                sds[c] = variance > 0 ? Math.sqrt(variance) : 1;
            } else {
                TreeSet<String> seen = new TreeSet<>();
                for (String[] row : cells) {
                    if (!row[c].isBlank()) {
                        seen.add(row[c].strip());
                    }
                }
                for (String category : seen) {
                    slots.put(category, slots.size());
                }
            }
            categories.add(slots);
        }
        return new TabularColumns(columns, means, sds, categories);
    }

    /** Returns the number of features. */
    public int width() {
        return width;
    }

    /** Returns the training mean of column {@code c}, 0 for a categorical column. */
    public double mean(int c) {
        return means[c];
    }

    /** Returns the training standard deviation of column {@code c}, 0 for a categorical column. */
    public double sd(int c) {
        return sds[c];
    }

    /** Returns the training categories of column {@code c} in slot order, without "other". */
    public List<String> categories(int c) {
        return List.copyOf(categories.get(c).keySet());
    }

    /** Encodes one row's cells, in the order of the columns given to {@link #fit}. */
    public float[] encode(String[] row) {
        float[] features = new float[width];
        int offset = 0;
        for (int c = 0; c < columns.size(); c++) {
            String cell = row[c].strip();
            if (isNumeric(c)) {
                if (!cell.isEmpty()) {
                    features[offset] = (float) ((Double.parseDouble(cell) - means[c]) / sds[c]);
                }
                offset++;
            } else {
                Map<String, Integer> slots = categories.get(c);
                if (!cell.isEmpty()) {
                    features[offset + slots.getOrDefault(cell, slots.size())] = 1;
                }
                offset += slots.size() + 1;
            }
        }
        return features;
    }
}
