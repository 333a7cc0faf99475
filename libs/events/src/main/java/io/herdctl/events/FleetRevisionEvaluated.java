package io.herdctl.events;

import java.time.Instant;
import java.util.List;

/**
 * Value of {@link Topics#FLEET_REVISIONS}, keyed by fleet name: the outcome of
 * loading one revision of the fleet files. A rejected revision leaves the last
 * accepted agent specs in force; its errors say what to fix and where.
 */
public record FleetRevisionEvaluated(
        String eventId,
        Instant time,
        int schemaVersion,
        String fleet,
        String revision,
        boolean accepted,
        String configPath,
        List<String> agents,
        List<ConfigProblem> errors,
        List<ConfigProblem> warnings) {

    public static final int SCHEMA_VERSION = 1;

    public FleetRevisionEvaluated {
        Required.field(eventId, "eventId");
        Required.field(time, "time");
        Required.version(schemaVersion, SCHEMA_VERSION, "FleetRevisionEvaluated");
        Required.field(revision, "revision");
        agents = agents == null ? List.of() : List.copyOf(agents);
        errors = errors == null ? List.of() : List.copyOf(errors);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
