package io.herdctl.config.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.ConfigProblem;

class FleetCompositionTest {

    @TempDir
    Path dir;

    private void write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private LoadedFleet load() {
        return new FleetLoader(Map.of()).load(dir);
    }

    private static List<String> messages(LoadedFleet fleet) {
        return fleet.errors().stream().map(ConfigProblem::toString).collect(Collectors.toList());
    }

    @Test
    void qualifiesNamesAndAppliesTheFiveLevelsInOrder() throws IOException {
        write("herdctl.yaml", """
                fleet: {name: root}
                defaults:
                  model: from-root-defaults
                  max_turns: 1
                  permission_mode: plan
                  docker: {memory: 4g}
                agents:
                  - path: agents/monitor.yaml
                fleets:
                  - path: project-a/herdctl.yaml
                  - path: project-b
                    name: renamed-b
                    overrides:
                      defaults:
                        model: from-fleet-overrides
                """);
        write("agents/monitor.yaml", "name: monitor\nworking_directory: ..\n");
        write("project-a/herdctl.yaml", """
                fleet: {name: project-a}
                defaults:
                  max_turns: 2
                agents:
                  - path: engineer.yaml
                  - path: auditor.yaml
                    overrides:
                      permission_mode: default
                """);
        write("project-a/engineer.yaml", "name: engineer\n");
        write("project-a/auditor.yaml", "name: security-auditor\npermission_mode: acceptEdits\ndocker: {enabled: true}\n");
        write("project-b/herdctl.yaml", """
                defaults:
                  model: from-sub-defaults
                agents:
                  - path: designer.yaml
                """);
        write("project-b/designer.yaml", "name: designer\n");

        LoadedFleet fleet = load();

        assertTrue(fleet.accepted(), () -> messages(fleet).toString());
        Map<String, AgentSpec> agents = fleet.agents().stream()
                .collect(Collectors.toMap(AgentSpec::qualifiedName, a -> a));
        assertEquals(List.of("monitor", "project-a.engineer", "project-a.security-auditor", "renamed-b.designer"),
                fleet.agents().stream().map(AgentSpec::qualifiedName).sorted().toList());
        assertEquals(List.of("project-a"), agents.get("project-a.engineer").fleetPath());
        assertEquals(2, agents.get("project-a.engineer").maxTurns(), "sub-fleet defaults beat parent defaults");
        assertEquals("from-root-defaults", agents.get("project-a.engineer").model(), "parent defaults reach sub-fleets");
        assertEquals("default", agents.get("project-a.security-auditor").permissionMode(), "per-agent overrides win");
        assertEquals("4g", agents.get("project-a.security-auditor").docker().memory());
        assertEquals("from-fleet-overrides", agents.get("renamed-b.designer").model(),
                "the parent's overrides for a sub-fleet beat the sub-fleet's own defaults");
        assertTrue(fleet.files().contains(dir.resolve("project-b/designer.yaml")));
    }

    @Test
    void reportsCyclesCollisionsAndMissingSubFleets() throws IOException {
        write("herdctl.yaml", """
                fleets:
                  - path: a/herdctl.yaml
                  - path: b/herdctl.yaml
                  - path: c/herdctl.yaml
                  - path: nowhere/herdctl.yaml
                """);
        write("a/herdctl.yaml", "fleet: {name: same}\nfleets:\n  - path: ../d/herdctl.yaml\n");
        write("d/herdctl.yaml", "fleet: {name: d}\nfleets:\n  - path: ../a/herdctl.yaml\n");
        write("b/herdctl.yaml", "fleet: {name: same}\n");
        write("c/herdctl.yaml", "fleet: {name: has.dot}\n");

        List<String> errors = messages(load());

        assertEquals(4, errors.size(), errors::toString);
        assertOne(errors, "Fleet composition cycle detected: herdctl.yaml -> a/herdctl.yaml -> d/herdctl.yaml -> a/herdctl.yaml");
        assertOne(errors, "c/herdctl.yaml:1:15: fleet.name: Fleet name must start");
        assertOne(errors, "herdctl.yaml:3:11: fleets[1].path: Fleet name collision at level \"herdctl\": two sub-fleets resolve "
                + "to name \"same\". Conflicting references: a/herdctl.yaml, b/herdctl.yaml.");
        assertOne(errors, "fleets[3].path: Failed to load sub-fleet: file not found at " + dir.resolve("nowhere/herdctl.yaml"));
    }

    private static void assertOne(List<String> errors, String part) {
        assertEquals(1, errors.stream().filter(e -> e.contains(part)).count(), () -> "\"" + part + "\" in " + errors);
    }

    @Test
    void allowsTheSameSubFleetTwiceUnderDifferentNames() throws IOException {
        write("herdctl.yaml", "fleets:\n  - path: shared\n    name: one\n  - path: shared\n    name: two\n");
        write("shared/herdctl.yaml", "agents:\n  - path: worker.yaml\n");
        write("shared/worker.yaml", "name: worker\n");
        LoadedFleet fleet = load();
        assertTrue(fleet.accepted(), () -> messages(fleet).toString());
        assertEquals(List.of("one.worker", "two.worker"), fleet.agents().stream().map(AgentSpec::qualifiedName).sorted().toList());
    }
}
