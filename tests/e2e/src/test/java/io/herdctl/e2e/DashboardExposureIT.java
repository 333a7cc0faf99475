package io.herdctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.herdctl.launcher.ServiceProcess;

/**
 * The dashboard started without authentication on an address other than
 * loopback refuses to start, and says what to do instead. (The broker address
 * points nowhere: it never gets that far.)
 */
class DashboardExposureIT {

    @Test
    void withoutAuthenticationTheDashboardRefusesToServeOnAllInterfaces() throws Exception {
        Path home = Path.of(System.getProperty("herdctl.home", "../..")).toAbsolutePath().normalize();
        Path state = Files.createTempDirectory("herdctl-exposure-");
        ServiceProcess dashboard = ServiceProcess.start(home, "dashboard-service", "127.0.0.1:9", "dashboard-open", state,
                Map.of("quarkus.http.host", "0.0.0.0"));
        try {
            assertTrue(dashboard.handle().onExit().get(90, TimeUnit.SECONDS) != null);
            String log = Files.readString(dashboard.log());
            assertTrue(log.contains("refusing to serve the dashboard on 0.0.0.0 without authentication"), log);
            assertTrue(log.contains("herdctl.dashboard.auth=proxy") && log.contains("herdctl.dashboard.auth=token"), log);
            assertFalse(log.contains("Listening on"), "it never listened");
            assertEquals(1, dashboard.exitValue());
        } finally {
            dashboard.close();
        }
    }
}
