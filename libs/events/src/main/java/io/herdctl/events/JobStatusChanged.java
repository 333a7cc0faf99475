package io.herdctl.events;

import java.time.Instant;

/**
 * Value of {@link Topics#JOB_STATUS}, keyed by job id: one job moved to
 * {@code status}. Terminal events carry the outcome (exit reason and code,
 * duration, usage, session id, summary, error).
 */
public record JobStatusChanged(
        String eventId,
        Instant time,
        int schemaVersion,
        String jobId,
        String agent,
        String schedule,
        TriggerType triggerType,
        JobStatus status,
        ExitReason exitReason,
        Integer exitCode,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        String containerId,
        String runnerId,
        String sessionId,
        String summary,
        JobUsage usage,
        String error) {

    public static final int SCHEMA_VERSION = 1;

    public JobStatusChanged {
        Required.field(eventId, "eventId");
        Required.field(time, "time");
        Required.version(schemaVersion, SCHEMA_VERSION, "JobStatusChanged");
        Required.field(jobId, "jobId");
        Required.field(agent, "agent");
        Required.field(status, "status");
    }
}
