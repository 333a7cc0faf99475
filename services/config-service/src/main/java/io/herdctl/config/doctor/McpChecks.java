package io.herdctl.config.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.herdctl.config.fleet.FieldOrigin;
import io.herdctl.events.skills.SkillScanner;

/**
 * The guide's "limit which agents can use which MCP servers". Each server is code
 * that runs inside the agent with its credentials and widens what a prompt
 * injection can reach, so: not many per agent, none handed to every agent
 * through fleet defaults, and none fetched unpinned from a registry at each job
 * start ({@code npx -y package}), where a hijacked release would run unreviewed.
 */
final class McpChecks {

    static final String MCP_COUNT = "mcp-count";
    static final String MCP_INHERITED = "mcp-inherited";
    static final String MCP_UNPINNED = "mcp-unpinned";

    /** The guide gives no number; past this many, an agent is rarely doing one job. */
    static final int MAX_SERVERS = 5;

    private McpChecks() {
    }

    static void check(AgentView a, Findings out) {
        Map<String, Object> servers = new TreeMap<>(a.spec().mcpServers());
        if (servers.size() > MAX_SERVERS) {
            out.agent(MCP_COUNT, Severity.LOW, a, a.at("mcp_servers"), servers.size() + " MCP servers ("
                    + String.join(", ", servers.keySet()) + "): each runs with the agent's credentials and widens what "
                    + "a prompt injection can reach", "give the agent only the servers its task needs (at most "
                    + MAX_SERVERS + ")");
        } else {
            out.agent(MCP_COUNT, Severity.OK, a, a.at("mcp_servers"), servers.isEmpty() ? "no MCP servers"
                    : servers.size() + " MCP server(s): " + String.join(", ", servers.keySet()), null);
        }
        int before = out.size();
        servers.forEach((name, config) -> unpinned(a, name, config, out));
        if (out.size() == before) {
            out.agent(MCP_UNPINNED, Severity.OK, a, a.at("mcp_servers"), "no MCP server is fetched unpinned at start",
                    null);
        }
    }

    /**
     * Fleet-level: each server that fleet defaults give to every agent under them, once, with who gets it.
     *
     * @param noneAt where a passed check points (the fleet file's {@code defaults.mcp_servers})
     */
    static void inherited(List<AgentView> agents, Findings out, FieldOrigin noneAt) {
        Map<String, List<String>> receivers = new LinkedHashMap<>();
        Map<String, FieldOrigin> origins = new LinkedHashMap<>();
        for (AgentView a : agents) {
            for (String name : new TreeMap<>(a.spec().mcpServers()).keySet()) {
                Optional<FieldOrigin> where = a.written("mcp_servers", name);
                if (where.isPresent() && where.get().inherited()) {
                    String key = where.get().file() + "#" + where.get().path();
                    origins.putIfAbsent(key, where.get());
                    receivers.computeIfAbsent(key, k -> new ArrayList<>()).add(a.name());
                }
            }
        }
        if (receivers.isEmpty()) {
            out.fleet(MCP_INHERITED, Severity.OK, noneAt, "no MCP server comes from fleet defaults", null);
            return;
        }
        receivers.forEach((key, names) -> {
            FieldOrigin where = origins.get(key);
            out.fleet(MCP_INHERITED, Severity.LOW, where, where.path() + " comes from fleet defaults, so every agent "
                    + "under them gets it (" + String.join(", ", names) + "), whether its task needs it or not",
                    "define the server only for the agents that need it: in their agent files or under "
                            + "agents[].overrides.mcp_servers");
        });
    }

    private static void unpinned(AgentView a, String name, Object config, Findings out) {
        if (!(config instanceof Map<?, ?> c) || !(c.get("command") instanceof String command)) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of(command.strip().split("\\s+")));
        if (c.get("args") instanceof List<?> args) {
            args.forEach(arg -> argv.add(String.valueOf(arg)));
        }
        // A package from a URL or a repository is worse than unpinned: mcp-red-flag reports it.
        var fetched = SkillScanner.fetchedPackage(argv).filter(p -> !p.pinned() && !p.remote());
        if (fetched.isEmpty()) {
            return;
        }
        String runner = fetched.get().runner();
        String pkg = fetched.get().spec();
        boolean yes = argv.contains("-y") || argv.contains("--yes");
        FieldOrigin where = c.get("args") != null ? a.at("mcp_servers", name, "args") : a.at("mcp_servers", name, "command");
        out.agent(MCP_UNPINNED, Severity.MEDIUM, a, where, "mcp_servers." + name + " runs " + runner + (yes ? " -y " : " ")
                + pkg + " without a pinned version: every job fetches whatever the registry serves at that moment, so "
                + "a hijacked or typo-squatted release runs inside the agent with its credentials",
                "pin an exact version (" + (runner.equals("uvx") ? "package==1.2.3" : "package@1.2.3") + "), or install "
                        + "the server into the agent's image and run it from there");
    }
}
