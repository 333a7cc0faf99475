package io.herdctl.events;

import java.time.Instant;

/**
 * Value of {@link Topics#JOB_REQUESTS}, keyed by agent. Carries the agent spec as
 * it stood when the job was requested, so what runs is exactly what was asked
 * for even if the fleet changes meanwhile. {@code slot} is the schedule slot a
 * scheduled job fills (null for manual triggers). {@code resume} asks the
 * runner to continue a Claude session: {@link #RESUME_LAST} for the agent's
 * latest session, or a session id; null starts a fresh session.
 */
public record JobRequested(
        String eventId,
        Instant time,
        int schemaVersion,
        String jobId,
        String agent,
        String schedule,
        TriggerType triggerType,
        String prompt,
        Instant slot,
        AgentSpec spec,
        String resume) {

    public static final int SCHEMA_VERSION = 1;
    /** {@code resume} value: continue the agent's most recent session if it has not expired. */
    public static final String RESUME_LAST = "last";

    public JobRequested {
        Required.field(eventId, "eventId");
        Required.field(time, "time");
        Required.version(schemaVersion, SCHEMA_VERSION, "JobRequested");
        Required.field(jobId, "jobId");
        if (!JobIds.isValid(jobId)) {
            throw new IllegalArgumentException("jobId '" + jobId + "': " + JobIds.FORMAT_MESSAGE);
        }
        Required.field(agent, "agent");
        Required.field(triggerType, "triggerType");
        Required.field(prompt, "prompt");
        Required.field(spec, "spec");
    }
}
