package io.herdctl.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet's web block as the embedded dashboard gets it. */
class WebSettingsTest {

    @TempDir
    Path dir;

    @Test
    void withoutAWebBlockTheDashboardStaysOnLoopbackWithoutSignIn() throws IOException {
        Files.writeString(dir.resolve("herdctl.yaml"), "version: 1\n");
        WebSettings web = WebSettings.of(dir, Map.of());
        assertEquals("127.0.0.1", web.host());
        assertNull(web.port());
        assertEquals(WebSettings.DEFAULT, WebSettings.of(dir.resolve("missing"), Map.of()));
    }

    @Test
    void localhostIsLoopbackAndThePortIsTheFleets() throws IOException {
        Files.writeString(dir.resolve("herdctl.yaml"), "web:\n  enabled: true\n  port: 4000\n  host: localhost\n");
        WebSettings web = WebSettings.of(dir, Map.of());
        assertEquals(4000, web.port());
        assertEquals("127.0.0.1", web.dashboardProperties().get("quarkus.http.host"));
        assertEquals("none", web.dashboardProperties().get("herdctl.dashboard.auth"));
        assertEquals("127.0.0.1", web.reachableHost());
    }

    @Test
    void theTokenIsReadFromTheEnvironmentOrDotEnvAndOnlyItsHashIsPassedOn() throws IOException {
        Files.writeString(dir.resolve("herdctl.yaml"), """
                web:
                  host: 0.0.0.0
                  auth: token
                  auth_token: ${HERDCTL_WEB_TOKEN}
                  session_expiry_hours: 8
                """);
        Files.writeString(dir.resolve(".env"), "HERDCTL_WEB_TOKEN=from-dotenv\n");
        WebSettings fromFile = WebSettings.of(dir, Map.of());
        assertEquals(WebSettings.sha256("from-dotenv"), fromFile.dashboardProperties().get("herdctl.dashboard.token.sha256"));
        assertEquals("8h", fromFile.dashboardProperties().get("herdctl.dashboard.session-expiry"));
        assertEquals("token", fromFile.dashboardProperties().get("herdctl.dashboard.auth"));
        assertEquals("127.0.0.1", fromFile.reachableHost(), "on every address: the launcher checks it on loopback");
        assertFalse(fromFile.dashboardProperties().containsValue("from-dotenv"), "the token itself is never passed on");

        WebSettings fromEnv = WebSettings.of(dir, Map.of("HERDCTL_WEB_TOKEN", "from-env"));
        assertEquals(WebSettings.sha256("from-env"), fromEnv.dashboardProperties().get("herdctl.dashboard.token.sha256"),
                "the environment wins over .env");

        Files.delete(dir.resolve(".env"));
        IllegalArgumentException unset = assertThrows(IllegalArgumentException.class, () -> WebSettings.of(dir, Map.of()));
        assertTrue(unset.getMessage().contains("${HERDCTL_WEB_TOKEN}") && unset.getMessage().contains(".env"),
                unset.getMessage());
    }

    @Test
    void aPublicAddressWithoutSignInIsRefusedBeforeAnythingStarts() throws IOException {
        Files.writeString(dir.resolve("herdctl.yaml"), "web: {host: 0.0.0.0}\n");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> WebSettings.of(dir, Map.of()));
        assertTrue(refused.getMessage().contains("web.auth: proxy") && refused.getMessage().contains("web.auth: token"),
                refused.getMessage());
    }

    @Test
    void proxyModeGetsItsTrustedAddressesAndGroups() throws IOException {
        Files.writeString(dir.resolve("herdctl.yaml"), """
                web: {host: 10.1.2.3, auth: proxy, trusted_proxies: [10.1.2.1, 10.9.0.0/16], allowed_groups: [ops, sec]}
                """);
        WebSettings web = WebSettings.of(dir.resolve("herdctl.yaml"), Map.of());
        assertEquals("10.1.2.1,10.9.0.0/16", web.dashboardProperties().get("herdctl.dashboard.proxy.trusted-addresses"));
        assertEquals("ops,sec", web.dashboardProperties().get("herdctl.dashboard.proxy.allowed-groups"));
        assertEquals("10.1.2.3", web.reachableHost());
    }
}
