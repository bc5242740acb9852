package dev.selfdistill.report;

import java.util.List;

/**
 * One element of a report, rendered by both {@link MarkdownRenderer} and {@link HtmlRenderer} so
 * that the two formats show the same content in the same order. All text is plain and the
 * renderers escape it.
 */
sealed interface Block {

    /**
     * A heading.
     *
     * @param level 1 for the title, 2 for sections, 3 for subsections
     * @param text heading text
     */
    record Heading(int level, String text) implements Block {}

    /**
     * A paragraph of plain text.
     *
     * @param text paragraph text
     * @param cssClass HTML class of the paragraph, or empty for none. Markdown ignores it.
     */
    record Paragraph(String text, String cssClass) implements Block {
        public Paragraph(String text) {
            this(text, "");
        }
    }

    /**
     * An unordered list.
     *
     * @param items list items, plain text
     */
    record BulletList(List<String> items) implements Block {}

    /**
     * A table whose first column names the row.
     *
     * <p>A cell may hold several lines separated by {@code '\n'}. HTML shows the later lines
     * smaller, which suits a confidence interval under a mean, and Markdown joins them with
     * {@code <br>}.
     *
     * @param id HTML id of the table, empty for none
     * @param caption table caption, empty for none
     * @param headers column headers
     * @param rows rows of cells, each as long as {@code headers}
     * @param numericColumns indices of columns that hold numbers, which are right-aligned
     */
    record Table(
            String id,
            String caption,
            List<String> headers,
            List<List<String>> rows,
            List<Integer> numericColumns)
            implements Block {
        public Table {
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

    /**
     * A figure.
     *
     * @param figure the image with its title, alt text and caption
     */
    record FigureBlock(Figure figure) implements Block {}

    /**
     * Preformatted text, such as the study YAML.
     *
     * @param text the text, shown verbatim
     * @param language language tag for the Markdown fence, for example {@code yaml}
     */
    record Code(String text, String language) implements Block {}
}
