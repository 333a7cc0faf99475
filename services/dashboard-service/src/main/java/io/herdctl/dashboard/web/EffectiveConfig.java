package io.herdctl.dashboard.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.herdctl.dashboard.web.Rows.Fact;
import io.herdctl.events.AgentSpec;

/**
 * An agent's configuration after defaults and fleet overrides, as config-service
 * resolved it, for the agent page; and the container hardening a job of it gets.
 * Environment values are never shown, only their names.
 */
final class EffectiveConfig {

    private EffectiveConfig() {
    }

    static List<Fact> facts(AgentSpec a) {
        List<Fact> out = new ArrayList<>();
        add(out, "Defined in", a.sourceFile());
        add(out, "Working directory", a.workingDirectory());
        add(out, "Model", a.model());
        add(out, "Permission mode", a.permissionMode());
        add(out, "Max turns", a.maxTurns());
        add(out, "Max concurrent jobs", a.maxConcurrent());
        add(out, "Timeout", a.timeout());
        add(out, "Allowed tools", join(a.allowedTools()));
        add(out, "Denied tools", join(a.deniedTools()));
        add(out, "Tools", join(a.tools()));
        add(out, "MCP servers", a.mcpServers() == null || a.mcpServers().isEmpty() ? null
                : String.join(", ", a.mcpServers().keySet()));
        add(out, "System prompt", a.systemPrompt());
        add(out, "Default prompt", a.defaultPrompt());
        return out;
    }

    /**
     * What a container of this agent is held to: the agent's own limits, and what
     * every runner applies whatever the configuration says.
     */
    static List<Fact> hardening(AgentSpec a) {
        AgentSpec.DockerSpec d = a.docker();
        List<Fact> out = new ArrayList<>();
        if (!d.enabled()) {
            out.add(new Fact("Container", "none: jobs run on the runner's host, without the isolation below"));
            return out;
        }
        add(out, "Image", d.image());
        add(out, "Network", d.network() == null ? "bridge" : d.network());
        add(out, "User", d.user() == null ? "the runner's default non-root user" : d.user());
        add(out, "Memory (swap included)", d.memory());
        add(out, "Processes", d.pidsLimit() == null ? "the runner's default limit" : d.pidsLimit());
        add(out, "CPU shares", d.cpuShares());
        add(out, "CPU quota / period", d.cpuQuota() == null ? null : d.cpuQuota() + " / " + d.cpuPeriod());
        add(out, "Workspace", "/workspace, " + ("ro".equals(d.workspaceMode()) ? "read-only" : "read-write"));
        add(out, "Container lifetime", d.ephemeral() ? "one job (removed after)" : "reused, at most "
                + d.maxContainers());
        add(out, "Volumes", join(d.volumes()));
        add(out, "Published ports (127.0.0.1 only)", join(d.ports()));
        add(out, "Extra tmpfs", join(d.tmpfs()));
        add(out, "Environment (names only)", d.env().isEmpty() ? null : String.join(", ", d.env().keySet()));
        add(out, "Host config (fleet-level)", d.hostConfig().isEmpty() ? null : d.hostConfig().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        out.add(new Fact("Always", "all capabilities dropped; no-new-privileges; read-only root filesystem with a "
                + "private /tmp and home; an init process; root refused; labels io.herdctl.* reserved"));
        return out;
    }

    private static String join(List<String> values) {
        return values == null || values.isEmpty() ? null : String.join(", ", values);
    }

    private static void add(List<Fact> out, String name, Object value) {
        if (value != null && !(value instanceof String s && s.isBlank()) && !(value instanceof Map<?, ?> m && m.isEmpty())) {
            out.add(new Fact(name, value.toString()));
        }
    }
}
