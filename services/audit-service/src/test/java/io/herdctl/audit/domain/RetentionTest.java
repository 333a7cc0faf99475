package io.herdctl.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.Severity;

class RetentionTest {

    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    @TempDir
    Path state;

    JobIndex index;
    AlertStore alerts;
    JobLogWriter logs;
    JobMetadataWriter metadata;

    @BeforeEach
    void record() throws IOException {
        Path jobs = state.resolve("jobs");
        index = new JobIndex(jobs);
        alerts = new AlertStore(state.resolve("alerts"));
        logs = new JobLogWriter(jobs);
        metadata = new JobMetadataWriter(jobs, s -> s, index::put);
        // days ago, status, log size
        job("job-2026-10-01-old001", 59, "completed", 4000);
        job("job-2026-10-20-old002", 40, "failed", 3000);
        job("job-2026-10-21-run003", 39, "running", 2000);
        job("job-2026-11-28-new004", 1, "completed", 1000);
        AuditAlertRaised a = new AuditAlertRaised("a1", NOW, 1, "job-2026-10-01-old001", "x", 1, "r", "t",
                Severity.HIGH, "e", NOW);
        alerts.add(a, OcsfFinding.json(a, null));
    }

    void job(String id, int daysAgo, String status, int logBytes) throws IOException {
        Files.createDirectories(state.resolve("jobs"));
        Files.writeString(logs.fileOf(id), "x".repeat(logBytes - 1) + "\n");
        Files.writeString(metadata.fileOf(id), "id: " + id + "\n");
        index.put(Map.of("id", id, "agent", "x", "status", status, "started_at",
                NOW.minus(Duration.ofDays(daysAgo)).toString()));
    }

    @Test
    void removesFinishedJobsOlderThanTheAgeButNeverARunningOne() throws IOException {
        Retention.Sweep sweep = new Retention(index, alerts, logs, metadata, Duration.ofDays(30), null).sweep(NOW);
        assertEquals(2, sweep.jobs());
        assertNull(index.get("job-2026-10-01-old001"));
        assertNull(index.get("job-2026-10-20-old002"));
        assertFalse(Files.exists(logs.fileOf("job-2026-10-01-old001")));
        assertFalse(Files.exists(metadata.fileOf("job-2026-10-01-old001")));
        assertFalse(Files.exists(alerts.fileOf("job-2026-10-01-old001")), "its alerts go with it");
        assertEquals(0, alerts.countFor("job-2026-10-01-old001"));
        assertNotNull(index.get("job-2026-10-21-run003"), "a job that has not ended stays, however old");
        assertTrue(Files.exists(logs.fileOf("job-2026-10-21-run003")));
        assertNotNull(index.get("job-2026-11-28-new004"));
    }

    @Test
    void removesTheOldestFinishedJobsUntilTheRecordFits() {
        long before = 4000 + 3000 + 2000 + 1000;
        Retention.Sweep sweep = new Retention(index, alerts, logs, metadata, null, 5_000L).sweep(NOW);
        assertEquals(2, sweep.jobs(), "the two oldest finished jobs; the running one is skipped");
        assertTrue(sweep.bytesKept() <= 5_000 && sweep.bytesKept() >= 3_000, "kept " + sweep.bytesKept());
        assertTrue(sweep.bytesFreed() >= 7_000 && sweep.bytesFreed() < before, "freed " + sweep.bytesFreed());
        assertNotNull(index.get("job-2026-10-21-run003"));
        assertNotNull(index.get("job-2026-11-28-new004"));
    }

    @Test
    void withoutLimitsNothingIsRemoved() {
        Retention off = new Retention(index, alerts, logs, metadata, null, null);
        assertFalse(off.enabled());
        assertEquals(0, off.sweep(NOW).jobs());
        assertEquals(4, index.size());
    }
}
