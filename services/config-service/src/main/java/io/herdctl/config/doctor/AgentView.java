package io.herdctl.config.doctor;

import java.util.Optional;

import io.herdctl.config.fleet.FieldOrigin;
import io.herdctl.config.fleet.FleetOrigins;
import io.herdctl.events.AgentSpec;

/** One agent as the checks see it: its resolved spec and where each of its fields was written. */
record AgentView(AgentSpec spec, FleetOrigins origins) {

    static final String BYPASS = "bypassPermissions";

    String name() {
        return spec.qualifiedName();
    }

    AgentSpec.DockerSpec docker() {
        return spec.docker();
    }

    boolean inDocker() {
        return spec.docker().enabled();
    }

    boolean bypassesPermissions() {
        return BYPASS.equals(spec.permissionMode());
    }

    /** Where the field is written, if the fleet writes it at all. */
    Optional<FieldOrigin> written(String... keys) {
        return origins.agent(name(), keys);
    }

    /** Where the field is written, else where it would be written. */
    FieldOrigin at(String... keys) {
        return origins.agentOrWhereToSet(name(), keys);
    }
}
