package dev.selfdistill.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FigureTest {
    private static final byte[] PNG =
            Charts.lineChart("c", "x", "y", Map.of("a", new double[][] {{0, 1}, {0, 1}}));

    @Test
    void rejectsUnsafeFileNames() {
        String[] names = {"../x.png", "a/b.png", ".hidden.png", "x.jpg", "a b.png", ".png"};
        for (String name : names) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new Figure(name, "t", "alt", PNG, ""),
                    name);
        }
    }

    @Test
    void rejectsBlankAltText() {
        assertThrows(IllegalArgumentException.class, () -> new Figure("a.png", "t", " ", PNG, ""));
    }

    @Test
    void rejectsBytesThatAreNotPng() {
        byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0, 0, 0, 0, 0, 0, 0};
        assertThrows(
                IllegalArgumentException.class, () -> new Figure("a.png", "t", "alt", jpeg, ""));
    }

    @Test
    void copiesImageBytes() {
        byte[] bytes = PNG.clone();
        Figure figure = new Figure("a.png", "t", "alt", bytes, "");
        bytes[20] ^= 1;

        assertArrayEquals(PNG, figure.png());
        assertNotSame(figure.png(), figure.png());
    }
}
