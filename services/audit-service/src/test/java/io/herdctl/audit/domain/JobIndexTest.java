package io.herdctl.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.JobStatus;

class JobIndexTest {

    static final Instant T = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path dir;

    static Map<String, Object> meta(String id, String agent, String status, int hour, Integer seconds, Double cost) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("agent", agent);
        m.put("schedule", null);
        m.put("trigger_type", "manual");
        m.put("status", status);
        m.put("started_at", T.plusSeconds(3600L * hour).toString());
        m.put("duration_seconds", seconds);
        m.put("prompt", "p".repeat(300));
        if (cost != null) {
            m.put("usage", Map.of("total_cost_usd", cost));
        }
        return m;
    }

    static JobIndex.Query q(String agent, Set<JobStatus> statuses, JobIndex.Sort sort, boolean desc, int limit, int offset) {
        return new JobIndex.Query(agent, statuses, null, null, null, sort, desc, limit, offset);
    }

    static List<String> ids(JobIndex.Page page) {
        return page.rows().stream().map(JobIndex.Row::id).toList();
    }

    JobIndex index() {
        JobIndex index = new JobIndex(dir);
        index.put(meta("job-2026-11-01-aaaaa1", "a", "completed", 1, 30, 0.5));
        index.put(meta("job-2026-11-01-aaaaa2", "b", "failed", 2, 10, 0.1));
        index.put(meta("job-2026-11-01-aaaaa3", "a", "running", 3, null, null));
        index.put(meta("job-2026-11-01-aaaaa4", "a", "completed", 4, 20, 0.3));
        return index;
    }

    @Test
    void listsNewestFirstFiltersAndPages() {
        JobIndex index = index();
        assertEquals(List.of("job-2026-11-01-aaaaa4", "job-2026-11-01-aaaaa3", "job-2026-11-01-aaaaa2",
                "job-2026-11-01-aaaaa1"), ids(index.query(q(null, null, JobIndex.Sort.STARTED_AT, true, 50, 0))));
        JobIndex.Page page = index.query(q("a", null, JobIndex.Sort.STARTED_AT, true, 1, 1));
        assertEquals(List.of("job-2026-11-01-aaaaa3"), ids(page));
        assertEquals(3, page.total());
        assertEquals(List.of("job-2026-11-01-aaaaa1", "job-2026-11-01-aaaaa4"),
                ids(index.query(q("a", Set.of(JobStatus.COMPLETED), JobIndex.Sort.STARTED_AT, false, 50, 0))));
        assertEquals(List.of(), ids(index.query(q("a", null, JobIndex.Sort.STARTED_AT, true, 10, 10))));
        assertEquals(3, index.query(q("a", null, JobIndex.Sort.STARTED_AT, true, 10, 10)).total());
    }

    @Test
    void sortsByDurationAndCostWithUnknownsFirstAscending() {
        JobIndex index = index();
        assertEquals(List.of("job-2026-11-01-aaaaa1", "job-2026-11-01-aaaaa4", "job-2026-11-01-aaaaa2",
                "job-2026-11-01-aaaaa3"), ids(index.query(q(null, null, JobIndex.Sort.DURATION, true, 50, 0))));
        assertEquals(List.of("job-2026-11-01-aaaaa3", "job-2026-11-01-aaaaa2"),
                ids(index.query(q(null, null, JobIndex.Sort.COST, false, 2, 0))));
        assertEquals(List.of("job-2026-11-01-aaaaa4"), ids(index.query(q(null, null, JobIndex.Sort.COST, false, 1, 2))));
    }

    @Test
    void anUpdateMovesTheRowAndTheTimeWindowFilters() {
        JobIndex index = index();
        index.put(meta("job-2026-11-01-aaaaa1", "a", "completed", 9, 30, 0.5)); // started later after all
        assertEquals("job-2026-11-01-aaaaa1", ids(index.query(q(null, null, JobIndex.Sort.STARTED_AT, true, 1, 0))).get(0));
        assertEquals(4, index.size());
        JobIndex.Page window = index.query(new JobIndex.Query(null, null, null, T.plusSeconds(3600L * 2),
                T.plusSeconds(3600L * 4), JobIndex.Sort.STARTED_AT, true, 50, 0));
        assertEquals(List.of("job-2026-11-01-aaaaa3", "job-2026-11-01-aaaaa2"), ids(window));
        assertEquals(200, index.get("job-2026-11-01-aaaaa2").promptHead().length(), "the list keeps the prompt's head");
        index.remove("job-2026-11-01-aaaaa2");
        assertNull(index.get("job-2026-11-01-aaaaa2"));
        assertEquals(3, index.query(q(null, null, JobIndex.Sort.STARTED_AT, true, 50, 0)).total());
    }

    @Test
    void anAgentAndAWindowTogetherAndAnEmptyWindow() {
        JobIndex index = index();
        JobIndex.Page page = index.query(new JobIndex.Query("a", null, null, T.plusSeconds(3600), T.plusSeconds(3600L * 4),
                JobIndex.Sort.DURATION, true, 50, 0));
        assertEquals(List.of("job-2026-11-01-aaaaa1", "job-2026-11-01-aaaaa3"), ids(page), "hour 4 is outside [1, 4)");
        assertEquals(0, index.query(new JobIndex.Query(null, null, null, T.plusSeconds(7200), T.plusSeconds(3600),
                JobIndex.Sort.STARTED_AT, true, 50, 0)).total());
        assertEquals(0, index.query(q("nobody", null, JobIndex.Sort.STARTED_AT, true, 50, 0)).total());
    }

    @Test
    void rebuildsFromTheYamlFilesAndLeavesOutWhatItCannotRead() throws IOException {
        Files.writeString(dir.resolve("job-2026-11-01-bbbbb1.yaml"), """
                id: job-2026-11-01-bbbbb1
                agent: coder
                schedule: nightly
                trigger_type: schedule
                status: completed
                exit_reason: success
                started_at: 2026-11-01T02:00:00Z
                finished_at: 2026-11-01T02:00:42Z
                duration_seconds: 42
                prompt: Tidy up
                usage:
                  total_cost_usd: 0.0123
                output_lines: 17
                """);
        Files.writeString(dir.resolve("job-2026-11-01-bbbbb2.yaml"), "id: [not: closed\n");
        Files.writeString(dir.resolve("job-2026-11-01-bbbbb3.yaml"), "id: job-2026-11-01-zzzzz9\nagent: x\n"
                + "status: running\nstarted_at: 2026-11-01T02:00:00Z\n");
        Files.writeString(dir.resolve("notes.yaml"), "id: nothing\n");
        JobIndex index = new JobIndex(dir);
        assertEquals(1, index.rebuild(), "a broken file and one whose id is not its name are left out");
        JobIndex.Row row = index.get("job-2026-11-01-bbbbb1");
        assertEquals("coder", row.agent());
        assertEquals(JobStatus.COMPLETED, row.status());
        assertEquals(42L, row.durationSeconds());
        assertEquals(0.0123, row.costUsd());
        assertEquals(17L, row.outputLines());
        assertEquals("schedule", row.triggerType());
    }
}
