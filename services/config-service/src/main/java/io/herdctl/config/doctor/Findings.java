package io.herdctl.config.doctor;

import java.util.ArrayList;
import java.util.List;

import io.herdctl.config.fleet.FieldOrigin;

/** What the checks of one run found, in the order they found it. */
final class Findings {

    private final List<Finding> found = new ArrayList<>();

    void agent(String id, Severity severity, AgentView agent, FieldOrigin where, String message, String fix) {
        found.add(Finding.at(id, severity, agent.name(), where, message, fix));
    }

    void fleet(String id, Severity severity, FieldOrigin where, String message, String fix) {
        found.add(Finding.at(id, severity, null, where, message, fix));
    }

    /** A fleet-level finding about a whole file, such as {@code .env}. */
    void file(String id, Severity severity, String file, String message, String fix) {
        found.add(new Finding(id, severity, null, file, null, null, null, message, fix));
    }

    int size() {
        return found.size();
    }

    List<Finding> all() {
        return List.copyOf(found);
    }
}
