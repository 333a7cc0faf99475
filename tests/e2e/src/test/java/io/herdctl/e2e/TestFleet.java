package io.herdctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import io.herdctl.launcher.Containers;
import io.herdctl.launcher.EmbeddedStack;
import io.herdctl.launcher.StackOptions;
import io.herdctl.launcher.StackOptions.Service;

/**
 * A private stack on a throw-away fleet of one agent, set up the way
 * {@link EndToEndIT} does: a temp directory with {@code herdctl.yaml}, the
 * agent's file and an empty workspace; the scripted test agent image with no
 * network; every service on a free loopback port. Closing it stops the stack and
 * checks that no service process and no container of it is left.
 */
final class TestFleet implements AutoCloseable {

    static final String TEST_AGENT_IMAGE = "herdctl/test-agent:latest";

    private final Path root;
    private final EmbeddedStack stack;
    private final List<ProcessHandle> processes;

    private TestFleet(Path root, EmbeddedStack stack) {
        this.root = root;
        this.stack = stack;
        this.processes = stack.processes();
    }

    /**
     * Writes the fleet and starts the stack.
     *
     * @param agent     the agent's name, also its file name under {@code agents/}
     * @param agentYaml the agent file as a user writes it (with {@code name: <agent>} and
     *                  {@code working_directory: ../workspace})
     */
    static TestFleet start(String agent, String agentYaml) throws IOException {
        Path root = Files.createTempDirectory("herdctl-fleet-");
        Path fleet = root.resolve("fleet");
        Files.createDirectories(fleet.resolve("agents"));
        Files.createDirectories(fleet.resolve("workspace"));
        Files.writeString(fleet.resolve("herdctl.yaml"), """
                version: 1
                fleet:
                  name: e2e
                defaults:
                  docker:
                    image: %s
                    network: none
                agents:
                  - path: agents/%s.yaml
                """.formatted(TEST_AGENT_IMAGE, agent));
        Files.writeString(fleet.resolve("agents/" + agent + ".yaml"), agentYaml);
        Path home = Path.of(System.getProperty("herdctl.home", "../..")).toAbsolutePath().normalize();
        String stackId = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        long t0 = System.nanoTime();
        EmbeddedStack stack = EmbeddedStack.start(StackOptions.isolated(home, fleet, root.resolve("state"), stackId));
        System.out.printf("[e2e] stack %s ready in %.1f s (fleet and logs under %s)%n", stackId,
                (System.nanoTime() - t0) / 1e9, root);
        return new TestFleet(root, stack);
    }

    EmbeddedStack stack() {
        return stack;
    }

    /** The dashboard's base URL, {@code http://127.0.0.1:<port>} (no trailing slash). */
    String dashboardUrl() {
        return stack.url(Service.DASHBOARD);
    }

    /** The temp directory holding the fleet ({@code fleet/}) and the stack's state and logs ({@code state/}). */
    Path root() {
        return root;
    }

    @Override
    public void close() {
        long t0 = System.nanoTime();
        stack.close();
        System.out.printf("[e2e] stack %s stopped in %.1f s%n", stack.options().stackId(),
                (System.nanoTime() - t0) / 1e9);
        for (ProcessHandle p : processes) {
            assertFalse(p.isAlive(), "service process " + p.pid() + " still runs after stop");
        }
        assertEquals(List.of(), Containers.withLabel("io.herdctl.stack=" + stack.options().stackId()),
                "containers left behind");
    }
}
