package io.herdctl.dashboard.domain;

import java.time.Instant;

import io.herdctl.events.ExitReason;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.JobUsage;
import io.herdctl.events.TriggerType;

/** A job as the dashboard knows it: the request, then the latest status. Immutable; updates return a new view. */
public record JobView(
        String jobId,
        String agent,
        String schedule,
        TriggerType triggerType,
        String prompt,
        JobStatus status,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs,
        Integer exitCode,
        ExitReason exitReason,
        String sessionId,
        String summary,
        JobUsage usage,
        String error,
        String containerId,
        String runnerId) {

    static JobView requested(JobRequested r) {
        return new JobView(r.jobId(), r.agent(), r.schedule(), r.triggerType(), r.prompt(), JobStatus.PENDING, r.time(),
                null, null, null, null, null, null, null, null, null, null, null);
    }

    /** A status event for a job whose request was not seen (it predates the topic's retention, say). */
    static JobView fromStatus(JobStatusChanged s) {
        return new JobView(s.jobId(), s.agent(), s.schedule(), s.triggerType(), null, JobStatus.PENDING,
                s.startedAt() != null ? s.startedAt() : s.time(), null, null, null, null, null, null, null, null, null,
                null, null).with(s);
    }

    JobView withRequest(JobRequested r) {
        return new JobView(jobId, agent, r.schedule(), r.triggerType(), r.prompt(), status,
                r.time().isBefore(createdAt) ? r.time() : createdAt, startedAt, finishedAt, durationMs, exitCode,
                exitReason, sessionId, summary, usage, error, containerId, runnerId);
    }

    JobView with(JobStatusChanged s) {
        if (status.isTerminal() && !s.status().isTerminal()) {
            return this; // a late "running" never reopens a finished job
        }
        return new JobView(jobId, agent, schedule != null ? schedule : s.schedule(),
                triggerType != null ? triggerType : s.triggerType(), prompt, s.status(), createdAt,
                s.startedAt() != null ? s.startedAt() : startedAt, s.finishedAt() != null ? s.finishedAt() : finishedAt,
                s.durationMs() != null ? s.durationMs() : durationMs, s.exitCode() != null ? s.exitCode() : exitCode,
                s.exitReason() != null ? s.exitReason() : exitReason, s.sessionId() != null ? s.sessionId() : sessionId,
                s.summary() != null ? s.summary() : summary, s.usage() != null ? s.usage() : usage,
                s.error() != null ? s.error() : error, s.containerId() != null ? s.containerId() : containerId,
                s.runnerId() != null ? s.runnerId() : runnerId);
    }
}
