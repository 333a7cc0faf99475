package io.herdctl.events;

import java.time.Instant;

/**
 * Value of {@link Topics#JOB_CONTROL}, keyed by job id: someone asked for a job
 * to stop. Every runner reads every request; the one holding the job kills its
 * container or process, and a runner that takes the job later refuses to start
 * it. {@code requestedBy} says who asked (a user from the proxy, "api", ...).
 */
public record JobCancelRequested(
        String eventId,
        Instant time,
        int schemaVersion,
        String jobId,
        String requestedBy,
        String reason) {

    public static final int SCHEMA_VERSION = 1;

    public JobCancelRequested {
        Required.field(eventId, "eventId");
        Required.field(time, "time");
        Required.version(schemaVersion, SCHEMA_VERSION, "JobCancelRequested");
        Required.field(jobId, "jobId");
        if (!JobIds.isValid(jobId)) {
            throw new IllegalArgumentException("jobId '" + jobId + "': " + JobIds.FORMAT_MESSAGE);
        }
    }
}
