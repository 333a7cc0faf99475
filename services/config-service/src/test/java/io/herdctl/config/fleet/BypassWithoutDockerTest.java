package io.herdctl.config.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.ConfigProblem;

/**
 * bypassPermissions without Docker is refused at load unless the fleet file lists
 * the agent under {@code security.allow_bypass_without_docker}; the merged agent is
 * what counts, so a mode or a Docker switch from defaults or overrides is caught,
 * and the error names the file, line and field that set the mode.
 */
class BypassWithoutDockerTest {

    @TempDir
    Path dir;

    private static final String AGENTS = "agents:\n  - path: agents/a.yaml\n";
    private static final String ALLOW_A = "security:\n  allow_bypass_without_docker: [a]\n";

    private LoadedFleet load(String fleet, String agent) throws IOException {
        write("herdctl.yaml", fleet);
        write("agents/a.yaml", agent);
        return new FleetLoader(Map.of()).load(dir);
    }

    private void write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static ConfigProblem onlyError(LoadedFleet fleet) {
        assertEquals(1, fleet.errors().size(), fleet.errors()::toString);
        return fleet.errors().get(0);
    }

    private static void assertAt(ConfigProblem p, String file, int line, String path) {
        assertEquals(file + ":" + line + " " + path, p.file() + ":" + p.line() + " " + p.path(), p::toString);
    }

    @Test
    void bypassInTheAgentFileWithoutDockerIsRefusedWithTheFix() throws IOException {
        LoadedFleet fleet = load(AGENTS, "name: a\npermission_mode: bypassPermissions\n");
        assertFalse(fleet.accepted());
        ConfigProblem p = onlyError(fleet);
        assertAt(p, "agents/a.yaml", 2, "permission_mode");
        assertTrue(p.message().contains("without Docker isolation (docker.enabled is not set"), p.message());
        assertTrue(p.message().contains("set docker.enabled: true"), p.message());
        assertTrue(p.message().contains("security: {allow_bypass_without_docker: [a]}"), p.message());
    }

    @Test
    void anExplicitlyDisabledDockerIsNamedWhereItIsWritten() throws IOException {
        ConfigProblem p = onlyError(load(AGENTS, "name: a\npermission_mode: bypassPermissions\ndocker:\n  enabled: false\n"));
        assertAt(p, "agents/a.yaml", 2, "permission_mode");
        assertTrue(p.message().contains("docker.enabled is false (docker.enabled at agents/a.yaml:4)"), p.message());
    }

    @Test
    void theFleetFileCanAllowItForThatAgent() throws IOException {
        LoadedFleet fleet = load(AGENTS + ALLOW_A, "name: a\npermission_mode: bypassPermissions\n");
        assertTrue(fleet.accepted(), fleet.errors()::toString);
        assertEquals(List.of(), fleet.warnings());
        AgentSpec a = fleet.agents().get(0);
        assertTrue(a.bypassesPermissionsWithoutDocker());
        assertTrue(a.allowBypassWithoutDocker(), "the allowance travels with the spec, for the runner to check again");
    }

    @Test
    void anAllowanceForAnotherAgentDoesNotCover() throws IOException {
        write("agents/b.yaml", "name: b\ndocker:\n  enabled: true\n");
        LoadedFleet fleet = load(AGENTS + "  - path: agents/b.yaml\nsecurity:\n  allow_bypass_without_docker: [b]\n",
                "name: a\npermission_mode: bypassPermissions\n");
        assertEquals(List.of("permission_mode"), fleet.errors().stream().map(ConfigProblem::path).toList(),
                fleet.errors()::toString);
    }

    @Test
    void bypassFromFleetDefaultsIsCaughtAtTheDefaults() throws IOException {
        ConfigProblem p = onlyError(load("defaults:\n  permission_mode: bypassPermissions\n" + AGENTS, "name: a\n"));
        assertAt(p, "herdctl.yaml", 2, "defaults.permission_mode");
        assertTrue(p.message().startsWith("agent \"a\" has permission_mode: bypassPermissions"), p.message());
    }

    @Test
    void bypassFromOverridesIsCaughtAtTheOverride() throws IOException {
        String fleet = AGENTS + "    overrides:\n      permission_mode: bypassPermissions\n";
        ConfigProblem p = onlyError(load(fleet, "name: a\n"));
        assertAt(p, "herdctl.yaml", 4, "agents[0].overrides.permission_mode");
    }

    @Test
    void dockerSwitchedOffByDefaultsIsCaughtAndDockerOnByDefaultsIsEnough() throws IOException {
        String agent = "name: a\npermission_mode: bypassPermissions\n";
        ConfigProblem p = onlyError(load("defaults:\n  docker:\n    enabled: false\n" + AGENTS, agent));
        assertAt(p, "agents/a.yaml", 2, "permission_mode");
        assertTrue(p.message().contains("(defaults.docker.enabled at herdctl.yaml:3)"), p.message());

        LoadedFleet inDocker = load("defaults:\n  docker:\n    enabled: true\n" + AGENTS, agent);
        assertTrue(inDocker.accepted(), inDocker.errors()::toString);
        assertFalse(inDocker.agents().get(0).allowBypassWithoutDocker());

        String overriddenOff = AGENTS + "    overrides:\n      docker:\n        enabled: false\n";
        ConfigProblem off = onlyError(load(overriddenOff, agent + "docker:\n  enabled: true\n"));
        assertTrue(off.message().contains("(agents[0].overrides.docker.enabled at herdctl.yaml:5)"), off.message());
    }

    @Test
    void otherModesWithoutDockerNeedNoAllowance() throws IOException {
        for (String mode : List.of("default", "acceptEdits", "plan", "dontAsk", "delegate")) {
            LoadedFleet fleet = load(AGENTS, "name: a\npermission_mode: " + mode + "\n");
            assertTrue(fleet.accepted(), () -> mode + ": " + fleet.errors());
        }
    }

    @Test
    void subFleetAgentsAreAllowedByTheirQualifiedNameOrByTheirOwnFleetFile() throws IOException {
        write("ops/herdctl.yaml", "fleet: {name: ops}\n" + AGENTS);
        write("ops/agents/a.yaml", "name: a\npermission_mode: bypassPermissions\n");
        write("herdctl.yaml", "fleets:\n  - path: ops\n");
        LoadedFleet refused = new FleetLoader(Map.of()).load(dir);
        ConfigProblem p = onlyError(refused);
        assertAt(p, "ops/agents/a.yaml", 2, "permission_mode");
        assertTrue(p.message().contains("[ops.a]"), p.message());

        write("herdctl.yaml", "fleets:\n  - path: ops\nsecurity:\n  allow_bypass_without_docker: [ops.a]\n");
        LoadedFleet byRoot = new FleetLoader(Map.of()).load(dir);
        assertTrue(byRoot.accepted(), byRoot.errors()::toString);
        assertTrue(byRoot.agents().get(0).allowBypassWithoutDocker());

        write("herdctl.yaml", "fleets:\n  - path: ops\n");
        write("ops/herdctl.yaml", "fleet: {name: ops}\n" + AGENTS + ALLOW_A);
        LoadedFleet bySubFleet = new FleetLoader(Map.of()).load(dir);
        assertTrue(bySubFleet.accepted(), bySubFleet.errors()::toString);
        assertEquals("ops.a", bySubFleet.agents().get(0).qualifiedName());
    }

    @Test
    void anAllowanceNamingNoAgentIsAnErrorAtItsLine() throws IOException {
        LoadedFleet fleet = load(AGENTS + "security:\n  allow_bypass_without_docker:\n    - aa\n", "name: a\n");
        ConfigProblem p = onlyError(fleet);
        assertAt(p, "herdctl.yaml", 5, "security.allow_bypass_without_docker[0]");
        assertTrue(p.message().contains("names no agent of this fleet; did you mean \"a\"?"), p.message());
    }

    @Test
    void anAllowanceThatGrantsNothingIsAWarning() throws IOException {
        LoadedFleet fleet = load(AGENTS + ALLOW_A, "name: a\npermission_mode: bypassPermissions\ndocker:\n  enabled: true\n");
        assertTrue(fleet.accepted(), fleet.errors()::toString);
        assertEquals(1, fleet.warnings().size(), fleet.warnings()::toString);
        ConfigProblem w = fleet.warnings().get(0);
        assertAt(w, "herdctl.yaml", 4, "security.allow_bypass_without_docker[0]");
        assertTrue(w.message().contains("runs in Docker"), w.message());
    }

    @Test
    void theBlockIsCheckedLikeEveryOther() throws IOException {
        ConfigProblem typo = onlyError(load(AGENTS + "security:\n  allow_bypass_without_dockr: [a]\n", "name: a\n"));
        assertAt(typo, "herdctl.yaml", 4, "security.allow_bypass_without_dockr");
        assertTrue(typo.message().contains("did you mean \"allow_bypass_without_docker\""), typo.message());

        ConfigProblem notAName = onlyError(load(AGENTS + "security:\n  allow_bypass_without_docker: [\"a b\"]\n",
                "name: a\n"));
        assertAt(notAName, "herdctl.yaml", 4, "security.allow_bypass_without_docker[0]");

        // An agent's own security block takes only skill_scan: it cannot grant itself the allowance.
        ConfigProblem inAgentFile = onlyError(load(AGENTS, "name: a\n" + ALLOW_A));
        assertAt(inAgentFile, "agents/a.yaml", 3, "security.allow_bypass_without_docker");
    }
}
