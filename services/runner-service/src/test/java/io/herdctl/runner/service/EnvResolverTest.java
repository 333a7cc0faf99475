package io.herdctl.runner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.JobRequested;
import io.herdctl.events.TriggerType;
import io.herdctl.runner.docker.JobRejectedException;

class EnvResolverTest {

    static JobRequested job(String prompt, Map<String, String> env) {
        AgentSpec spec = new AgentSpec("a", "a", List.of(), null, null, "/w", null, "system ${DEPLOY_TOKEN}", null, null,
                "acceptEdits", Map.of(), new AgentSpec.DockerSpec(true, true, "1g", 1L << 30, null, null, null, null, null,
                        null, 5, "rw", "img", "none", null, null, null, env, null), 1, null, null, null, null, null, null, null);
        return new JobRequested("e", Instant.now(), 1, "job-2026-01-01-abc123", "a", null, TriggerType.MANUAL, prompt, null,
                spec, null);
    }

    @Test
    void resolvesFromTheProcessFirstThenTheEnvFileAndCollectsEverySecret(@TempDir Path dir) throws IOException {
        Path envFile = dir.resolve(".env");
        Files.writeString(envFile, "GITHUB_TOKEN=from-file\nDEPLOY_TOKEN=deploy-secret\nANTHROPIC_API_KEY=sk-ant-file\n");
        EnvResolver resolver = new EnvResolver(Map.of("GITHUB_TOKEN", "from-process"), Optional.of(envFile));

        EnvResolver.Resolved r = resolver.resolve(job("push with ${GITHUB_TOKEN} to ${HOME}",
                Map.of("GH", "${GITHUB_TOKEN}", "MODE", "${MODE:-fast}")));

        assertEquals(Map.of("ANTHROPIC_API_KEY", "sk-ant-file", "GH", "from-process", "MODE", "fast"), r.containerEnv());
        assertEquals("push with from-process to ${HOME}", r.prompt(), "only secret-named references are the runner's");
        assertEquals("system deploy-secret", r.systemPrompt());
        assertTrue(r.secrets().containsValue("deploy-secret"));
        assertTrue(r.secrets().containsValue("from-process"));
        assertFalse(r.toString().contains("from-process"));
    }

    @Test
    void refusesAJobWhoseFleetEnvCannotBeResolved() {
        JobRejectedException e = assertThrows(JobRejectedException.class,
                () -> new EnvResolver(Map.of(), Optional.empty()).resolve(job("x", Map.of("T", "${MISSING_TOKEN}"))));
        assertEquals("docker.env.T refers to ${MISSING_TOKEN}, which is set neither in the runner's environment nor in "
                + "its env file", e.getMessage());
    }

    @Test
    void resolvesMcpServerEnvAndHeadersIntoTheMcpConfig() {
        AgentSpec a = job("x", Map.of()).spec();
        AgentSpec withMcp = new AgentSpec(a.qualifiedName(), a.name(), a.fleetPath(), null, null, "/w", null, null, null,
                null, "acceptEdits", Map.of(), a.docker(), 1, null, null, null,
                Map.of("gh", Map.of("command", "gh-mcp", "args", List.of("--stdio"), "env", Map.of("GH_TOKEN", "${GITHUB_TOKEN}")),
                        "api", Map.of("url", "http://127.0.0.1:9/mcp", "headers", Map.of("Authorization", "Bearer ${API_TOKEN}"))),
                null, null, null);
        JobRequested job = new JobRequested("e", Instant.now(), 1, "job-2026-01-01-abc123", "a", null, TriggerType.MANUAL,
                "x", null, withMcp, null);
        EnvResolver.Resolved r = new EnvResolver(Map.of("GITHUB_TOKEN", "ghp_secret", "API_TOKEN", "tok"), Optional.empty())
                .resolve(job);
        assertTrue(r.mcpConfig().startsWith("{\"mcpServers\":{"), r.mcpConfig());
        assertTrue(r.mcpConfig().contains("\"GH_TOKEN\":\"ghp_secret\""), r.mcpConfig());
        assertTrue(r.mcpConfig().contains("\"Authorization\":\"Bearer tok\""), r.mcpConfig());
        assertTrue(r.secrets().containsValue("ghp_secret"), "resolved MCP values are redacted from output");
        assertEquals(null, resolverWithoutMcp().mcpConfig(), "no MCP servers, no --mcp-config");
    }

    private static EnvResolver.Resolved resolverWithoutMcp() {
        return new EnvResolver(Map.of(), Optional.empty()).resolve(job("x", Map.of()));
    }
}
