package dev.selfdistill.data.manifest;

import java.nio.file.Path;

/**
 * An invalid manifest row.
 *
 * @param line line of the manifest where the row starts
 * @param id the row's id cell, possibly empty
 * @param column column of the invalid cell
 * @param value the invalid cell
 * @param message what is wrong and what to do
 */
public record ManifestProblem(int line, String id, String column, String value, String message) {
    /** Returns the one-line error: {@code FILE:LINE: column 'C', value 'V': MESSAGE}. */
    public String describe(Path manifest) {
        return manifest + ":" + line + ": column '" + column + "', value '" + shorten(value) + "': " + message;
    }

    private static String shorten(String value) {
        String oneLine = value.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() > 80 ? oneLine.substring(0, 77) + "..." : oneLine;
    }

    /** Returns the header of {@link #csvRow}. */
    public static String csvHeader() {
        return "line,id,column,value,problem";
    }

    /** Returns this problem as an RFC 4180 CSV row. */
    public String csvRow() {
        return line + "," + quote(id) + "," + quote(column) + "," + quote(value) + "," + quote(message);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\"", "\"\"") + "\"";
    }
}
