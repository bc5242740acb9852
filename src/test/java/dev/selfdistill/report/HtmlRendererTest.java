package dev.selfdistill.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlRendererTest {
    @Test
    void escapesMarkupAndQuotes() {
        assertEquals(
                "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;",
                HtmlRenderer.escape("<a href=\"x\">Tom & Jerry's</a>"));
    }

    @Test
    void policyHashesMatchInlineStyleAndScript() throws Exception {
        String html = HtmlRenderer.render("t", List.of(new Block.Paragraph("p")));

        String style = between(html, "<style>", "</style>");
        String script = between(html, "<script>", "</script>");
        String policy = between(html, "Content-Security-Policy\" content=\"", "\"");
        assertTrue(policy.contains("style-src '" + sha256(style) + "'"), policy);
        assertTrue(policy.contains("script-src '" + sha256(script) + "'"), policy);
        assertTrue(policy.startsWith("default-src 'none'; img-src data:;"), policy);
    }

    @Test
    void imageCarriesPngSize() {
        byte[] png =
                Charts.lineChart(
                        "c", "x", "y", java.util.Map.of("a", new double[][] {{0, 1}, {0, 1}}));
        Figure figure = new Figure("c.png", "Curve", "A rising line.", png, "");

        String html = HtmlRenderer.render("t", List.of(new Block.FigureBlock(figure)));

        assertTrue(html.contains("alt=\"A rising line.\" width=\"900\" height=\"500\">"), html);
    }

    private static String between(String text, String start, String end) {
        Matcher matcher =
                Pattern.compile(Pattern.quote(start) + "(.*?)" + Pattern.quote(end), Pattern.DOTALL)
                        .matcher(text);
        assertTrue(matcher.find(), "missing " + start);
        return matcher.group(1);
    }

    private static String sha256(String text) throws Exception {
        byte[] hash =
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return "sha256-" + Base64.getEncoder().encodeToString(hash);
    }
}
