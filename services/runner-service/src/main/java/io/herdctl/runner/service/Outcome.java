package io.herdctl.runner.service;

import io.herdctl.events.ExitReason;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobUsage;

/** How a job ended: what its terminal status says ({@code outputLines} null when not counted). */
record Outcome(JobStatus status, ExitReason reason, Integer exitCode, String error, String sessionId, String summary,
        JobUsage usage, Long outputLines) {

    static Outcome failed(ExitReason reason, Integer exitCode, String error) {
        return new Outcome(JobStatus.FAILED, reason, exitCode, error, null, null, null, null);
    }

    static Outcome cancelled(String why) {
        return new Outcome(JobStatus.CANCELLED, ExitReason.CANCELLED, null, why, null, null, null, null);
    }
}
