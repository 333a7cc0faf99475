package io.herdctl.config.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each merged field traced to the layer that won, with its file, line and path as written there. */
class FleetOriginsTest {

    @TempDir
    Path dir;

    private void write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private TracedFleet load() {
        TracedFleet traced = new FleetLoader(Map.of("MODEL", "from-env")).loadWithOrigins(dir);
        assertTrue(traced.fleet().accepted(), () -> traced.fleet().errors().toString());
        return traced;
    }

    private static void assertAt(FieldOrigin o, String file, int line, String path) {
        assertEquals(file + ":" + line + " " + path, o.file() + ":" + o.line() + " " + o.path(), o::toString);
    }

    @Test
    void eachFieldComesFromTheHighestLayerThatSetsIt() throws IOException {
        write("herdctl.yaml", """
                fleet: {name: root}
                web: {host: localhost}
                defaults:
                  model: ${MODEL}
                  docker:
                    memory: 4g
                    network: bridge
                fleets:
                  - path: sub
                    overrides:
                      defaults:
                        max_turns: 3
                """);
        write("sub/herdctl.yaml", """
                defaults:
                  docker: {pids_limit: 99}
                  max_turns: 1
                agents:
                  - path: a.yaml
                    overrides:
                      docker:
                        network: none
                """);
        write("sub/a.yaml", "name: a\ndocker:\n  enabled: true\n  memory: 1g\nworkspace: .\n");

        FleetOrigins o = load().origins();

        assertAt(o.agent("sub.a", "docker", "network").orElseThrow(), "sub/herdctl.yaml", 8,
                "agents[0].overrides.docker.network");
        assertAt(o.agent("sub.a", "docker", "memory").orElseThrow(), "sub/a.yaml", 4, "docker.memory");
        assertAt(o.agent("sub.a", "max_turns").orElseThrow(), "herdctl.yaml", 12, "fleets[0].overrides.defaults.max_turns");
        assertAt(o.agent("sub.a", "docker", "pids_limit").orElseThrow(), "sub/herdctl.yaml", 2, "defaults.docker.pids_limit");
        FieldOrigin model = o.agent("sub.a", "model").orElseThrow();
        assertAt(model, "herdctl.yaml", 4, "defaults.model");
        assertEquals("${MODEL}", model.written());
        assertEquals("from-env", model.value());
        assertTrue(model.inherited());
        assertFalse(o.agent("sub.a", "docker", "memory").orElseThrow().inherited());
        assertAt(o.agent("sub.a", "working_directory").orElseThrow(), "sub/a.yaml", 5, "workspace");
        assertAt(o.fleet("web", "host").orElseThrow(), "herdctl.yaml", 2, "web.host");
    }

    @Test
    void anUnsetFieldIsPlacedWhereItWouldBeWritten() throws IOException {
        write("herdctl.yaml", "agents:\n  - path: a.yaml\n");
        write("a.yaml", "name: a\ndocker:\n  enabled: true\n");

        FleetOrigins o = load().origins();

        assertTrue(o.agent("a", "docker", "memory").isEmpty(), "a schema default is written nowhere");
        assertAt(o.agentOrWhereToSet("a", "docker", "memory"), "a.yaml", 2, "docker.memory");
        assertAt(o.agentOrWhereToSet("a", "permission_mode"), "a.yaml", 1, "permission_mode");
        assertAt(o.agentOrWhereToSet("a", "docker", "user"), "herdctl.yaml", 2, "agents[0].overrides.docker.user");
        assertAt(o.fleetOrWhereToSet("web", "host"), "herdctl.yaml", 1, "web.host");
    }

    @Test
    void aListReplacesTheOneBelowWhole() throws IOException {
        write("herdctl.yaml", """
                defaults:
                  mcp_servers:
                    fs: {command: npx, args: [a, b, c], env: {MODE: fast}}
                agents:
                  - path: a.yaml
                """);
        write("a.yaml", "name: a\nmcp_servers:\n  fs:\n    command: npx\n    args: [only]\n");

        FleetOrigins o = load().origins();

        assertAt(o.agent("a", "mcp_servers", "fs", "args", "[0]").orElseThrow(), "a.yaml", 5, "mcp_servers.fs.args[0]");
        assertTrue(o.agent("a", "mcp_servers", "fs", "args", "[2]").isEmpty(), "the defaults' third argument is gone");
        assertAt(o.agent("a", "mcp_servers", "fs", "env", "MODE").orElseThrow(), "herdctl.yaml", 3,
                "defaults.mcp_servers.fs.env.MODE");
    }
}
