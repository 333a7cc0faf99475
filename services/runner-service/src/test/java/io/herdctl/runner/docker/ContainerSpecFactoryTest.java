package io.herdctl.runner.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
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
    void bindSourcesUnderTheRunnersOwnMountsAreTheHostsPaths() {
        HostPaths paths = new HostPaths(List.of(new HostPaths.Mapping("/srv", "/home/me/fleet"),
                new HostPaths.Mapping("/state/sessions", "/home/me/fleet/.herdctl/sessions")));
        ContainerSpecFactory inContainer = new ContainerSpecFactory("1000:1000", 256, "64m", "runner-a", null,
                EgressPolicy.NONE, paths);
        JobRequested job = job(docker(null, null, Map.of(), List.of()), "hi");
        ContainerPlan plan = inContainer.plan(job, List.of("claude"), Map.of(), "/state/sessions/coder", "c",
                Map.of(Labels.JOB_ID, job.jobId()));

        assertEquals(List.of(new ContainerPlan.Mount("/home/me/fleet/work", "/workspace", true),
                new ContainerPlan.Mount("/data", "/data", true),
                new ContainerPlan.Mount("/home/me/fleet/.herdctl/sessions/coder", "/home/claude/.claude", false)),
                plan.binds(), "the workspace and the sessions come from the host; /data is the host's already");
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

    static AgentSpec.DockerSpec onNetwork(String network) {
        AgentSpec.DockerSpec d = docker(null, null, Map.of(), List.of());
        return new AgentSpec.DockerSpec(true, true, d.memory(), d.memoryBytes(), null, null, null, null, null, null, 5,
                "rw", d.image(), network, null, null, null, null, null);
    }

    private static ContainerSpecFactory withEgress(EgressPolicy egress) {
        return new ContainerSpecFactory("1000:1000", 256, "64m", "runner-a", null, egress, HostPaths.IDENTITY);
    }

    private static String networkOf(ContainerSpecFactory factory, String agentNetwork) {
        return plan(factory, job(onNetwork(agentNetwork), "x"), Map.of()).networkMode();
    }

    @Test
    void withoutEgressSettingsTheAgentsNetworkIsUsedAsBefore() {
        assertEquals("bridge", networkOf(factory, null));
        assertEquals("host", networkOf(factory, "host"));
        assertEquals("other", networkOf(factory, "other"));
        assertEquals("none", networkOf(factory, "none"));
    }

    @Test
    void theDefaultNetworkBecomesTheEgressNetworkAndNoneStaysNone() {
        ContainerSpecFactory egressed = withEgress(new EgressPolicy("herdctl_restricted", null, null, false));
        assertEquals("herdctl_restricted", networkOf(egressed, null), "docker.network unset");
        assertEquals("herdctl_restricted", networkOf(egressed, "bridge"));
        assertEquals("herdctl_restricted", networkOf(egressed, "herdctl_restricted"), "naming it is fine");
        assertEquals("none", networkOf(egressed, "none"), "no network at all is stricter still");
    }

    @Test
    void otherNetworksAreRefusedUnlessAgentsMayPickTheirOwn() {
        ContainerSpecFactory egressed = withEgress(new EgressPolicy("herdctl_restricted", null, null, false));
        for (String network : List.of("host", "other_net", "container:abc")) {
            JobRejectedException e = assertThrows(JobRejectedException.class, () -> networkOf(egressed, network));
            assertTrue(e.getMessage().startsWith("docker.network \"" + network + "\" is refused"), e.getMessage());
            assertTrue(e.getMessage().contains("herdctl.runner.egress.network"), e.getMessage());
            assertTrue(e.getMessage().contains("through the egress proxy"), e.getMessage());
            assertTrue(e.getMessage().contains("herdctl.runner.egress.allow-agent-networks=true"), e.getMessage());
        }
        ContainerSpecFactory open = withEgress(new EgressPolicy("herdctl_restricted", null, null, true));
        assertEquals("host", networkOf(open, "host"));
        assertEquals("other_net", networkOf(open, "other_net"));
        assertEquals("herdctl_restricted", networkOf(open, null), "the default still goes to the egress network");
    }

    @Test
    void theProxyVariablesWinOverTheAgentsOwn() {
        EgressPolicy egress = new EgressPolicy(null, "http://squid:3128", List.of(" internal.example ", "", "10.0.0.0/8",
                "localhost"), false);
        ContainerSpecFactory proxied = withEgress(egress);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HTTP_PROXY", "http://elsewhere:8080");
        env.put("GITHUB_TOKEN", "ghp_x");
        env.put("no_proxy", "*");
        env.put("ALL_PROXY_NOTE", "kept");
        JobRequested job = job(onNetwork(null), "x");
        ContainerPlan plan = plan(proxied, job, env);
        String direct = "localhost,127.0.0.1,::1,internal.example,10.0.0.0/8";
        assertEquals(List.of("HOME=/home/claude", "TERM=xterm-256color", "GITHUB_TOKEN=ghp_x", "ALL_PROXY_NOTE=kept",
                "HTTP_PROXY=http://squid:3128", "HTTPS_PROXY=http://squid:3128", "http_proxy=http://squid:3128",
                "https_proxy=http://squid:3128", "NO_PROXY=" + direct, "no_proxy=" + direct), plan.env());
        assertEquals("bridge", plan.networkMode(), "a proxy alone does not move the container");
        assertEquals(plan.env(), proxied.environment(job, env), "a warm container's exec gets the same environment");

        assertEquals("NO_PROXY=localhost,127.0.0.1,::1", withEgress(new EgressPolicy(null, "http://squid:3128", null,
                false)).environment(job, Map.of()).get(6), "loopback never goes through the proxy");
        assertEquals(List.of("HOME=/home/claude", "TERM=xterm-256color", "HTTP_PROXY=http://elsewhere:8080"),
                factory.environment(job, Map.of("HTTP_PROXY", "http://elsewhere:8080")),
                "without a proxy setting the agent's own variables stay");
        assertEquals(Map.of(), new EgressPolicy(null, null, List.of("internal.example"), false).environment(),
                "no-proxy alone sets nothing");
    }

    @Test
    void egressSettingsAreCheckedWithTheKeyNamed() {
        for (String proxy : List.of("squid:3128", "http://", "ftp://squid:21", "http://squid:3128/path",
                "http://squid:3128?x=1", "http://squid:3128 ")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new EgressPolicy(null, proxy, null, false), proxy);
            assertTrue(e.getMessage().startsWith("herdctl.runner.egress.proxy \"" + proxy + "\" is not a proxy URL"),
                    e.getMessage());
        }
        IllegalArgumentException credentials = assertThrows(IllegalArgumentException.class,
                () -> new EgressPolicy(null, "http://user:s3cret@squid:3128", null, false));
        assertTrue(credentials.getMessage().startsWith("herdctl.runner.egress.proxy carries credentials"),
                credentials.getMessage());
        assertFalse(credentials.getMessage().contains("s3cret"), "the password is never echoed");
        for (String network : List.of("host", "bridge", "container:abc", "two words")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new EgressPolicy(network, null, null, false), network);
            assertTrue(e.getMessage().startsWith("herdctl.runner.egress.network \"" + network + "\""), e.getMessage());
        }
        IllegalArgumentException host = assertThrows(IllegalArgumentException.class,
                () -> new EgressPolicy(null, "http://squid:3128", List.of("a b"), false));
        assertTrue(host.getMessage().startsWith("herdctl.runner.egress.no-proxy entry \"a b\""), host.getMessage());
        assertEquals("https://proxy.internal:8443/", new EgressPolicy("herdctl_restricted", "https://proxy.internal:8443/",
                null, false).proxy());
        assertFalse(EgressPolicy.NONE.isSet());
    }
}
