package io.herdctl.runner.runtime.host;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobRequested;
import io.herdctl.events.TriggerType;
import io.herdctl.runner.docker.JobRejectedException;

/** The runner checks the bypass rule again on the spec it was handed, whoever published it. */
class BypassWithoutDockerTest {

    private static JobRequested job(String mode, boolean docker, boolean allowed) {
        AgentSpec.DockerSpec d = new AgentSpec.DockerSpec(docker, true, "1g", 1L << 30, null, null, null, null, null,
                null, 5, "rw", "herdctl/test-agent:latest", "none", null, null, null, null, null);
        AgentSpec spec = new AgentSpec("ops.deployer", "deployer", List.of("ops"), null, "/fleet/deployer.yaml", "/tmp",
                null, null, null, null, mode, Map.of(), d, 1, null, null, null, null, null, null, null, allowed);
        return new JobRequested("e", Instant.now(), 1, "job-2026-11-29-abc123", spec.qualifiedName(), null,
                TriggerType.MANUAL, "hello", null, spec, null);
    }

    @Test
    void bypassOnTheHostWithoutAnAllowanceIsRefusedWithTheFix() {
        JobRejectedException e = assertThrows(JobRejectedException.class,
                () -> BypassWithoutDocker.refuseUnlessAllowed(job("bypassPermissions", false, false)));
        assertTrue(e.getMessage().startsWith("agent \"ops.deployer\" has permission_mode: bypassPermissions and "
                + "docker.enabled: false"), e.getMessage());
        assertTrue(e.getMessage().contains("was not started"), e.getMessage());
        assertTrue(e.getMessage().contains("security.allow_bypass_without_docker"), e.getMessage());
    }

    @Test
    void aSpecFromAnOlderProducerCarriesNoAllowanceAndIsRefused() {
        String json = EventJson.write(job("bypassPermissions", false, true))
                .replace(",\"allowBypassWithoutDocker\":true", "");
        JobRequested older = EventJson.read(json, JobRequested.class);
        assertThrows(JobRejectedException.class, () -> BypassWithoutDocker.refuseUnlessAllowed(older));
    }

    @Test
    void anAllowanceDockerOrAnotherModeLetsTheJobRun() {
        assertDoesNotThrow(() -> BypassWithoutDocker.refuseUnlessAllowed(job("bypassPermissions", false, true)));
        assertDoesNotThrow(() -> BypassWithoutDocker.refuseUnlessAllowed(job("bypassPermissions", true, false)));
        for (String mode : List.of("default", "acceptEdits", "plan", "dontAsk", "delegate")) {
            assertDoesNotThrow(() -> BypassWithoutDocker.refuseUnlessAllowed(job(mode, false, false)), mode);
        }
    }
}
