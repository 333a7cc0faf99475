package io.herdctl.config.fleet;

import java.util.List;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.ConfigProblem;

/** What `herdctl config validate --json` and {@code POST /api/config/validate} answer. */
public record ValidationReport(boolean valid, List<String> agents, List<ConfigProblem> errors,
        List<ConfigProblem> warnings) {

    public static ValidationReport of(LoadedFleet fleet) {
        return new ValidationReport(fleet.accepted(), fleet.agents().stream().map(AgentSpec::qualifiedName).toList(),
                fleet.errors(), fleet.warnings());
    }
}
