package dev.selfdistill.report;

import java.util.List;
import java.util.Objects;

/**
 * A section that a caller appends to the report, for example robustness curves or reliability
 * diagrams. Both formats show the heading, then the paragraphs, then the tables, then the figures,
 * after the per-run table and before the environment.
 *
 * @param heading section heading, plain text
 * @param paragraphs paragraphs of plain text, shown in order and escaped by the renderers
 * @param tables tables shown in order
 * @param figures figures shown in order, with file names that differ from those of every other
 *     extra figure
 */
public record Section(
        String heading, List<String> paragraphs, List<Table> tables, List<Figure> figures) {
    /** Checks the components and copies the lists. */
    public Section {
        Objects.requireNonNull(heading, "heading");
        if (heading.isBlank()) {
            throw new IllegalArgumentException("Section heading is blank");
        }
        paragraphs = List.copyOf(paragraphs);
        tables = List.copyOf(tables);
        figures = List.copyOf(figures);
    }

    /** Creates a section without tables. */
    public Section(String heading, List<String> paragraphs, List<Figure> figures) {
        this(heading, paragraphs, List.of(), figures);
    }

    /**
     * A table whose first column names the row. A cell may hold several lines separated by {@code
     * '\n'}: HTML shows the later lines smaller and Markdown joins them with {@code <br>}.
     *
     * @param caption caption shown above the table, empty for none
     * @param headers column headers
     * @param rows rows of cells, each as long as {@code headers}
     * @param numericColumns indices of the columns that hold numbers, which are right-aligned
     */
    public record Table(
            String caption,
            List<String> headers,
            List<List<String>> rows,
            List<Integer> numericColumns) {
        /** Checks that every row is as long as the headers, and copies the lists. */
        public Table {
            Objects.requireNonNull(caption, "caption");
            headers = List.copyOf(headers);
            rows = rows.stream().map(List::copyOf).toList();
            numericColumns = List.copyOf(numericColumns);
            for (List<String> row : rows) {
                if (row.size() != headers.size()) {
                    throw new IllegalArgumentException(
                            "Table row has "
                                    + row.size()
                                    + " cells but "
                                    + headers.size()
                                    + " headers: "
                                    + row);
                }
            }
        }
    }
}
