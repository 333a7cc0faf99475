package io.herdctl.runner.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineSplitterTest {

    @Test
    void joinsChunksSplitInsideLinesAndCharacters() {
        List<String> lines = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(1024, lines::add);
        byte[] all = "één\r\ntwo\nthr€e".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < all.length; i++) {
            splitter.accept(Arrays.copyOfRange(all, i, i + 1));
        }
        splitter.finish();
        assertEquals(List.of("één", "two", "thr€e"), lines);
    }

    @Test
    void cutsOverlongLinesInsteadOfBufferingWithoutBound() {
        List<String> lines = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(4, lines::add);
        splitter.accept("abcdefghij\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("abcd", "efgh", "ij"), lines);
    }
}
