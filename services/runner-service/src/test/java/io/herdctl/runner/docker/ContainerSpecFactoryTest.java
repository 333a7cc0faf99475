package io.herdctl.runner.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.JobRequested;
import io.herdctl.events.TriggerType;
import io.herdctl.runner.runtime.ClaudeCommand;

class ContainerSpecFactoryTest {

    private final ContainerSpecFactory factory = new ContainerSpecFactory("1000:1000", 256, "64m", "runner-a", "stack-1");

    static AgentSpec.DockerSpec docker(String user, Long pids, Map<String, String> labels, List<String> ports) {
        return new AgentSpec.DockerSpec(true, true, "1g", 1L << 30, 512L, null, null, pids, List.of("/cache:size=10m"),
                labels, 5, "ro", "herdctl/test-agent:latest", "none", user, List.of("/data:/data:ro"), ports,
                Map.of(), Map.of());
    }

    static JobRequested job(AgentSpec.DockerSpec docker, String prompt) {
        AgentSpec spec = new AgentSpec("team.coder", "coder", List.of("team"), null, "/fleet/coder.yaml", "/srv/work", null,
                "Be careful", "claude-x", 7, "bypassPermissions", Map.of(), docker, 1, null, null, null, null, null, null, null);
        return new JobRequested("e", Instant.now(), 1, "job-2026-01-02-abc123", "team.coder", null, TriggerType.MANUAL,
                prompt, null, spec, null);
    }

    static ContainerPlan plan(ContainerSpecFactory factory, JobRequested job, Map<String, String> env) {
        return factory.plan(job, List.of("claude", "-p", job.prompt()), env, null,
                ContainerSpecFactory.containerName(job.agent(), job.jobId()), Map.of(Labels.JOB_ID, job.jobId()));
    }

    @Test
    void everyContainerIsHardenedAndLabelled() {
        ContainerPlan plan = plan(factory, job(docker(null, null, Map.of("team", "a"), List.of("8080:80")), "hi"),
                Map.of("GITHUB_TOKEN", "ghp_x"));

        assertEquals("1000:1000", plan.user());
        assertEquals(1L << 30, plan.memoryBytes());
        assertEquals(256, plan.pidsLimit(), "the runner's default pids limit applies when the agent sets none");
        assertTrue(plan.readOnlyRootFs());
        assertEquals("none", plan.networkMode());
        assertEquals(Map.of("team", "a", Labels.MANAGED_BY, "herdctl", Labels.JOB_ID, "job-2026-01-02-abc123",
                Labels.AGENT, "team.coder", Labels.RUNNER, "runner-a", Labels.STACK, "stack-1"), plan.labels());
        assertEquals(List.of(new ContainerPlan.Mount("/srv/work", "/workspace", true),
                new ContainerPlan.Mount("/data", "/data", true)), plan.binds());
        assertTrue(plan.tmpfs().get("/tmp").contains("uid=1000,gid=1000"), plan.tmpfs().toString());
        assertTrue(plan.tmpfs().get("/home/claude").contains("mode=0700"), plan.tmpfs().toString());
        assertEquals("size=10m,uid=1000,gid=1000", plan.tmpfs().get("/cache"));
        assertEquals(List.of(new ContainerPlan.PortBinding(8080, 80)), plan.ports());
        assertTrue(plan.env().contains("GITHUB_TOKEN=ghp_x"));
        assertFalse(plan.toString().contains("ghp_x"), "a plan never prints secret values");
        assertEquals("herdctl-team.coder-job-2026-01-02-abc123", plan.name());
    }

    @Test
    void passesThePromptAsOneArgumentWithTheAgentsOptions() {
        String prompt = "fix $HOME `rm -rf /` \"now\"; echo 'x'";
        JobRequested job = job(docker(null, 10L, Map.of(), List.of()), prompt);
        AgentSpec a = job.spec();
        AgentSpec withTools = new AgentSpec(a.qualifiedName(), a.name(), a.fleetPath(), a.description(), a.sourceFile(),
                a.workingDirectory(), a.defaultPrompt(), a.systemPrompt(), a.model(), a.maxTurns(), a.permissionMode(),
                a.schedules(), a.docker(), 1, List.of(), List.of("Bash(git *)", "Read"), List.of("WebFetch"), Map.of(),
                null, null, null);
        assertEquals(List.of("claude", "-p", prompt, "--output-format", "stream-json", "--verbose", "--permission-mode",
                "bypassPermissions", "--model", "claude-x", "--max-turns", "7", "--system-prompt", "Be careful",
                "--allowedTools", "Bash(git *),Read", "--disallowedTools", "WebFetch", "--tools", "",
                "--mcp-config", "{\"mcpServers\":{}}", "--resume", "s-1"),
                ClaudeCommand.of(withTools, prompt, a.systemPrompt(), "{\"mcpServers\":{}}", "s-1"));
        assertEquals(List.of("claude", "-p", prompt, "--output-format", "stream-json", "--verbose", "--permission-mode",
                "bypassPermissions", "--model", "claude-x", "--max-turns", "7"), ClaudeCommand.of(a, prompt, null, null, null),
                "options the agent does not set are not passed");
        assertEquals(10, plan(factory, job, Map.of()).pidsLimit());
    }

    @Test
    void refusesHostConfigKeysThatWouldWeakenTheContainer() {
        AgentSpec.DockerSpec d = docker(null, null, Map.of(), List.of());
        AgentSpec.DockerSpec privileged = new AgentSpec.DockerSpec(true, true, "1g", 1L << 30, null, null, null, null,
                null, null, 5, "rw", d.image(), "none", null, null, null, null, Map.of("Privileged", true, "ShmSize", 1024));
        JobRejectedException e = assertThrows(JobRejectedException.class,
                () -> plan(factory, job(privileged, "x"), Map.of()));
        assertTrue(e.getMessage().contains("host_config.Privileged is refused"), e.getMessage());
        AgentSpec.DockerSpec tuned = new AgentSpec.DockerSpec(true, true, "1g", 1L << 30, null, null, null, null,
                null, null, 5, "rw", d.image(), "none", null, null, null, null, Map.of("ShmSize", 1024));
        assertEquals(Map.of("ShmSize", 1024), plan(factory, job(tuned, "x"), Map.of()).hostConfig());
    }

    @Test
    void refusesRootAndForgedOwnershipLabels() {
        JobRejectedException root = assertThrows(JobRejectedException.class,
                () -> plan(factory, job(docker("0:0", null, Map.of(), List.of()), "x"), Map.of()));
        assertTrue(root.getMessage().contains("root"), root.getMessage());
        assertThrows(JobRejectedException.class,
                () -> plan(factory, job(docker(null, null, Map.of(Labels.JOB_ID, "other"), List.of()), "x"), Map.of()));
        assertThrows(JobRejectedException.class,
                () -> plan(new ContainerSpecFactory("0", 256, "64m", "r", null), job(docker(null, null, Map.of(), List.of()),
                        "x"), Map.of()));
    }
}
