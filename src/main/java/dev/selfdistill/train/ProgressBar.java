package dev.selfdistill.train;

import java.io.PrintStream;

/**
 * A one-line progress bar on standard error, drawn only when the program runs on a terminal so
 * that logs and CI output stay clean.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private long lastDraw;

    private ProgressBar(PrintStream out) {
        this.out = out;
    }

    static ProgressBar forTerminal() {
        return new ProgressBar(System.console() != null ? System.err : null);
    }

    void update(String label, long done, long total) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L && done < total) {
            return;
        }
        lastDraw = now;
        int filled = (int) (WIDTH * done / Math.max(1, total));
        out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total);
        out.flush();
    }

    void clear() {
        if (out != null) {
            out.print("\r" + " ".repeat(100) + "\r");
            out.flush();
        }
    }
}
