package io.herdctl.config.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void theDashboardIsNotExposedWithoutAuthenticationAndItsTokenComesFromTheEnvironment() throws IOException {
        Files.writeString(dir.resolve("herdctl.yaml"), """
                web: {host: 0.0.0.0, auth_token: "s3cr3t-in-the-file"}
                """);
        LoadedFleet open = new FleetLoader(Map.of()).load(dir);
        assertEquals(List.of("web.auth_token", "web.host"), open.errors().stream().map(e -> e.path()).sorted().toList(),
                open.errors()::toString);
        assertTrue(open.errors().stream().anyMatch(e -> e.message().contains("refuses to start")), open.errors()::toString);
        assertTrue(open.errors().stream().noneMatch(e -> e.message().contains("s3cr3t")), "the token is not repeated");

        Files.writeString(dir.resolve("herdctl.yaml"), "web: {host: 0.0.0.0, auth: token}\n");
        LoadedFleet noToken = new FleetLoader(Map.of()).load(dir);
        assertEquals(List.of("web.auth_token"), noToken.errors().stream().map(e -> e.path()).toList());

        Files.writeString(dir.resolve("herdctl.yaml"), """
                web: {host: 0.0.0.0, auth: token, auth_token: "${HERDCTL_WEB_TOKEN}", session_expiry_hours: 8}
                """);
        assertTrue(new FleetLoader(Map.of()).load(dir).errors().isEmpty(), "an unset variable is the launcher's"
                + " business: config-service never resolves the token");
        Files.writeString(dir.resolve("herdctl.yaml"), """
                web: {host: 10.0.0.5, auth: proxy, trusted_proxies: [10.0.0.2/32], allowed_groups: [ops]}
                """);
        assertTrue(new FleetLoader(Map.of()).load(dir).errors().isEmpty());
    }
}
