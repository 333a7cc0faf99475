package io.herdctl.events;

import java.time.Instant;

/**
 * Value of {@link Topics#JOB_REQUESTS}, keyed by agent. Carries the agent spec as
 * it stood when the job was requested, so what runs is exactly what was asked
 * for even if the fleet changes meanwhile. {@code slot} is the schedule slot a
 * scheduled job fills (null for manual triggers).
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
        AgentSpec spec) {

    public static final int SCHEMA_VERSION = 1;

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
