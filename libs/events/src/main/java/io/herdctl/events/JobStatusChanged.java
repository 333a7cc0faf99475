package io.herdctl.events;

import java.time.Instant;

/**
 * Value of {@link Topics#JOB_STATUS}, keyed by job id: one job moved to
 * {@code status}. Terminal events carry the outcome (exit reason and code,
 * duration, usage, session id, summary, error) and, when the runner knows it,
 * {@code outputLines}: how many output lines the job emitted, so the audit log
 * can tell a complete record from one whose last lines never arrived.
 * {@code address} is the job container's IP address on its network, when the runner
 * knows it (the {@code running} event of a container job): the egress proxy logs
 * requests by that address, so audit-service can tell which job a denial belongs to.
 * {@code workspace}, on a terminal event of a job whose working directory is a git
 * repository, is what the job changed there (see {@link WorkspaceChanges}).
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
        String error,
        Long outputLines,
        String address,
        WorkspaceChanges workspace) {

    public static final int SCHEMA_VERSION = 1;

    public JobStatusChanged {
        Required.field(eventId, "eventId");
        Required.field(time, "time");
        Required.version(schemaVersion, SCHEMA_VERSION, "JobStatusChanged");
        Required.field(jobId, "jobId");
        Required.field(agent, "agent");
        Required.field(status, "status");
    }

    /** A status without workspace changes. */
    public JobStatusChanged(String eventId, Instant time, int schemaVersion, String jobId, String agent, String schedule,
            TriggerType triggerType, JobStatus status, ExitReason exitReason, Integer exitCode, Instant startedAt,
            Instant finishedAt, Long durationMs, String containerId, String runnerId, String sessionId, String summary,
            JobUsage usage, String error, Long outputLines, String address) {
        this(eventId, time, schemaVersion, jobId, agent, schedule, triggerType, status, exitReason, exitCode, startedAt,
                finishedAt, durationMs, containerId, runnerId, sessionId, summary, usage, error, outputLines, address, null);
    }

    /** The same status with the job's workspace changes. */
    public JobStatusChanged withWorkspace(WorkspaceChanges changes) {
        return new JobStatusChanged(eventId, time, schemaVersion, jobId, agent, schedule, triggerType, status, exitReason,
                exitCode, startedAt, finishedAt, durationMs, containerId, runnerId, sessionId, summary, usage, error,
                outputLines, address, changes);
    }

    /** A status without a container address. */
    public JobStatusChanged(String eventId, Instant time, int schemaVersion, String jobId, String agent, String schedule,
            TriggerType triggerType, JobStatus status, ExitReason exitReason, Integer exitCode, Instant startedAt,
            Instant finishedAt, Long durationMs, String containerId, String runnerId, String sessionId, String summary,
            JobUsage usage, String error, Long outputLines) {
        this(eventId, time, schemaVersion, jobId, agent, schedule, triggerType, status, exitReason, exitCode, startedAt,
                finishedAt, durationMs, containerId, runnerId, sessionId, summary, usage, error, outputLines, null, null);
    }

    /** A status without a line count (not terminal, or the count is unknown). */
    public JobStatusChanged(String eventId, Instant time, int schemaVersion, String jobId, String agent, String schedule,
            TriggerType triggerType, JobStatus status, ExitReason exitReason, Integer exitCode, Instant startedAt,
            Instant finishedAt, Long durationMs, String containerId, String runnerId, String sessionId, String summary,
            JobUsage usage, String error) {
        this(eventId, time, schemaVersion, jobId, agent, schedule, triggerType, status, exitReason, exitCode, startedAt,
                finishedAt, durationMs, containerId, runnerId, sessionId, summary, usage, error, null, null, null);
    }
}
