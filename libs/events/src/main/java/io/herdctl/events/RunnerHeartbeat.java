package io.herdctl.events;

import java.time.Instant;
import java.util.List;

/**
 * Value of {@link Topics#RUNNERS}, keyed by runner id: a runner is alive and
 * what it holds. Sent every few seconds; a runner whose heartbeats stop is
 * presumed lost, and the jobs it held end as failed ("runner lost") by another
 * runner. {@code state} is {@code up}, {@code draining} (shutting down, takes no
 * new jobs) or {@code stopped} (clean exit, holds nothing).
 */
public record RunnerHeartbeat(
        String eventId,
        Instant time,
        int schemaVersion,
        String runnerId,
        String state,
        int capacity,
        boolean engineUp,
        List<String> jobs,
        long intervalMillis) {

    public static final int SCHEMA_VERSION = 1;
    public static final String UP = "up";
    public static final String DRAINING = "draining";
    public static final String STOPPED = "stopped";

    public RunnerHeartbeat {
        Required.field(eventId, "eventId");
        Required.field(time, "time");
        Required.version(schemaVersion, SCHEMA_VERSION, "RunnerHeartbeat");
        Required.field(runnerId, "runnerId");
        Required.field(state, "state");
        jobs = jobs == null ? List.of() : List.copyOf(jobs);
    }
}
