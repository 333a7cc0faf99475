package io.herdctl.scheduler.domain;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.herdctl.events.AgentSpec;

/** The agents as the agents topic says they are now, by qualified name. */
@ApplicationScoped
public class AgentDirectory {

    private final Map<String, AgentSpec> agents = new ConcurrentHashMap<>();

    public void put(AgentSpec spec) {
        agents.put(spec.qualifiedName(), spec);
    }

    public void remove(String qualifiedName) {
        agents.remove(qualifiedName);
    }

    public Optional<AgentSpec> find(String qualifiedName) {
        return Optional.ofNullable(agents.get(qualifiedName));
    }

    public Collection<AgentSpec> all() {
        return agents.values();
    }
}
