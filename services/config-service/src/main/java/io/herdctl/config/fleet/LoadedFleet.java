package io.herdctl.config.fleet;

import java.nio.file.Path;
import java.util.List;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.ConfigProblem;

/**
 * The outcome of one load. {@code agents} is empty when the revision was
 * rejected: a fleet with any error is never partly applied. {@code files} are
 * every file the load read or looked for, the ones to watch for the next change.
 */
public record LoadedFleet(String name, String revision, Path configFile, List<AgentSpec> agents,
        List<ConfigProblem> errors, List<ConfigProblem> warnings, List<Path> files) {

    public boolean accepted() {
        return errors.isEmpty();
    }
}
