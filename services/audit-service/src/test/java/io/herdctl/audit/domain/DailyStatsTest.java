package io.herdctl.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.Severity;

class DailyStatsTest {

    static final LocalDate FIRST = LocalDate.parse("2026-11-27");
    static final LocalDate LAST = LocalDate.parse("2026-11-29");

    @TempDir
    Path dir;

    static Map<String, Object> job(String id, String agent, String status, String started, Integer seconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("agent", agent);
        m.put("status", status);
        m.put("started_at", started);
        m.put("duration_seconds", seconds);
        return m;
    }

    static void alert(AlertStore alerts, String id, String time) {
        AuditAlertRaised a = new AuditAlertRaised(id, Instant.parse(time), 1, "job-2026-11-27-aaaaa1", "a", 1,
                "permission-denied", "t", Severity.MEDIUM, "e", null);
        alerts.add(a, OcsfFinding.json(a, null));
    }

    @Test
    void countsEachJobAndAlertOnItsUtcDayAndNothingOutsideTheWindow() {
        JobIndex index = new JobIndex(dir);
        index.put(job("job-2026-11-26-before", "a", "completed", "2026-11-26T23:59:59Z", 1));
        index.put(job("job-2026-11-27-first1", "a", "completed", "2026-11-27T00:00:00Z", 1));
        index.put(job("job-2026-11-29-last01", "a", "failed", "2026-11-29T23:59:59.999Z", 1));
        index.put(job("job-2026-11-30-after1", "a", "completed", "2026-11-30T00:00:00Z", 1));
        AlertStore alerts = new AlertStore(dir.resolve("alerts"));
        alert(alerts, "before", "2026-11-26T23:59:59Z");
        alert(alerts, "midnight", "2026-11-28T00:00:00Z");
        alert(alerts, "after", "2026-11-30T00:00:00Z");

        DailyStats stats = DailyStats.of(index, alerts, FIRST, LAST);

        assertEquals(List.of(FIRST, FIRST.plusDays(1), LAST), stats.days());
        assertEquals(List.of(1, 0, 0), stats.jobsPerDay().stream().map(d -> d.counts().get("completed")).toList());
        assertEquals(List.of(0, 0, 1), stats.jobsPerDay().stream().map(d -> d.counts().get("failed")).toList());
        assertEquals(2, stats.agents().get(0).jobs());
        assertEquals(List.of(0, 1, 0), stats.alertsPerDay().stream().map(d -> d.counts().get("permission-denied"))
                .toList());
        assertEquals(List.of(new DailyStats.RuleStats("permission-denied", Severity.MEDIUM, 1)), stats.rules());
    }

    @Test
    void durationsAreNearestRankPercentilesOfTheFinishedJobs() {
        JobIndex index = new JobIndex(dir);
        for (int i = 1; i <= 20; i++) {
            index.put(job(String.format("job-2026-11-28-dur%03d", i), "a", "completed", "2026-11-28T10:00:" + (10 + i)
                    + "Z", i * 10));
        }
        index.put(job("job-2026-11-28-run001", "a", "running", "2026-11-28T11:00:00Z", null));

        DailyStats.AgentStats a = DailyStats.of(index, new AlertStore(dir.resolve("alerts")), FIRST, LAST).agents()
                .get(0);

        assertEquals(new DailyStats.AgentStats("a", 21, 20, 100L, 190L, 200L, 0.0), a);
    }
}
