package dev.selfdistill.data.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.selfdistill.UserError;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the rows of a manifest file, CSV or JSON lines, keeping each row's line number. */
public final class ManifestRows {
    private ManifestRows() {}

    /**
     * One data row.
     *
     * @param line 1-based line of the file where the row starts (the header is line 1 in CSV)
     * @param cells values by column; an empty string where the cell is empty or absent
     */
    public record Row(int line, Map<String, String> cells) {
        /** Returns the cell of {@code column}, or an empty string. */
        public String cell(String column) {
            return cells.getOrDefault(column, "");
        }
    }

    /**
     * Reads every row of a UTF-8 manifest.
     *
     * @param file the manifest
     * @param format {@code csv} or {@code jsonl}
     * @param maxRows stop after this many rows; 0 reads all
     * @throws UserError naming the file and line when the file is missing, not UTF-8, or not
     *     valid CSV or JSON lines
     */
    public static List<Row> read(Path file, String format, int maxRows) {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": manifest not found; check manifest.path");
        } catch (CharacterCodingException e) {
            throw new UserError(file + ": the manifest is not valid UTF-8; save it as UTF-8");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read the manifest: " + e.getMessage());
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return format.equals("jsonl") ? jsonLines(file, text, maxRows) : csv(file, text, maxRows);
    }

    /** Parses RFC 4180 CSV: comma-separated, double quotes around fields, "" for a quote inside. */
    static List<Row> csv(Path file, String text, int maxRows) {
        List<List<String>> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        boolean quoted = false;
        boolean afterQuote = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                        afterQuote = true;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                afterQuote = false;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                field.setLength(0);
                afterQuote = false;
                records.add(fields);
                lines.add(recordLine);
                fields = new ArrayList<>();
                line++;
                recordLine = line;
            } else if (c == '"' && field.length() == 0 && !afterQuote) {
                quoted = true;
            } else if (afterQuote) {
                throw new UserError(file + ":" + line + ": invalid CSV: text after a closing quote; "
                        + "double a quote inside a quoted field (\"\")");
            } else {
                field.append(c);
            }
            i++;
        }
        if (quoted) {
            throw new UserError(file + ":" + recordLine + ": invalid CSV: a quoted field is not closed");
        }
        if (field.length() > 0 || !fields.isEmpty() || afterQuote) {
            fields.add(field.toString());
            records.add(fields);
            lines.add(recordLine);
        }
        if (records.isEmpty()) {
            throw new UserError(file + ": the manifest is empty; it needs a header row and one row per sample");
        }
        List<String> header = records.get(0);
        Set<String> seen = new HashSet<>();
        for (String name : header) {
            if (!seen.add(name.strip())) {
                throw new UserError(file + ":1: the header names column '" + name + "' twice");
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int r = 1; r < records.size() && (maxRows == 0 || rows.size() < maxRows); r++) {
            List<String> values = records.get(r);
            if (values.size() == 1 && values.get(0).isEmpty()) {
                continue;
            }
            if (values.size() != header.size()) {
                throw new UserError(file + ":" + lines.get(r) + ": the row has " + values.size() + " fields but the "
                        + "header has " + header.size() + "; quote fields that contain commas");
            }
            Map<String, String> cells = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                cells.put(header.get(c).strip(), values.get(c));
            }
            rows.add(new Row(lines.get(r), cells));
        }
        return rows;
    }

    static List<Row> jsonLines(Path file, String text, int maxRows) {
        ObjectMapper mapper = new ObjectMapper();
        List<Row> rows = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int l = 0; l < lines.length && (maxRows == 0 || rows.size() < maxRows); l++) {
            if (lines[l].isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = mapper.readTree(lines[l]);
            } catch (IOException e) {
                throw new UserError(file + ":" + (l + 1) + ": invalid JSON: "
                        + e.getMessage().lines().findFirst().orElse("") + "; write one JSON object per line");
            }
            if (!node.isObject()) {
                throw new UserError(file + ":" + (l + 1) + ": expected a JSON object per line, got " + node.getNodeType());
            }
            Map<String, String> cells = new LinkedHashMap<>();
            var fields = node.fields();
            while (fields.hasNext()) {
                var entry = fields.next();
                JsonNode value = entry.getValue();
                cells.put(entry.getKey(), value.isNull() ? "" : value.isValueNode() ? value.asText() : value.toString());
            }
            rows.add(new Row(l + 1, cells));
        }
        if (rows.isEmpty()) {
            throw new UserError(file + ": the manifest has no rows; write one JSON object per line");
        }
        return rows;
    }
}
