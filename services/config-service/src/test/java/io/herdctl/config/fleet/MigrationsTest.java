package io.herdctl.config.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** herdctl's deprecated spellings load, move to their new place, and say so. */
class MigrationsTest {

    @TempDir
    Path dir;

    @Test
    void workspaceBecomesWorkingDirectoryAtEveryLevel() throws IOException {
        Files.createDirectories(dir.resolve("ws"));
        Files.createDirectories(dir.resolve("other"));
        Files.writeString(dir.resolve("herdctl.yaml"), """
                workspace: {root: .}
                defaults:
                  workspace: other
                agents:
                  - path: a.yaml
                  - path: b.yaml
                """);
        Files.writeString(dir.resolve("a.yaml"), "name: a\nworkspace: ws\n");
        Files.writeString(dir.resolve("b.yaml"), "name: b\nworkspace: other\nworking_directory: ws\n");

        LoadedFleet fleet = new FleetLoader(Map.of()).load(dir);

        assertTrue(fleet.accepted(), fleet.errors()::toString);
        assertEquals(dir.resolve("ws").toString(), fleet.agents().get(0).workingDirectory());
        assertEquals(dir.resolve("ws").toString(), fleet.agents().get(1).workingDirectory(), "working_directory wins");
        assertEquals(4, fleet.warnings().stream().filter(w -> w.message().contains("deprecated \"workspace\"")).count(),
                fleet.warnings()::toString);
    }

    @Test
    void webAndWebhooksAreCheckedToo() throws IOException {
        Files.writeString(dir.resolve("herdctl.yaml"), """
                web: {enabled: true, port: 70000, message_grouping: stacked}
                webhooks: {enabled: true, secret_env: "my secret"}
                """);
        LoadedFleet fleet = new FleetLoader(Map.of()).load(dir);
        assertEquals(3, fleet.errors().size(), fleet.errors()::toString);
        assertEquals("web.port", fleet.errors().get(0).path());
        assertEquals("web.message_grouping", fleet.errors().get(1).path());
        assertEquals("webhooks.secret_env", fleet.errors().get(2).path());
    }
}
