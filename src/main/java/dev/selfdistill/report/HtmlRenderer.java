package dev.selfdistill.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * Renders report blocks as one self-contained HTML file: images are {@code data:} URIs, the
 * style sheet and the only script are inline, and a Content-Security-Policy blocks every other
 * source, so the page reads the same offline and a browser that enforces the policy fetches
 * nothing from the network.
 *
 * <p>The inline script runs on window load and stores two counts on {@code <body>}: {@code
 * data-images-total}, the number of images, and {@code data-images-loaded}, those that decoded
 * ({@code complete && naturalWidth > 0}). A headless browser check reads them from the DOM.
 */
final class HtmlRenderer {
    static final String STYLE =
            """
            :root { color-scheme: light; }
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans",
                   sans-serif; color: #1f2328; background: #ffffff; line-height: 1.5;
                   margin: 0; }
            main { max-width: 1200px; margin: 0 auto; padding: 20px 24px 48px; }
            h1 { font-size: 1.9em; margin: 0.2em 0 0.5em; }
            h2 { font-size: 1.4em; margin-top: 1.8em; padding-bottom: 0.2em;
                 border-bottom: 1px solid #d0d7de; }
            h3 { font-size: 1.1em; margin: 1.4em 0 0.4em; }
            p.summary { font-size: 1.05em; }
            .table-wrap { overflow-x: auto; margin: 0.6em 0 1em; }
            table { border-collapse: collapse; font-size: 0.9em; }
            caption { caption-side: top; text-align: left; color: #57606a; padding: 0 0 6px;
                      font-size: 0.95em; }
            th, td { border: 1px solid #d0d7de; padding: 5px 8px; vertical-align: top; }
            thead th { background: #f3f5f7; text-align: left; }
            tbody th { text-align: left; font-weight: 600; white-space: nowrap; }
            tbody tr:nth-child(even) { background: #fafbfc; }
            td.num { text-align: right; white-space: nowrap;
                     font-variant-numeric: tabular-nums; }
            td .sub { display: block; color: #57606a; font-size: 0.88em; }
            #verdict td:nth-child(2) { min-width: 9em; }
            #verdict tbody th { white-space: normal; min-width: 7em; }
            #verdict td:last-child { min-width: 14em; }
            figure { margin: 0.4em 0 1.6em; }
            figure img { display: block; max-width: 100%; height: auto;
                         border: 1px solid #d0d7de; }
            figcaption { color: #57606a; font-size: 0.92em; margin-top: 6px; }
            pre { background: #f6f8fa; border: 1px solid #d0d7de; padding: 12px;
                  overflow-x: auto; font-size: 0.88em; line-height: 1.4; }
            code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
            """;

    static final String SCRIPT =
            """
            window.addEventListener("load", function () {
              var images = Array.prototype.slice.call(document.images);
              var loaded = images.filter(function (image) {
                return image.complete && image.naturalWidth > 0;
              }).length;
              document.body.dataset.imagesLoaded = String(loaded);
              document.body.dataset.imagesTotal = String(images.length);
            });
            """;

    private HtmlRenderer() {}

    /** Renders the blocks as a complete HTML document whose {@code <title>} is {@code title}. */
    static String render(String title, List<Block> blocks) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n");
        out.append("<meta charset=\"utf-8\">\n");
        out.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        out.append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
                .append(contentSecurityPolicy())
                .append("\">\n");
        out.append("<title>").append(escape(title)).append("</title>\n");
        out.append("<style>\n").append(STYLE).append("</style>\n");
        out.append("</head>\n<body>\n<main>\n");
        for (Block block : blocks) {
            appendBlock(out, block);
        }
        out.append("</main>\n");
        out.append("<script>\n").append(SCRIPT).append("</script>\n");
        out.append("</body>\n</html>\n");
        return out.toString();
    }

    /**
     * Returns a policy that allows only {@code data:} images and this renderer's own style sheet
     * and script, identified by their SHA-256 hashes.
     */
    static String contentSecurityPolicy() {
        return "default-src 'none'; img-src data:; style-src '"
                + sha256("\n" + STYLE)
                + "'; script-src '"
                + sha256("\n" + SCRIPT)
                + "'; base-uri 'none'; form-action 'none'";
    }

    private static void appendBlock(StringBuilder out, Block block) {
        if (block instanceof Block.Heading heading) {
            String tag = "h" + Math.max(1, Math.min(6, heading.level()));
            out.append('<').append(tag).append('>');
            out.append(escape(heading.text()));
            out.append("</").append(tag).append(">\n");
        } else if (block instanceof Block.Paragraph paragraph) {
            out.append("<p");
            if (!paragraph.cssClass().isEmpty()) {
                out.append(" class=\"").append(escape(paragraph.cssClass())).append('"');
            }
            out.append('>').append(escape(paragraph.text())).append("</p>\n");
        } else if (block instanceof Block.BulletList list) {
            out.append("<ul>\n");
            for (String item : list.items()) {
                out.append("<li>").append(escape(item)).append("</li>\n");
            }
            out.append("</ul>\n");
        } else if (block instanceof Block.Table table) {
            appendTable(out, table);
        } else if (block instanceof Block.FigureBlock figureBlock) {
            appendFigure(out, figureBlock.figure());
        } else if (block instanceof Block.Code code) {
            out.append("<pre><code>").append(escape(code.text())).append("</code></pre>\n");
        } else {
            throw new IllegalStateException("Unknown block " + block);
        }
    }

    private static void appendTable(StringBuilder out, Block.Table table) {
        out.append("<div class=\"table-wrap\">\n<table");
        if (!table.id().isEmpty()) {
            out.append(" id=\"").append(escape(table.id())).append('"');
        }
        out.append(">\n");
        if (!table.caption().isEmpty()) {
            out.append("<caption>").append(escape(table.caption())).append("</caption>\n");
        }
        out.append("<thead>\n<tr>");
        for (String header : table.headers()) {
            out.append("<th scope=\"col\">").append(escape(header)).append("</th>");
        }
        out.append("</tr>\n</thead>\n<tbody>\n");
        for (List<String> row : table.rows()) {
            out.append("<tr>");
            for (int column = 0; column < row.size(); column++) {
                // The first column names the row, so it is a row header for screen readers.
                if (column == 0) {
                    out.append("<th scope=\"row\">");
                    appendCellText(out, row.get(column));
                    out.append("</th>");
                    continue;
                }
                out.append(table.numericColumns().contains(column) ? "<td class=\"num\">" : "<td>");
                appendCellText(out, row.get(column));
                out.append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n</div>\n");
    }

    /** Writes a cell's first line as is and each later line as a smaller, muted line. */
    private static void appendCellText(StringBuilder out, String text) {
        String[] lines = text.split("\\R", -1);
        out.append(escape(lines[0]));
        for (int i = 1; i < lines.length; i++) {
            out.append("<span class=\"sub\">").append(escape(lines[i])).append("</span>");
        }
    }

    private static void appendFigure(StringBuilder out, Figure figure) {
        byte[] png = figure.png();
        out.append("<h3>").append(escape(figure.title())).append("</h3>\n");
        out.append("<figure>\n<img src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png))
                .append("\" alt=\"")
                .append(escape(figure.altText()))
                .append('"');
        int[] size = pngSize(png);
        if (size != null) {
            out.append(" width=\"").append(size[0]).append("\" height=\"").append(size[1]);
            out.append('"');
        }
        out.append(">\n");
        if (!figure.caption().isEmpty()) {
            out.append("<figcaption>").append(escape(figure.caption())).append("</figcaption>\n");
        }
        out.append("</figure>\n");
    }

    /**
     * Returns {width, height} from the PNG header, or null when the bytes are too short. The
     * size lets the browser reserve the image's space before decoding it.
     */
    static int[] pngSize(byte[] png) {
        // The IHDR chunk follows the 8-byte signature, a 4-byte length and the 4-byte type.
        if (png.length < 24) {
            return null;
        }
        return new int[] {readInt(png, 16), readInt(png, 20)};
    }

    private static int readInt(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xff) << 24)
                | ((bytes[offset + 1] & 0xff) << 16)
                | ((bytes[offset + 2] & 0xff) << 8)
                | (bytes[offset + 3] & 0xff);
    }

    /** Escapes text for HTML element content and double- or single-quoted attributes. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] hash = digest.digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest Javadoc, Java 17).
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
