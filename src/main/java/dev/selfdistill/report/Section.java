package dev.selfdistill.report;

import java.util.List;
import java.util.Objects;

/**
 * A section that a caller appends to the report, for example robustness curves or reliability
 * diagrams. Both formats show the heading, then the paragraphs, then the figures, after the
 * per-run table and before the environment.
 *
 * @param heading section heading, plain text
 * @param paragraphs paragraphs of plain text, shown in order and escaped by the renderers
 * @param figures figures shown in order, with file names that differ from those of every other
 *     extra figure
 */
public record Section(String heading, List<String> paragraphs, List<Figure> figures) {
    /** Checks the components and copies the lists. */
    public Section {
        Objects.requireNonNull(heading, "heading");
        if (heading.isBlank()) {
            throw new IllegalArgumentException("Section heading is blank");
        }
        paragraphs = List.copyOf(paragraphs);
        figures = List.copyOf(figures);
    }
}
