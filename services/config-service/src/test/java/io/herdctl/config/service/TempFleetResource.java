package io.herdctl.config.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A fleet directory of the test's own, polled often so that edits show up quickly. */
public class TempFleetResource implements QuarkusTestResourceLifecycleManager {

    static volatile Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("herdctl-fleet-");
            Files.createDirectories(dir.resolve("agents"));
            Files.writeString(dir.resolve("herdctl.yaml"), """
                    fleet:
                      name: it
                    agents:
                      - path: agents/alpha.yaml
                      - path: agents/beta.yaml
                    """);
            Files.writeString(dir.resolve("agents/alpha.yaml"), "name: alpha\ndefault_prompt: hello\n");
            Files.writeString(dir.resolve("agents/beta.yaml"), "name: beta\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("herdctl.fleet.path", dir.toString(), "herdctl.fleet.poll-interval", "1s");
    }

    @Override
    public void stop() {
        // The temp dir is small and useful when a test fails.
    }
}
