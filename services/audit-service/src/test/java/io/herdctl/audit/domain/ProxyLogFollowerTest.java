package io.herdctl.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyLogFollowerTest {

    @TempDir
    Path dir;

    Path log() {
        return dir.resolve("access.jsonl");
    }

    Path offsets() {
        return dir.resolve("state").resolve("proxy-log.offset");
    }

    ProxyLogFollower follower() {
        return new ProxyLogFollower(log(), offsets(), 100, 1000);
    }

    void append(String text) throws IOException {
        Files.writeString(log(), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static List<String> texts(List<ProxyLogFollower.Line> lines) {
        return lines.stream().map(ProxyLogFollower.Line::text).toList();
    }

    @Test
    void waitsForTheFileThenReturnsEachCompleteLineOnceWithItsOffset() throws IOException {
        try (ProxyLogFollower f = follower()) {
            assertEquals(List.of(), f.poll(), "no file yet");
            append("one\ntwo\n");
            List<ProxyLogFollower.Line> lines = f.poll();
            assertEquals(List.of("one", "two"), texts(lines));
            assertEquals(List.of(0L, 4L), lines.stream().map(ProxyLogFollower.Line::offset).toList());
            assertEquals(8, lines.get(1).next());
            assertEquals(List.of(), f.poll(), "nothing new");
            append("three\r\n");
            assertEquals(List.of("three"), texts(f.poll()), "a CR before the newline is not part of the line");
        }
    }

    @Test
    void aPartialLastLineWaitsForItsNewline() throws IOException {
        try (ProxyLogFollower f = follower()) {
            append("one\ntw");
            assertEquals(List.of("one"), texts(f.poll()));
            assertEquals(4, f.position(), "the partial line is not consumed");
            append("o");
            assertEquals(List.of(), f.poll());
            append("\nthree");
            List<ProxyLogFollower.Line> lines = f.poll();
            assertEquals(List.of("two"), texts(lines));
            assertEquals(4, lines.get(0).offset());
        }
    }

    @Test
    void aTruncatedFileIsReadAgainFromItsStart() throws IOException {
        try (ProxyLogFollower f = follower()) {
            append("first line of the old content\nsecond\n");
            assertEquals(2, f.poll().size());
            Files.writeString(log(), "new\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            long before = f.generation();
            List<ProxyLogFollower.Line> lines = f.poll();
            assertEquals(List.of("new"), texts(lines));
            assertEquals(0, lines.get(0).offset());
            assertTrue(f.generation() > before, "reading from byte 0 again is a new generation");
        }
    }

    @Test
    void aReplacedFileIsReadToItsEndThenTheNewOneFromItsStart() throws IOException {
        try (ProxyLogFollower f = follower()) {
            append("a\n");
            assertEquals(List.of("a"), texts(f.poll()));
            // logrotate's create mode: the writer still appends to the old file for a moment.
            Path rotated = dir.resolve("access.jsonl.1");
            Files.move(log(), rotated);
            Files.writeString(rotated, "b, last line of the old file\n", StandardOpenOption.APPEND);
            Files.writeString(log(), "c, first line of the new file, longer than what was read of the old one\n");
            long before = f.generation();
            assertEquals(List.of("b, last line of the old file"), texts(f.poll()));
            assertEquals(before, f.generation(), "the old file's lines come first, as their own generation");
            List<ProxyLogFollower.Line> lines = f.poll();
            assertEquals(List.of("c, first line of the new file, longer than what was read of the old one"),
                    texts(lines));
            assertEquals(0, lines.get(0).offset());
            assertTrue(f.generation() > before);
        }
    }

    @Test
    void aRestartGoesOnFromTheCommittedOffsetOfTheSameFile() throws IOException {
        append("one\ntwo\nthree\n");
        try (ProxyLogFollower f = follower()) {
            List<ProxyLogFollower.Line> lines = f.poll();
            assertEquals(3, lines.size());
            f.commit(lines.get(1).offset()); // "two" not handled yet
        }
        append("four\n");
        try (ProxyLogFollower f = follower()) {
            assertEquals(List.of("two", "three", "four"), texts(f.poll()), "nothing read again, nothing skipped");
            f.commit(f.position());
        }
        try (ProxyLogFollower f = follower()) {
            assertEquals(List.of(), f.poll());
        }
    }

    @Test
    void aRestartReadsAFileThatIsNoLongerTheCommittedOneFromItsStart() throws IOException {
        append("one\ntwo\n");
        try (ProxyLogFollower f = follower()) {
            f.poll();
            f.commit(f.position());
        }
        Files.delete(log());
        append("new one\n");
        try (ProxyLogFollower f = follower()) {
            assertEquals(List.of("new one"), texts(f.poll()), "another file under the name");
        }
        Files.writeString(offsets(), "{\"file\":\"" + log() + "\",\"fileKey\":null,\"offset\":999}\n");
        try (ProxyLogFollower f = follower()) {
            assertEquals(List.of("new one"), texts(f.poll()), "an offset past the end: truncated while stopped");
        }
        Files.writeString(offsets(), "not json");
        try (ProxyLogFollower f = follower()) {
            assertEquals(List.of("new one"), texts(f.poll()), "an unreadable offset file: from the start");
        }
    }

    @Test
    void anOverLongLineIsSkippedWhateverItsLengthAndTheNextOnesAreRead() throws IOException {
        try (ProxyLogFollower f = new ProxyLogFollower(log(), offsets(), 100, 1000)) {
            append("short\n" + "x".repeat(150) + "\nafter\n");
            assertEquals(List.of("short", "after"), texts(f.poll()), "a long line inside what was read");
            append("y".repeat(70_000));
            assertEquals(List.of(), f.poll(), "a long line still being written");
            append("y".repeat(70_000));
            assertEquals(List.of(), f.poll());
            append("yyy\nnext\n");
            List<ProxyLogFollower.Line> lines = f.poll();
            assertEquals(List.of("next"), texts(lines));
            assertEquals(Files.size(log()) - 5, lines.get(0).offset());
        }
    }

    @Test
    void aPollReturnsAtMostItsShareAndTheNextGoesOn() throws IOException {
        try (ProxyLogFollower f = new ProxyLogFollower(log(), offsets(), 100, 2)) {
            append("1\n2\n3\n4\n5\n");
            assertEquals(List.of("1", "2"), texts(f.poll()));
            assertEquals(List.of("3", "4"), texts(f.poll()));
            assertEquals(List.of("5"), texts(f.poll()));
        }
    }

    @Test
    void theOffsetFileIsReplacedAtomically() throws IOException {
        append("one\n");
        try (ProxyLogFollower f = follower()) {
            f.poll();
            f.commit(f.position());
        }
        String state = Files.readString(offsets());
        assertTrue(state.contains("\"offset\":4"), state);
        assertTrue(state.contains("\"file\":\"" + log() + "\""), state);
        try (var files = Files.list(offsets().getParent())) {
            assertEquals(List.of(offsets()), files.toList(), "no temporary file left");
        }
    }
}
