package io.herdctl.runner.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.JobRequested;
import io.herdctl.events.TriggerType;

class StateGuardTest {

    @TempDir
    Path fleet;

    private static JobRequested job(String workingDirectory, List<String> volumes) {
        AgentSpec.DockerSpec docker = new AgentSpec.DockerSpec(true, true, "1g", 1L << 30, null, null, null, null,
                List.of(), Map.of(), 5, "rw", "herdctl/test-agent:latest", "none", null, volumes, List.of(), Map.of(),
                Map.of());
        AgentSpec spec = new AgentSpec("coder", "coder", List.of(), null, "/fleet/coder.yaml", workingDirectory, null,
                null, null, null, "acceptEdits", Map.of(), docker, 1, null, null, null, null, null, null, null);
        return new JobRequested("e", Instant.now(), 1, "job-2026-01-02-abc123", "coder", null, TriggerType.MANUAL, "hi",
                null, spec, null);
    }

    private static String refusal(ContainerSpecFactory factory, JobRequested job) {
        JobRejectedException e = assertThrows(JobRejectedException.class,
                () -> ContainerSpecFactoryTest.plan(factory, job, Map.of()));
        return e.getMessage();
    }

    private static ContainerSpecFactory guarded(StateGuard guard, HostPaths paths) {
        return new ContainerSpecFactory("1000:1000", 256, "64m", "runner-a", null, EgressPolicy.NONE, paths, guard);
    }

    @Test
    void aWorkspaceThatIsHoldsOrLiesInTheStateDirectoryIsRefused() throws IOException {
        Path state = Files.createDirectories(fleet.resolve(".herdctl/jobs"));
        Path workspace = Files.createDirectories(fleet.resolve("workspace"));
        ContainerSpecFactory factory = guarded(StateGuard.of(state.getParent(), HostPaths.IDENTITY), HostPaths.IDENTITY);

        String contains = refusal(factory, job(fleet.toString(), List.of()));
        assertTrue(contains.startsWith("working directory \"" + fleet + "\" contains herdctl's state directory"),
                contains);
        assertTrue(contains.contains("--state-dir"), "the message says how to fix it: " + contains);
        assertTrue(refusal(factory, job(state.getParent().toString(), List.of())).contains("\" is herdctl's state"));
        assertTrue(refusal(factory, job(state.toString(), List.of())).contains("\" is inside herdctl's state"));
        assertTrue(refusal(factory, job(workspace.toString(), List.of(fleet + "/.herdctl/alerts:/alerts:ro")))
                .startsWith("docker.volumes source \"" + fleet + "/.herdctl/alerts\" is inside"));

        ContainerPlan plan = ContainerSpecFactoryTest.plan(factory, job(workspace.toString(), List.of()), Map.of());
        assertEquals(workspace.toRealPath().toString(), plan.binds().get(0).hostPath(),
                "a workspace beside the state directory is mounted as before");
    }

    @Test
    void aLinkToTheFleetRootIsFollowedBeforeTheComparison() throws IOException {
        Files.createDirectories(fleet.resolve(".herdctl"));
        Path link = Files.createSymbolicLink(fleet.resolveSibling(fleet.getFileName() + "-link"), fleet);
        try {
            ContainerSpecFactory factory = guarded(StateGuard.of(fleet.resolve(".herdctl"), HostPaths.IDENTITY),
                    HostPaths.IDENTITY);
            assertTrue(refusal(factory, job(link.toString(), List.of())).contains("contains herdctl's state"));
        } finally {
            Files.deleteIfExists(link);
        }
    }

    @Test
    void aLinkTheRunnerCannotFollowIsRefusedWhateverItPointsAt() throws IOException {
        // In Compose the runner sees the fleet at /fleet; a link to the host's own path of the fleet dangles there,
        // yet the engine would follow it on the host. Here: a link to a path that does not exist for the runner.
        Files.createDirectories(fleet.resolve(".herdctl"));
        Path workspace = Files.createDirectories(fleet.resolve("workspace"));
        Files.createSymbolicLink(workspace.resolve("b"), Path.of("/home/me/fleet"));
        ContainerSpecFactory factory = guarded(StateGuard.of(fleet.resolve(".herdctl"), HostPaths.IDENTITY),
                HostPaths.IDENTITY);

        for (String dir : List.of(workspace + "/b", workspace + "/b/sub")) {
            String refusal = refusal(factory, job(dir, List.of()));
            assertTrue(refusal.contains("goes through the link " + workspace + "/b -> /home/me/fleet, which this runner "
                    + "cannot follow"), refusal);
        }
        ContainerPlan created = ContainerSpecFactoryTest.plan(factory, job(workspace + "/new/dir", List.of()), Map.of());
        assertEquals(workspace.toRealPath() + "/new/dir", created.binds().get(0).hostPath(),
                "a directory the engine will create is resolved up to the part that exists");
    }

    @Test
    void aRunnerInAContainerComparesTheEnginesPaths() {
        // The Compose layout: the fleet read at /fleet, only the sessions of the host's state mounted, the state
        // directory itself at a path of the container's own.
        HostPaths paths = new HostPaths(List.of(new HostPaths.Mapping("/fleet", "/home/me/fleet"),
                new HostPaths.Mapping("/var/lib/herdctl/state/sessions", "/home/me/fleet/.herdctl/sessions")));
        StateGuard guard = StateGuard.of(Path.of("/var/lib/herdctl/state"), paths);
        assertTrue(guard.protectedPaths().contains(Path.of("/home/me/fleet/.herdctl")), guard.toString());
        ContainerSpecFactory factory = guarded(guard, paths);

        assertTrue(refusal(factory, job("/fleet", List.of()))
                .contains("contains herdctl's state directory (/home/me/fleet/.herdctl on the Docker host"));
        assertTrue(refusal(factory, job("/fleet/.herdctl/jobs", List.of())).contains("is inside"));
        ContainerPlan plan = ContainerSpecFactoryTest.plan(factory, job("/fleet/workspace", List.of()), Map.of());
        assertEquals("/home/me/fleet/workspace", plan.binds().get(0).hostPath());
    }

    @Test
    void theRunnersOwnSessionMountIsNotABindSourceItChecks() throws IOException {
        Path state = Files.createDirectories(fleet.resolve(".herdctl/sessions/coder"));
        Path workspace = Files.createDirectories(fleet.resolve("workspace"));
        ContainerSpecFactory factory = guarded(StateGuard.of(fleet.resolve(".herdctl"), HostPaths.IDENTITY),
                HostPaths.IDENTITY);
        JobRequested job = job(workspace.toString(), List.of());
        ContainerPlan plan = factory.plan(job, List.of("claude"), Map.of(), state.toString(), "c", Map.of());
        assertEquals(state.toString(), plan.binds().get(1).hostPath(), "the agent's own ~/.claude is still mounted");
    }
}
