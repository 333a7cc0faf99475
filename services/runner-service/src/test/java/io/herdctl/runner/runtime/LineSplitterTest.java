package io.herdctl.runner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineSplitterTest {

    private final List<String> lines = new ArrayList<>();

    @Test
    void joinsChunksSplitInsideLinesAndCharacters() {
        LineSplitter splitter = new LineSplitter(1024, (text, continues) -> lines.add(text + (continues ? "+" : "")));
        byte[] all = "één\r\ntwo\nthr€e".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < all.length; i++) {
            splitter.accept(Arrays.copyOfRange(all, i, i + 1));
        }
        splitter.finish();
        assertEquals(List.of("één", "two", "thr€e"), lines);
    }

    @Test
    void cutsOverlongLinesIntoMarkedPieces() {
        LineSplitter splitter = new LineSplitter(4, (text, continues) -> lines.add(text + (continues ? "+" : "")));
        splitter.accept("abcdefghij\nk\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("abcd+", "efgh+", "ij", "k"), lines);
    }

    @Test
    void neverCutsACharacterInTwo() {
        LineSplitter splitter = new LineSplitter(4, (text, continues) -> lines.add(text));
        splitter.accept("a€€b\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("a€€b", String.join("", lines));
        assertTrue(lines.stream().noneMatch(l -> l.contains("\uFFFD")), lines.toString());
    }

    @Test
    void aTwoMegabyteLineArrivesInPiecesOfAtMostTheLimit() {
        LineSplitter splitter = new LineSplitter((text, continues) -> lines.add(text));
        byte[] big = new byte[2 * LineSplitter.MAX_LINE_BYTES + 10];
        Arrays.fill(big, (byte) 'x');
        splitter.accept(big);
        splitter.finish();
        assertEquals(3, lines.size());
        assertTrue(lines.stream().allMatch(l -> l.length() <= LineSplitter.MAX_LINE_BYTES));
        assertEquals(big.length, lines.stream().mapToInt(String::length).sum());
    }
}
