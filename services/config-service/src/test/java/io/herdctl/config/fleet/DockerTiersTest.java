package io.herdctl.config.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.herdctl.events.ConfigProblem;

/** Each docker option in each tier: agent file, fleet defaults, per-agent overrides. */
class DockerTiersTest {

    @TempDir
    Path dir;

    private LoadedFleet load(String fleetDocker, String overrideDocker, String agentDocker) throws IOException {
        Files.writeString(dir.resolve("herdctl.yaml"), "defaults:\n  docker:\n" + indent(fleetDocker, 4)
                + "agents:\n  - path: a.yaml\n    overrides:\n      docker:\n" + indent(overrideDocker, 8));
        Files.writeString(dir.resolve("a.yaml"), "name: a\ndocker:\n" + indent(agentDocker, 2));
        return new FleetLoader(Map.of()).load(dir);
    }

    private static String indent(String yaml, int n) {
        return yaml.isEmpty() ? " ".repeat(n) + "enabled: true\n" : yaml.lines().map(l -> " ".repeat(n) + l + "\n").collect(Collectors.joining());
    }

    private static List<String> paths(LoadedFleet fleet) {
        return fleet.errors().stream().map(ConfigProblem::path).collect(Collectors.toList());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "image: herdctl/runtime:latest", "network: host", "volumes: [\"/data:/data:ro\"]", "user: \"1000:1000\"",
            "ports: [\"8080:80\"]", "env: {TOKEN: x}", "host_config: {ShmSize: 1000}", "base_image: herdctl/runtime:latest"})
    void dangerousOptionsOnlyAtFleetLevel(String option) throws IOException {
        LoadedFleet inAgent = load("", "", option);
        String key = option.substring(0, option.indexOf(':'));
        assertEquals(List.of("docker." + key), paths(inAgent));
        assertTrue(inAgent.errors().get(0).message().contains("fleet-level docker option"));
        assertTrue(load(option, "", "").accepted(), "allowed in defaults.docker");
        assertTrue(load("", option, "").accepted(), "allowed in overrides.docker");
    }

    @ParameterizedTest
    @ValueSource(strings = {"enabled: true", "ephemeral: false", "memory: 1.5g", "cpu_shares: 512", "cpu_period: 100000",
            "cpu_quota: 50000", "max_containers: 3", "workspace_mode: ro", "tmpfs: [\"/cache:size=10m\"]", "pids_limit: 50",
            "labels: {team: qa}"})
    void safeOptionsEverywhere(String option) throws IOException {
        assertTrue(load("", "", option).accepted());
        assertTrue(load(option, "", "").accepted());
        assertTrue(load("", option, "").accepted());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "memory: 2gb|Invalid memory format",
            "cpu_shares: 0|must be a whole number greater than 0",
            "workspace_mode: rx|expected one of: rw, ro",
            "tmpfs: [cache]|Invalid tmpfs format",
            "labels: {io.herdctl.job-id: x}|are set by herdctl",
            "volumes: [\"/a\"]|Invalid volume format",
            "ports: [\"80:80:80\"]|Invalid port format",
            "user: \"0\"|is root",
            "user: alice|Invalid user format",
            "network: \"bad name!\"|expected none, bridge, host or the name of a docker network",
            "host_config: {Privileged: true}|every capability",
            "host_config: {CapAdd: [SYS_ADMIN]}|cannot be added back",
            "host_config: {PidMode: host}|process namespace",
            "host_config: {IpcMode: host}|IPC namespace",
            "host_config: {UsernsMode: host}|user namespace",
            "host_config: {SecurityOpt: [\"seccomp=unconfined\"]}|no-new-privileges and the default seccomp",
            "host_config: {ReadonlyRootfs: false}|always read-only",
            "host_config: {Binds: [\"/var/run/docker.sock:/var/run/docker.sock\"]}|docker.volumes",
            "host_config: {Shmsize: 1}|did you mean \"ShmSize\""})
    void badValuesAreRefusedInOverridesToo(String option, String message) throws IOException {
        LoadedFleet fleet = load("", option, "");
        assertEquals(1, fleet.errors().size(), fleet.errors()::toString);
        ConfigProblem p = fleet.errors().get(0);
        assertTrue(p.path().startsWith("agents[0].overrides.docker."), p.path());
        assertTrue(p.message().contains(message), p.message());
        assertEquals("herdctl.yaml", p.file());
    }
}
