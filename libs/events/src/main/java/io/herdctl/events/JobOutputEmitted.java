package io.herdctl.events;

import java.time.Instant;
import java.util.Map;

/**
 * Value of {@link Topics#JOB_OUTPUT}, keyed by job id: one line a job's container
 * wrote. {@code seq} counts a job's lines from 1 without gaps, across stdout and
 * stderr in arrival order. {@code type} and {@code entry} are the line as a
 * herdctl job log entry (system, assistant, tool_use, tool_result, error; without
 * the timestamp, which is {@code time}); {@code raw} is the line itself with
 * secrets redacted, cut at {@link #MAX_RAW_CHARS} ({@code truncated} says so).
 */
public record JobOutputEmitted(
        String eventId,
        Instant time,
        int schemaVersion,
        String jobId,
        String agent,
        long seq,
        OutputStream stream,
        String type,
        String raw,
        boolean truncated,
        Map<String, Object> entry) {

    public static final int SCHEMA_VERSION = 1;
    public static final int MAX_RAW_CHARS = 1024 * 1024;

    public JobOutputEmitted {
        Required.field(eventId, "eventId");
        Required.field(time, "time");
        Required.version(schemaVersion, SCHEMA_VERSION, "JobOutputEmitted");
        Required.field(jobId, "jobId");
        Required.field(agent, "agent");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be 1 or more, was " + seq);
        }
        Required.field(stream, "stream");
        Required.field(type, "type");
        Required.field(raw, "raw");
        entry = entry == null ? Map.of() : entry;
    }
}
