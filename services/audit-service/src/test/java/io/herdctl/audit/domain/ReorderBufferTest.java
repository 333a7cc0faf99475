package io.herdctl.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.OutputStream;

class ReorderBufferTest {

    static final Instant T = Instant.parse("2026-11-29T10:00:00Z");

    static JobOutputEmitted line(String job, long seq) {
        return new JobOutputEmitted("e" + seq, T, 1, job, "a", seq, OutputStream.STDOUT, "system", "{}", false, Map.of());
    }

    static List<Long> seqs(List<ReorderBuffer.Held<String>> held) {
        return held.stream().map(h -> h.line().seq()).toList();
    }

    static List<Long> seqs(ReorderBuffer.Released<String> released) {
        return seqs(released.ready());
    }

    @Test
    void releasesALineInTurnWithTheHeldLinesThatFollowIt() {
        ReorderBuffer<String> buffer = new ReorderBuffer<>(Duration.ofSeconds(5), 100);
        assertEquals(List.of(), seqs(buffer.offer(line("j", 3), "t3", 1, T)));
        assertEquals(List.of(), seqs(buffer.offer(line("j", 2), "t2", 1, T)));
        assertEquals(List.of(), seqs(buffer.offer(line("j", 5), "t5", 1, T)));
        assertEquals(3, buffer.size());
        List<ReorderBuffer.Held<String>> out = buffer.offer(line("j", 1), "t1", 1, T).ready();
        assertEquals(List.of(1L, 2L, 3L), seqs(out));
        assertEquals(List.of("t1", "t2", "t3"), out.stream().map(ReorderBuffer.Held::token).toList());
        assertEquals(1, buffer.size(), "5 still waits for 4");
        assertEquals(List.of(4L, 5L), seqs(buffer.offer(line("j", 4), "t4", 4, T)));
        assertEquals(0, buffer.size());
    }

    @Test
    void aLineBehindTheLogIsReturnedAtOnceForTheCallerToJudge() {
        ReorderBuffer<String> buffer = new ReorderBuffer<>(Duration.ofSeconds(5), 100);
        assertEquals(List.of(2L), seqs(buffer.offer(line("j", 2), "t", 7, T)));
    }

    @Test
    void heldLinesAreReleasedWhenTheWindowEndsPerJob() {
        ReorderBuffer<String> buffer = new ReorderBuffer<>(Duration.ofSeconds(5), 100);
        buffer.offer(line("a", 3), "a3", 1, T);
        buffer.offer(line("b", 9), "b9", 7, T.plusSeconds(3));
        buffer.offer(line("a", 4), "a4", 1, T.plusSeconds(4));
        assertEquals(List.of(), seqs(buffer.expired(T.plusSeconds(4))));
        assertEquals(List.of(3L, 4L), seqs(buffer.expired(T.plusSeconds(5))), "a's oldest waited 5 s");
        assertEquals(List.of(9L), seqs(buffer.expired(T.plusSeconds(8))));
        assertEquals(0, buffer.size());
    }

    @Test
    void tooManyHeldLinesAreReleasedAtOnceAndAHeldDuplicateIsOnlyAcknowledged() {
        ReorderBuffer<String> buffer = new ReorderBuffer<>(Duration.ofMinutes(5), 2);
        buffer.offer(line("j", 3), "first 3", 1, T);
        ReorderBuffer.Released<String> copy = buffer.offer(line("j", 3), "second 3", 1, T.plusSeconds(1));
        assertEquals(List.of(), copy.ready(), "nothing to write");
        assertEquals(List.of("first 3"), copy.repeats(), "the older copy is acknowledged as a repeat");
        assertEquals(1, buffer.size());
        buffer.offer(line("j", 4), "4", 1, T);
        ReorderBuffer.Released<String> flood = buffer.offer(line("j", 5), "5", 1, T);
        assertEquals(List.of(3L, 4L, 5L), seqs(flood));
        assertEquals(T, flood.ready().get(0).since(), "a copy keeps the first arrival time");
    }
}
