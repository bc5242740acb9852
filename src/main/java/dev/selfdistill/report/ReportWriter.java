package dev.selfdistill.report;

import dev.selfdistill.UserError;
import dev.selfdistill.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a study report in two formats with the same content: {@code report.md} (GitHub
 * Markdown that links the PNG files under {@code figures/}) and {@code report.html} (one
 * self-contained file with the images embedded, readable offline).
 *
 * <p>Everything is rendered in memory before the first file is written, and each file is written
 * through a temporary file and a rename. The figures come first and {@code report.html} last, so
 * a {@code report.html} from this call exists only when every other file was written.
 */
public final class ReportWriter {
    /** Name of the Markdown report inside the study folder. */
    public static final String MARKDOWN_FILE = "report.md";

    /** Name of the HTML report inside the study folder. */
    public static final String HTML_FILE = "report.html";

    private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);

    private ReportWriter() {}

    /**
     * Writes {@code report.md}, {@code report.html} and {@code figures/*.png} into {@code
     * studyDir}, creating the folder if needed and replacing earlier files of the same names.
     *
     * @throws UserError if {@code studyDir} or its {@code figures} entry exists but is not a
     *     folder
     * @throws UncheckedIOException if a folder or file cannot be written
     */
    public static void write(Path studyDir, StudyReport report) {
        write(studyDir, report, List.of());
    }

    /**
     * Writes the report like {@link #write(Path, StudyReport)}, with {@code extraSections}
     * after the per-run table and before the environment.
     *
     * @throws IllegalArgumentException if two extra figures share a file name
     * @throws UserError if {@code studyDir} or its {@code figures} entry exists but is not a
     *     folder
     * @throws UncheckedIOException if a folder or file cannot be written
     */
    public static void write(Path studyDir, StudyReport report, List<Section> extraSections) {
        Objects.requireNonNull(studyDir, "studyDir");
        Objects.requireNonNull(extraSections, "extraSections");
        requireComplete(report);

        List<Block> blocks = ReportContent.build(report, extraSections);
        List<Figure> figures = new ArrayList<>();
        for (Block block : blocks) {
            if (block instanceof Block.FigureBlock figureBlock) {
                figures.add(figureBlock.figure());
            }
        }
        String markdown = MarkdownRenderer.render(blocks);
        String html = HtmlRenderer.render(report.title(), blocks);

        Path figuresDir = studyDir.resolve(MarkdownRenderer.FIGURES_FOLDER);
        createFolder(studyDir);
        createFolder(figuresDir);
        for (Figure figure : figures) {
            AtomicFiles.writeBytes(figuresDir.resolve(figure.fileName()), figure.png());
        }
        AtomicFiles.writeString(studyDir.resolve(MARKDOWN_FILE), markdown);
        AtomicFiles.writeString(studyDir.resolve(HTML_FILE), html);
        // No folder in the message: compare writes into a temporary folder that it renames to
        // the study folder afterwards, and prints that final name itself.
        LOG.info("Wrote {} and {} with {} figures", MARKDOWN_FILE, HTML_FILE, figures.size());
    }

    private static void createFolder(Path folder) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new UserError(
                    "Cannot write the report: "
                            + folder
                            + " is a file, not a folder. Remove it or choose another study"
                            + " folder.");
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Failed to create report folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Rejects a report with a null component, naming the component. */
    private static void requireComplete(StudyReport report) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(report.title(), "report.title");
        Objects.requireNonNull(report.studyYaml(), "report.studyYaml");
        Objects.requireNonNull(report.environment(), "report.environment");
        Objects.requireNonNull(report.runs(), "report.runs");
        Objects.requireNonNull(report.labels(), "report.labels");
        Objects.requireNonNull(report.baselineLabel(), "report.baselineLabel");
        Objects.requireNonNull(report.metrics(), "report.metrics");
        Objects.requireNonNull(report.summaries(), "report.summaries");
        Objects.requireNonNull(report.comparisons(), "report.comparisons");
        Objects.requireNonNull(report.notes(), "report.notes");
    }
}
