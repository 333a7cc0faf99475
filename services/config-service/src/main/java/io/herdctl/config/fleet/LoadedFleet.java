package io.herdctl.config.fleet;

import java.nio.file.Path;
import java.util.List;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.ConfigProblem;

/**
 * The outcome of one load. {@code agents} is empty when the revision was
 * rejected: a fleet with any error is never partly applied.
 */
public record LoadedFleet(String name, String revision, Path configFile, List<AgentSpec> agents,
        List<ConfigProblem> errors, List<ConfigProblem> warnings) {

    public boolean accepted() {
        return errors.isEmpty();
    }
}
