package dev.selfdistill.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownRendererTest {
    @Test
    void escapesInlineSyntax() {
        assertEquals("a\\_b \\*c\\* \\[d\\](e) \\<f\\> g\\|h", MarkdownRenderer.escape(
                "a_b *c* [d](e) <f> g|h"));
    }

    @Test
    void escapesLeadingBlockMarkers() {
        assertEquals("\\- item", MarkdownRenderer.escapeLine("- item"));
        assertEquals("1\\. first", MarkdownRenderer.escapeLine("1. first"));
        assertEquals("\\# title", MarkdownRenderer.escapeLine("# title"));
        assertEquals("one two", MarkdownRenderer.escapeLine("one\n\ntwo"));
        assertEquals("born-again", MarkdownRenderer.escapeLine("born-again"));
    }

    @Test
    void tableCellsKeepLinesAndPipes() {
        Block.Table table =
                new Block.Table(
                        "",
                        "",
                        List.of("Name", "Value"),
                        List.of(List.of("a|b", "1.00\n[0.90, 1.10]")),
                        List.of(1));

        String markdown = MarkdownRenderer.render(List.of(table));

        assertEquals(
                "| Name | Value |\n| --- | ---: |\n| a\\|b | 1.00<br>\\[0.90, 1.10\\] |\n",
                markdown);
    }

    @Test
    void codeFenceIsLongerThanBackticksInside() {
        String markdown =
                MarkdownRenderer.render(List.of(new Block.Code("a: \"```\"\nb: 1", "yaml")));

        assertTrue(markdown.startsWith("````yaml\n"), markdown);
        assertTrue(markdown.endsWith("\n````\n"), markdown);
    }
}
