package io.herdctl.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.OutputStream;

class JobLogWriterTest {

    static final String JOB = "job-2026-02-03-abc123";
    static final Instant T = Instant.parse("2026-02-03T04:05:06.789Z");

    @TempDir
    Path dir;

    static JobOutputEmitted line(String job, long seq, String type, Map<String, Object> entry) {
        return new JobOutputEmitted("e" + seq, T, 1, job, "agent", seq, OutputStream.STDOUT, type, "raw " + seq, false, entry);
    }

    static List<Long> seqs(List<JobLogWriter.Line> lines) {
        return lines.stream().map(JobLogWriter.Line::seq).toList();
    }

    static List<String> texts(List<JobLogWriter.Line> lines) {
        return lines.stream().map(JobLogWriter.Line::text).toList();
    }

    @Test
    void writesHerdctlLinesOncePerSequenceNumberAcrossRestartsAndReturnsThemAsWritten() throws IOException {
        JobLogWriter writer = new JobLogWriter(dir);
        List<JobLogWriter.Line> one = writer.append(line(JOB, 1, "system", Map.of("type", "system", "content", "hi")));
        List<JobLogWriter.Line> two = writer.append(line(JOB, 2, "assistant",
                Map.of("type", "assistant", "content", "yo")));
        assertEquals(List.of(), writer.append(line(JOB, 2, "assistant", Map.of("type", "assistant", "content", "yo"))),
                "a line written already is not written again");

        JobLogWriter restarted = new JobLogWriter(dir);
        assertEquals(2, restarted.lastWritten(JOB));
        assertEquals(List.of(), restarted.append(line(JOB, 1, "system", Map.of())));
        List<JobLogWriter.Line> three = restarted.append(line(JOB, 3, "tool_result",
                Map.of("type", "tool_result", "success", true)));

        List<String> file = Files.readAllLines(dir.resolve(JOB + ".jsonl"));
        assertEquals(List.of(
                "{\"type\":\"system\",\"content\":\"hi\",\"timestamp\":\"2026-02-03T04:05:06.789Z\"}",
                "{\"type\":\"assistant\",\"content\":\"yo\",\"timestamp\":\"2026-02-03T04:05:06.789Z\"}",
                "{\"type\":\"tool_result\",\"success\":true,\"timestamp\":\"2026-02-03T04:05:06.789Z\"}"), file);
        assertEquals(List.of(new JobLogWriter.Line(1, file.get(0))), one);
        assertEquals(List.of(new JobLogWriter.Line(2, file.get(1))), two);
        assertEquals(List.of(new JobLogWriter.Line(3, file.get(2))), three);
    }

    @Test
    void marksMissingLinesInsteadOfClosingTheGap() throws IOException {
        JobLogWriter writer = new JobLogWriter(dir);
        writer.append(line(JOB, 1, "system", Map.of()));
        List<JobLogWriter.Line> appended = writer.append(line(JOB, 4, "assistant", Map.of("content", "late")));
        List<String> lines = Files.readAllLines(dir.resolve(JOB + ".jsonl"));
        assertEquals(4, lines.size(), "line n is always sequence number n");
        assertEquals(List.of(2L, 3L, 4L), seqs(appended), "two gap markers, then the line");
        assertEquals(lines.subList(1, 4), texts(appended));
        assertTrue(lines.get(1).contains("\"code\":\"OUTPUT_GAP\"") && lines.get(1).contains("output line 2"), lines.get(1));
        assertTrue(lines.get(3).contains("late"));
    }

    @Test
    void refusesJobIdsThatAreNotHerdctlIds() {
        JobLogWriter writer = new JobLogWriter(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> writer.fileOf("../../etc/cron.d/x"));
        assertTrue(e.getMessage().contains("job-YYYY-MM-DD"), e.getMessage());
    }

    @Test
    void aLastLineCutShortByACrashIsTrimmedAndWrittenAgain() throws IOException {
        JobLogWriter writer = new JobLogWriter(dir);
        writer.append(line(JOB, 1, "system", Map.of("type", "system", "content", "one")));
        Files.writeString(dir.resolve(JOB + ".jsonl"), "{\"type\":\"assistant\",\"con",
                java.nio.file.StandardOpenOption.APPEND);
        JobLogWriter restarted = new JobLogWriter(dir);
        assertEquals(1, restarted.lastWritten(JOB));
        restarted.append(line(JOB, 2, "assistant", Map.of("type", "assistant", "content", "two")));
        List<String> lines = Files.readAllLines(dir.resolve(JOB + ".jsonl"));
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith("{\"type\":\"assistant\",\"content\":\"two\""), lines.get(1));
    }

    @Test
    void gapsAreMarkedKnownAfterARestartAndFilledByTheLateLine() throws IOException {
        JobLogWriter writer = new JobLogWriter(dir);
        writer.append(line(JOB, 1, "system", Map.of("type", "system", "content", "one")));
        assertEquals(List.of(2L, 3L, 4L), seqs(writer.append(line(JOB, 4, "system",
                Map.of("type", "system", "content", "four")))));
        List<JobLogWriter.Line> tail = writer.markMissing(JOB, 6, T);
        assertEquals(List.of(5L, 6L), seqs(tail), "the tail the job said it wrote");
        assertEquals(List.of(), writer.markMissing(JOB, 6, T));
        assertEquals(6, writer.lastWritten(JOB));
        assertEquals(Files.readAllLines(dir.resolve(JOB + ".jsonl")).subList(4, 6), texts(tail));

        JobLogWriter restarted = new JobLogWriter(dir);
        assertTrue(restarted.isGap(JOB, 2) && restarted.isGap(JOB, 3) && restarted.isGap(JOB, 6));
        assertFalse(restarted.isGap(JOB, 4));
        List<JobLogWriter.Line> filled = restarted.fill(line(JOB, 3, "assistant",
                Map.of("type", "assistant", "content", "three")));
        assertEquals(List.of(), restarted.fill(line(JOB, 4, "assistant",
                Map.of("type", "assistant", "content", "not four"))), "a real line is never replaced");
        List<String> lines = Files.readAllLines(dir.resolve(JOB + ".jsonl"));
        assertEquals(6, lines.size());
        assertEquals(List.of(new JobLogWriter.Line(3, lines.get(2))), filled);
        assertTrue(lines.get(1).contains("\"code\":\"OUTPUT_GAP\""));
        assertTrue(lines.get(2).contains("\"content\":\"three\""));
        assertTrue(lines.get(3).contains("\"content\":\"four\""));
        assertEquals(List.of(lines.get(2), lines.get(3)), restarted.read(JOB, 3, 2));
        assertFalse(restarted.isGap(JOB, 3));
    }

    @Test
    void outputThatQuotesTheGapCodeIsNotTakenForAGap() throws IOException {
        JobLogWriter writer = new JobLogWriter(dir);
        writer.append(line(JOB, 1, "assistant", Map.of("type", "assistant", "content", "\"code\":\"OUTPUT_GAP\"")));
        assertFalse(new JobLogWriter(dir).isGap(JOB, 1));
    }
}
