package io.herdctl.audit.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

import io.herdctl.events.AgentSpec;
import io.herdctl.events.ExitReason;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.JobUsage;
import io.herdctl.events.TriggerType;

class JobMetadataWriterTest {

    static final String JOB = "job-2026-11-29-abc123";
    static final Instant T = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path dir;

    static JobStatusChanged status(JobStatus status, Instant at, JobUsage usage) {
        boolean end = status.isTerminal();
        return new JobStatusChanged("e-" + status + at, at, 1, JOB, "coder", "nightly", TriggerType.SCHEDULE, status,
                end ? ExitReason.SUCCESS : null, end ? 0 : null, T.plusSeconds(1), end ? at : null, null, "c1", "r1",
                end ? "sess-1" : null, end ? "All done." : null, usage, null);
    }

    @Test
    void writesHerdctlsFieldsAndNeverLeavesTheEnd() throws IOException {
        JobMetadataWriter writer = new JobMetadataWriter(dir, s -> s);
        AgentSpec spec = new AgentSpec("coder", "coder", List.of(), null, null, "/w", null, null, null, null, null,
                Map.of(), new AgentSpec.DockerSpec(true, true, "1g", 1L << 30, null, null, null, null, null, null, 5,
                        "rw", "img", "none", null, null, null, null, null), 1, null, null, null, null, null, null, null);
        writer.requested(new JobRequested("r", T, 1, JOB, "coder", "nightly", TriggerType.SCHEDULE, "Tidy up", T, spec,
                null));
        writer.status(status(JobStatus.PENDING, T, null));
        writer.status(status(JobStatus.RUNNING, T.plusSeconds(1), null));
        JobUsage usage = new JobUsage(120L, 80L, 10L, 5L, 3, 0.0123,
                Map.of("claude-x", new JobUsage.ModelUsage(120L, 80L, 10L, 5L, 0.0123)));
        writer.status(status(JobStatus.COMPLETED, T.plusSeconds(43), usage));
        writer.status(status(JobStatus.RUNNING, T.plusSeconds(2), null));

        Map<String, Object> m = writer.read(JOB);
        assertEquals(List.of("id", "agent", "schedule", "trigger_type", "status", "exit_reason", "session_id",
                "forked_from", "started_at", "finished_at", "duration_seconds", "prompt", "summary", "output_file",
                "usage"), List.copyOf(m.keySet()));
        assertEquals("completed", m.get("status"), "a late running status does not reopen the job");
        assertEquals("success", m.get("exit_reason"));
        assertEquals("schedule", m.get("trigger_type"));
        assertEquals("Tidy up", m.get("prompt"));
        assertEquals("sess-1", m.get("session_id"));
        assertEquals(42, m.get("duration_seconds"));
        assertEquals("2026-11-29T10:00:01Z", m.get("started_at"));
        assertEquals(dir.resolve(JOB + ".jsonl").toAbsolutePath().toString(), m.get("output_file"));
        String yaml = Files.readString(dir.resolve(JOB + ".yaml"));
        assertTrue(yaml.contains("per_model:\n    claude-x:\n      input_tokens: 120"), yaml);
        assertTrue(yaml.contains("total_cost_usd: 0.0123"), yaml);
    }

    @Test
    void refusesAnythingButAJobId() {
        JobMetadataWriter writer = new JobMetadataWriter(dir, s -> s);
        assertThrows(IllegalArgumentException.class, () -> writer.fileOf("../../etc/passwd"));
    }
}
