package io.herdctl.events;

import java.time.Instant;

/**
 * Value of {@link Topics#ALERTS}, keyed by job id: a detection rule matched a job
 * output line. {@code eventId} is derived from job, sequence number and rule, so a
 * redelivered line raises an alert with the same id and a SIEM can drop it.
 * {@code excerpt} is the matching text, redacted and cut to a readable length.
 */
public record AuditAlertRaised(
        String eventId,
        Instant time,
        int schemaVersion,
        String jobId,
        String agent,
        long seq,
        String ruleId,
        String title,
        Severity severity,
        String excerpt,
        Instant lineTime) {

    public static final int SCHEMA_VERSION = 1;

    public AuditAlertRaised {
        Required.field(eventId, "eventId");
        Required.field(time, "time");
        Required.version(schemaVersion, SCHEMA_VERSION, "AuditAlertRaised");
        Required.field(jobId, "jobId");
        Required.field(agent, "agent");
        Required.field(ruleId, "ruleId");
        Required.field(severity, "severity");
    }
}
