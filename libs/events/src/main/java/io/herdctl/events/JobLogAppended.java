package io.herdctl.events;

import java.time.Instant;

/**
 * Value of {@link Topics#JOB_LOG}, keyed by job id: line {@code seq} of a job's
 * log as audit-service wrote it to {@code .herdctl/jobs/<jobId>.jsonl}. {@code line}
 * is that file line exactly (herdctl's entry with its {@code timestamp}, secrets
 * masked; an {@code OUTPUT_GAP} error entry for a line that never arrived). The
 * same sequence number is published again when a late line replaces its gap
 * marker; the newer record wins.
 */
public record JobLogAppended(
        Instant time,
        int schemaVersion,
        String jobId,
        long seq,
        String line) {

    public static final int SCHEMA_VERSION = 1;

    public JobLogAppended {
        Required.field(time, "time");
        Required.version(schemaVersion, SCHEMA_VERSION, "JobLogAppended");
        Required.field(jobId, "jobId");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be 1 or more, was " + seq);
        }
        Required.field(line, "line");
    }

    public JobLogAppended(String jobId, long seq, String line) {
        this(Instant.now(), SCHEMA_VERSION, jobId, seq, line);
    }
}
