package io.herdctl.config.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

class FleetLoaderTest {

    @TempDir
    Path dir;

    private void write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private LoadedFleet load(Map<String, String> env) {
        return new FleetLoader(env).load(dir);
    }

    private static ConfigProblem only(LoadedFleet fleet) {
        assertEquals(1, fleet.errors().size(), () -> "expected one error, got " + fleet.errors());
        return fleet.errors().get(0);
    }

    @Test
    void mergesDefaultsAgentAndOverridesWithoutSchemaDefaultsClobberingTheFleet() throws IOException {
        write("herdctl.yaml", """
                version: 1
                fleet:
                  name: demo
                defaults:
                  model: claude-sonnet
                  docker:
                    memory: 4g
                    image: herdctl/test-agent:latest
                    env:
                      GITHUB_TOKEN: "${GITHUB_TOKEN}"
                agents:
                  - path: ./agents/hello.yaml
                    overrides:
                      docker:
                        network: none
                """);
        write("agents/hello.yaml", """
                name: hello
                default_prompt: "Say ${GREETING:-hi} in $HOME"
                working_directory: ../workspace
                schedules:
                  tick:
                    type: interval
                    interval: 5m
                docker:
                  enabled: true
                  pids_limit: 64
                """);
        Files.createDirectories(dir.resolve("workspace"));

        LoadedFleet fleet = load(Map.of("GITHUB_TOKEN", "ghp_secret"));

        assertTrue(fleet.accepted(), () -> fleet.errors().toString());
        assertEquals("demo", fleet.name());
        AgentSpec hello = fleet.agents().get(0);
        assertEquals("hello", hello.qualifiedName());
        assertEquals("claude-sonnet", hello.model());
        assertEquals("Say hi in $HOME", hello.defaultPrompt());
        assertEquals(dir.resolve("workspace").toString(), hello.workingDirectory());
        assertEquals(300_000L, hello.schedules().get("tick").intervalMillis());
        assertTrue(hello.docker().enabled());
        assertEquals("4g", hello.docker().memory(), "an agent's docker block must not reset the fleet's memory");
        assertEquals(4L << 30, hello.docker().memoryBytes());
        assertEquals(64L, hello.docker().pidsLimit());
        assertEquals("none", hello.docker().network());
        assertEquals("herdctl/test-agent:latest", hello.docker().image());
        assertEquals("${GITHUB_TOKEN}", hello.docker().env().get("GITHUB_TOKEN"), "secrets stay unresolved on the topic");
        assertEquals("acceptEdits", hello.permissionMode());
        assertEquals(1, hello.maxConcurrent());
    }

    @Test
    void rejectsAFleetLevelOptionInAnAgentFileNamingFileLineAndField() throws IOException {
        write("herdctl.yaml", "agents:\n  - path: agents/sneaky.yaml\n");
        write("agents/sneaky.yaml", """
                name: sneaky
                docker:
                  enabled: true
                  network: host
                """);

        LoadedFleet fleet = load(Map.of());

        assertFalse(fleet.accepted());
        assertTrue(fleet.agents().isEmpty());
        ConfigProblem p = only(fleet);
        assertEquals("agents/sneaky.yaml", p.file());
        assertEquals(4, p.line());
        assertEquals(3, p.column());
        assertEquals("docker.network", p.path());
        assertTrue(p.message().contains("fleet-level"), p.message());
        assertTrue(p.message().contains("overrides.docker"), p.message());
    }

    @Test
    void checksOverridesWithTheSameRules() throws IOException {
        write("herdctl.yaml", """
                agents:
                  - path: a.yaml
                    overrides:
                      docker:
                        memory: lots
                        user: root
                        labels:
                          io.herdctl.job-id: forged
                """);
        write("a.yaml", "name: a\n");

        LoadedFleet fleet = load(Map.of());

        List<String> paths = fleet.errors().stream().map(ConfigProblem::path).collect(Collectors.toList());
        assertEquals(List.of("agents[0].overrides.docker.memory", "agents[0].overrides.docker.user",
                "agents[0].overrides.docker.labels.io.herdctl.job-id"), paths);
        assertTrue(fleet.errors().get(0).message().startsWith("Invalid memory format"));
        assertEquals("herdctl.yaml", fleet.errors().get(0).file());
    }

    @Test
    void reportsEveryErrorOfOneLoadWithSuggestions() throws IOException {
        write("herdctl.yaml", "agents:\n  - path: a.yaml\n  - path: b.yaml\n  - path: missing.yaml\n");
        write("a.yaml", """
                name: a
                defualt_prompt: hi
                max_turns: 0
                permission_mode: yolo
                """);
        write("b.yaml", """
                name: "b c"
                schedules:
                  s:
                    type: interval
                    interval: 1.5h
                """);

        LoadedFleet fleet = load(Map.of());

        List<String> messages = fleet.errors().stream().map(ConfigProblem::toString).collect(Collectors.toList());
        assertEquals(6, messages.size(), messages::toString);
        assertTrue(messages.get(0).contains("a.yaml:2:1: defualt_prompt: Unrecognized key: \"defualt_prompt\"; did you mean \"default_prompt\"?"), messages.get(0));
        assertTrue(messages.get(1).contains("max_turns: must be a whole number greater than 0"), messages.get(1));
        assertTrue(messages.get(2).contains("\"yolo\" is not allowed; expected one of: default, acceptEdits"), messages.get(2));
        assertTrue(messages.get(3).contains("b.yaml:1:7: name: Agent name must start"), messages.get(3));
        assertTrue(messages.get(4).contains("Decimal values are not supported in interval \"1.5h\""), messages.get(4));
        assertTrue(messages.get(5).startsWith("herdctl.yaml:4:11: agents[2].path: Failed to read file"), messages.get(5));
    }

    @Test
    void resolvesScheduleTimeZonesAndTimeoutsAndRefusesUnknownZones() throws IOException {
        write("herdctl.yaml", "defaults:\n  timezone: Europe/Amsterdam\nagents:\n  - path: a.yaml\n  - path: b.yaml\n");
        write("a.yaml", """
                name: a
                timeout: 1.5h
                schedules:
                  morning: {type: cron, cron: "0 9 * * 1-5"}
                  tokyo: {type: cron, cron: "0 9 * * *", timezone: Asia/Tokyo}
                """);
        write("b.yaml", "name: b\nschedules:\n  x: {type: cron, cron: \"@daily\", timezone: Mars/Olympus}\n");

        LoadedFleet fleet = load(Map.of());
        ConfigProblem p = only(fleet);
        assertEquals("b.yaml", p.file());
        assertEquals(3, p.line());
        assertTrue(p.message().contains("Unknown time zone \"Mars/Olympus\""), p.message());

        write("b.yaml", "name: b\n");
        var a = load(Map.of()).agents().stream().filter(x -> x.name().equals("a")).findFirst().orElseThrow();
        assertEquals("Europe/Amsterdam", a.schedules().get("morning").timezone(), "the fleet default");
        assertEquals("Asia/Tokyo", a.schedules().get("tokyo").timezone(), "the schedule's own zone wins");
        assertEquals(5_400_000L, a.timeoutMillis());
    }

    @Test
    void pointsAtYamlSyntaxErrors() throws IOException {
        write("herdctl.yaml", "agents:\n  - path: a.yaml\n");
        write("a.yaml", "name: a\ndocker:\n  enabled: true\n   memory: 1g\n");

        ConfigProblem p = only(load(Map.of()));

        assertEquals("a.yaml", p.file());
        assertEquals(4, p.line());
        assertTrue(p.message().startsWith("Invalid YAML syntax at line 4"), p.message());
    }

    @Test
    void interpolatesFromDotEnvWithTheSystemEnvironmentWinning() throws IOException {
        write(".env", "MODEL=from-dotenv\nPROMPT='quoted # not a comment'\nexport TURNS=7\n");
        write("herdctl.yaml", "defaults:\n  model: ${MODEL}\n  max_turns: ${TURNS}\nagents:\n  - path: a.yaml\n");
        write("a.yaml", "name: a\ndefault_prompt: ${PROMPT}\nsystem_prompt: ${NOPE}\n");

        LoadedFleet fleet = load(Map.of("MODEL", "from-env"));

        ConfigProblem p = only(fleet);
        assertEquals("Undefined environment variable 'NOPE' at 'system_prompt' (no default provided)", p.message());
        assertEquals(3, p.line());

        write("a.yaml", "name: a\ndefault_prompt: ${PROMPT}\n");
        LoadedFleet fixed = load(Map.of("MODEL", "from-env"));
        AgentSpec a = fixed.agents().get(0);
        assertEquals("from-env", a.model());
        assertEquals(7, a.maxTurns());
        assertEquals("quoted # not a comment", a.defaultPrompt());
        assertNotEquals(fleet.revision(), fixed.revision());
    }

    @Test
    void rejectsDuplicateNamesAndAcceptsAnEmptyFleet() throws IOException {
        write("herdctl.yaml", "");
        LoadedFleet empty = load(Map.of());
        assertTrue(empty.accepted());
        assertTrue(empty.agents().isEmpty());

        write("herdctl.yaml", "agents:\n  - path: a.yaml\n  - path: a2.yaml\n");
        write("a.yaml", "name: a\n");
        write("a2.yaml", "name: a\n");
        ConfigProblem p = only(load(Map.of()));
        assertTrue(p.message().startsWith("Duplicate agent qualified name found: \"a\""), p.message());
        assertEquals("agents[1]", p.path());
    }

    @Test
    void findsTheFleetFileFromASubdirectory() throws IOException {
        write("herdctl.yml", "fleet: {name: up}\n");
        Files.createDirectories(dir.resolve("deep/er"));
        LoadedFleet fleet = new FleetLoader(Map.of()).load(dir.resolve("deep/er"));
        assertTrue(fleet.accepted(), () -> fleet.errors().toString());
        assertEquals("up", fleet.name());

        LoadedFleet none = new FleetLoader(Map.of()).load(Path.of("/proc/self"));
        assertTrue(only(none).message().startsWith("No herdctl configuration file found"));
    }
}
