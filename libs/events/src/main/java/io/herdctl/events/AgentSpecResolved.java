package io.herdctl.events;

import java.time.Instant;

/**
 * Value of {@link Topics#AGENTS}, keyed by {@code spec.qualifiedName}. A removed
 * agent is a tombstone (null value) under its key.
 */
public record AgentSpecResolved(String eventId, Instant time, int schemaVersion, String revision, AgentSpec spec) {

    public static final int SCHEMA_VERSION = 1;

    public AgentSpecResolved {
        Required.field(eventId, "eventId");
        Required.field(time, "time");
        Required.version(schemaVersion, SCHEMA_VERSION, "AgentSpecResolved");
        Required.field(spec, "spec");
    }

    public static AgentSpecResolved of(String revision, AgentSpec spec) {
        return new AgentSpecResolved(EventIds.random(), Instant.now(), SCHEMA_VERSION, revision, spec);
    }
}
