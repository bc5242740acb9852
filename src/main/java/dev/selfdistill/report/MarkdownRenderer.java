package dev.selfdistill.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders report blocks as GitHub Flavored Markdown. Figures link {@code figures/<fileName>},
 * relative to the report, so the Markdown file shows them when it sits next to that folder.
 */
final class MarkdownRenderer {
    /** Folder of the figure files, relative to the report. */
    static final String FIGURES_FOLDER = "figures";

    // Characters that start emphasis, links, inline HTML, tables or code in GitHub Markdown.
    private static final Pattern SPECIAL = Pattern.compile("([\\\\`*_\\[\\]<>|~#])");
    private static final Pattern BACKTICK_RUN = Pattern.compile("`+");
    // A line that starts like a list item or a setext heading underline.
    private static final Pattern BLOCK_START = Pattern.compile("^([-+=]|\\d+[.)])");

    private MarkdownRenderer() {}

    /** Renders the blocks as one Markdown document ending in a newline. */
    static String render(List<Block> blocks) {
        StringBuilder out = new StringBuilder();
        for (Block block : blocks) {
            if (out.length() > 0) {
                out.append('\n');
            }
            appendBlock(out, block);
        }
        return out.toString();
    }

    private static void appendBlock(StringBuilder out, Block block) {
        if (block instanceof Block.Heading heading) {
            out.append("#".repeat(heading.level()))
                    .append(' ')
                    .append(escapeLine(heading.text()))
                    .append('\n');
        } else if (block instanceof Block.Paragraph paragraph) {
            out.append(escapeLine(paragraph.text())).append('\n');
        } else if (block instanceof Block.BulletList list) {
            for (String item : list.items()) {
                out.append("- ").append(escapeLine(item)).append('\n');
            }
        } else if (block instanceof Block.Table table) {
            appendTable(out, table);
        } else if (block instanceof Block.FigureBlock figureBlock) {
            appendFigure(out, figureBlock.figure());
        } else if (block instanceof Block.Code code) {
            appendCode(out, code);
        } else {
            throw new IllegalStateException("Unknown block " + block);
        }
    }

    private static void appendTable(StringBuilder out, Block.Table table) {
        if (!table.caption().isEmpty()) {
            out.append('*').append(escapeLine(table.caption())).append("*\n\n");
        }
        out.append('|');
        for (String header : table.headers()) {
            out.append(' ').append(escapeCell(header)).append(" |");
        }
        out.append("\n|");
        for (int column = 0; column < table.headers().size(); column++) {
            out.append(table.numericColumns().contains(column) ? " ---: |" : " --- |");
        }
        out.append('\n');
        for (List<String> row : table.rows()) {
            out.append('|');
            for (String cell : row) {
                out.append(' ').append(escapeCell(cell)).append(" |");
            }
            out.append('\n');
        }
    }

    private static void appendFigure(StringBuilder out, Figure figure) {
        out.append("### ").append(escapeLine(figure.title())).append("\n\n");
        out.append("![")
                .append(escapeLine(figure.altText()))
                .append("](")
                .append(FIGURES_FOLDER)
                .append('/')
                .append(figure.fileName())
                .append(")\n");
        if (!figure.caption().isEmpty()) {
            out.append('\n').append('*').append(escapeLine(figure.caption())).append("*\n");
        }
    }

    private static void appendCode(StringBuilder out, Block.Code code) {
        // A fence longer than every backtick run inside the text cannot be closed by the text.
        int longestRun = 0;
        Matcher run = BACKTICK_RUN.matcher(code.text());
        while (run.find()) {
            longestRun = Math.max(longestRun, run.group().length());
        }
        String fence = "`".repeat(Math.max(3, longestRun + 1));
        out.append(fence).append(code.language()).append('\n');
        out.append(code.text());
        if (!code.text().endsWith("\n")) {
            out.append('\n');
        }
        out.append(fence).append('\n');
    }

    /** Escapes Markdown syntax characters with a backslash. */
    static String escape(String text) {
        return SPECIAL.matcher(text).replaceAll("\\\\$1");
    }

    /**
     * Escapes text that must stay on one line, such as a paragraph, heading or list item, and a
     * leading character that would start a list or a setext heading underline.
     */
    static String escapeLine(String text) {
        String line = escape(text.replaceAll("\\s*\\R\\s*", " ").strip());
        Matcher start = BLOCK_START.matcher(line);
        if (!start.find()) {
            return line;
        }
        // Escaping the marker's last character ("-", "+", "=", "." or ")") is enough to stop it.
        int split = start.end() - 1;
        return line.substring(0, split) + "\\" + line.substring(split);
    }

    /** Escapes a table cell, where line breaks become {@code <br>}. */
    private static String escapeCell(String text) {
        String[] lines = text.split("\\R", -1);
        StringBuilder cell = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                cell.append("<br>");
            }
            cell.append(escape(lines[i].strip()));
        }
        return cell.toString();
    }
}
