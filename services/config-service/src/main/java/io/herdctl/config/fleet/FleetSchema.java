package io.herdctl.config.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fleet file ({@code herdctl.yaml}): herdctl's fields and rules; agent
 * overrides checked like agent fields with every docker option allowed;
 * sub-fleet references with their names and overrides.
 */
final class FleetSchema {

    static final Set<String> FIELDS = Fields.keys("version", "fleet", "defaults", "working_directory", "fleets",
            "agents", "webhooks", "web", "docker", "chat", "workspace", "security");
    /** The keys of {@code security:}, a block of this version (herdctl has none). */
    static final String ALLOW_BYPASS_WITHOUT_DOCKER = "allow_bypass_without_docker";
    /** An agent's name, or a sub-fleet agent's name qualified from this file ({@code ops.deployer}). */
    private static final java.util.regex.Pattern QUALIFIED_NAME =
            java.util.regex.Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_-]*(?:\\.[a-zA-Z0-9][a-zA-Z0-9_-]*)*$");
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1");

    /** One {@code agents:} entry: where the file is and what the fleet overrides for it. */
    record AgentRef(int index, String path, YamlTree.Pos pos, Map<String, Object> overrides) {
    }

    /** One {@code fleets:} entry: a sub-fleet file, an optional name, and defaults it overrides. */
    record FleetRef(int index, String path, YamlTree.Pos pos, String name, Map<String, Object> overrideDefaults) {
    }

    /**
     * One entry of {@code security.allow_bypass_without_docker}: an agent this file lets run with
     * bypassPermissions and no container, named as this file's agents are (sub-fleet agents qualified from here).
     */
    record BypassGrant(int index, String name, YamlTree.Pos pos) {
    }

    /** The checked fleet file. {@code workingRoot} is {@code working_directory.root}, if set. */
    record FleetFile(String name, Map<String, Object> defaults, List<AgentRef> agents, List<FleetRef> fleets,
            String workingRoot, String webhookSecretEnv, List<BypassGrant> bypassGrants) {

        static FleetFile empty() {
            return new FleetFile(null, Map.of(), List.of(), List.of(), null, null, List.of());
        }
    }

    private static final ObjectRule FLEET_REF_OVERRIDES = ObjectRule.object()
            .field("defaults", (n, p, f) -> f.map(n, p).map(m -> AgentSchema.check(m, p, AgentSchema.Source.DEFAULTS, f)))
            .field("web", HerdctlBlocks.WEB)
            .field("webhooks", HerdctlBlocks.WEBHOOKS);

    private FleetSchema() {
    }

    static FleetFile check(YamlTree.MapNode root, Fields f) {
        f.knownKeys(root, "", FIELDS, null);
        YamlTree.Node version = root.get("version");
        if (version != null && !(version instanceof YamlTree.Scalar s && s.type() == YamlTree.ScalarType.INT
                && Long.parseLong(s.text()) > 0)) {
            f.problems().error(version.pos(), "version", "expected a whole number greater than 0 (e.g. version: 1), got "
                    + Fields.describe(version));
        }
        String name = null;
        if (root.get("fleet") != null) {
            Object info = HerdctlBlocks.FLEET_INFO.check(root.get("fleet"), "fleet", f).orElse(null);
            name = (String) HerdctlBlocks.values(info).get("name");
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (root.get("defaults") != null) {
            f.map(root.get("defaults"), "defaults").ifPresent(m -> defaults.putAll(
                    AgentSchema.check(m, "defaults", AgentSchema.Source.DEFAULTS, f)));
        }
        String workingRoot = workingRoot(root, f);
        List<AgentRef> agents = new ArrayList<>();
        if (root.get("agents") != null) {
            f.list(root.get("agents"), "agents").ifPresent(l -> {
                for (int i = 0; i < l.items().size(); i++) {
                    agentRef(l.items().get(i), i, f).ifPresent(agents::add);
                }
            });
        }
        List<FleetRef> fleets = new ArrayList<>();
        if (root.get("fleets") != null) {
            f.list(root.get("fleets"), "fleets").ifPresent(l -> {
                for (int i = 0; i < l.items().size(); i++) {
                    fleetRef(l.items().get(i), i, f).ifPresent(fleets::add);
                }
            });
        }
        if (root.get("web") != null) {
            HerdctlBlocks.WEB.check(root.get("web"), "web", f);
            webAuth(root.get("web"), f);
        }
        String webhookSecretEnv = null;
        if (root.get("webhooks") != null) {
            HerdctlBlocks.WEBHOOKS.check(root.get("webhooks"), "webhooks", f);
            if (root.get("webhooks") instanceof YamlTree.MapNode hooks
                    && hooks.get("secret_env") instanceof YamlTree.Scalar secret) {
                webhookSecretEnv = secret.text();
            }
        }
        YamlTree.Node chat = root.get("chat");
        if (chat != null) {
            f.problems().warning(chat.pos(), "chat", "the fleet file contains a fleet-level \"chat\" block. It has never "
                    + "been used at runtime, is deprecated, and will be rejected in a future major version. Configure chat "
                    + "per-agent under each agent's \"chat\" key instead.");
        }
        YamlTree.Node docker = root.get("docker");
        if (docker != null) {
            f.map(docker, "docker").ifPresent(m -> DockerSchema.check(m, "docker", DockerSchema.Level.FLEET, f));
            f.problems().warning(docker.pos(), "docker", "the top-level docker block is not applied to agents "
                    + "(as in herdctl); put fleet-wide docker options under defaults.docker");
        }
        List<BypassGrant> grants = root.get("security") == null ? List.of() : security(root.get("security"), f);
        return new FleetFile(name, defaults, agents, fleets, workingRoot, webhookSecretEnv, grants);
    }

    /**
     * {@code security:}, not in herdctl. Its one key lists the agents that may run with
     * bypassPermissions without Docker; every other such agent is refused. It lives here,
     * in the fleet file, for the reason the dangerous docker options do: an agent that
     * can edit its own file must not be able to grant itself this.
     */
    private static List<BypassGrant> security(YamlTree.Node node, Fields f) {
        List<BypassGrant> grants = new ArrayList<>();
        f.map(node, "security").ifPresent(m -> {
            f.knownKeys(m, "security", List.of(ALLOW_BYPASS_WITHOUT_DOCKER), null);
            YamlTree.Node list = m.get(ALLOW_BYPASS_WITHOUT_DOCKER);
            String path = Paths.child("security", ALLOW_BYPASS_WITHOUT_DOCKER);
            if (list == null) {
                return;
            }
            f.list(list, path).ifPresent(l -> {
                for (int i = 0; i < l.items().size(); i++) {
                    YamlTree.Node item = l.items().get(i);
                    String at = Paths.index(path, i);
                    int index = i;
                    f.string(item, at).ifPresent(name -> {
                        if (QUALIFIED_NAME.matcher(name).matches()) {
                            grants.add(new BypassGrant(index, name, item.pos()));
                        } else {
                            f.problems().error(item.pos(), at, "\"" + name + "\" is not an agent name; list agents by "
                                    + "their name (a sub-fleet's agents as <fleet>.<agent>, e.g. ops.deployer)");
                        }
                    });
                }
            });
        });
        return grants;
    }

    private static String workingRoot(YamlTree.MapNode root, Fields f) {
        YamlTree.Node wd = root.get("working_directory");
        YamlTree.Node old = root.get("workspace");
        if (old != null) {
            f.problems().warning(root.entries().get("workspace").keyPos(), "workspace",
                    "uses deprecated \"workspace\" field. Use \"working_directory\" instead."
                            + (wd != null ? " (both are set: \"working_directory\" wins)" : ""));
            if (wd == null) {
                wd = old;
            }
        }
        if (wd == null) {
            return null;
        }
        Object checked = HerdctlBlocks.WORKING_DIRECTORY.check(wd, "working_directory", f).orElse(null);
        return (String) HerdctlBlocks.values(checked).get("root");
    }

    private static Optional<AgentRef> agentRef(YamlTree.Node item, int i, Fields f) {
        String p = Paths.index("agents", i);
        return f.map(item, p).flatMap(m -> {
            f.knownKeys(m, p, List.of("path", "overrides"), null);
            if (m.get("path") == null) {
                f.problems().error(m.pos(), Paths.child(p, "path"), "each agents entry needs \"path\" (the agent file)");
                return Optional.empty();
            }
            Optional<String> path = f.string(m.get("path"), Paths.child(p, "path"));
            Map<String, Object> overrides = new LinkedHashMap<>();
            YamlTree.Node o = m.get("overrides");
            if (o != null) {
                f.map(o, Paths.child(p, "overrides")).ifPresent(om -> overrides.putAll(
                        AgentSchema.check(om, Paths.child(p, "overrides"), AgentSchema.Source.OVERRIDES, f)));
            }
            return path.map(value -> new AgentRef(i, value, m.get("path").pos(), overrides));
        });
    }

    private static Optional<FleetRef> fleetRef(YamlTree.Node item, int i, Fields f) {
        String p = Paths.index("fleets", i);
        return f.map(item, p).flatMap(m -> {
            f.knownKeys(m, p, List.of("path", "name", "overrides"), null);
            if (m.get("path") == null) {
                f.problems().error(m.pos(), Paths.child(p, "path"), "each fleets entry needs \"path\" (the sub-fleet's file)");
                return Optional.empty();
            }
            Optional<String> path = f.string(m.get("path"), Paths.child(p, "path"));
            String name = null;
            if (m.get("name") != null) {
                name = (String) Rule.matching(HerdctlBlocks.NAME_PATTERN, "Fleet name must start with a letter or number "
                        + "and contain only letters, numbers, underscores, and hyphens (no dots)")
                        .check(m.get("name"), Paths.child(p, "name"), f).orElse(null);
            }
            Map<String, Object> overrideDefaults = new LinkedHashMap<>();
            if (m.get("overrides") != null) {
                Object checked = FLEET_REF_OVERRIDES.check(m.get("overrides"), Paths.child(p, "overrides"), f).orElse(null);
                Object defaults = HerdctlBlocks.values(checked).get("defaults");
                if (defaults instanceof Map<?, ?> d) {
                    d.forEach((k, v) -> overrideDefaults.put((String) k, v));
                }
            }
            String fleetName = name;
            return path.map(value -> new FleetRef(i, value, m.get("path").pos(), fleetName, overrideDefaults));
        });
    }

    /**
     * The dashboard's exposure, checked before it starts: a non-loopback
     * {@code web.host} needs an authentication mode (the dashboard would refuse
     * to start), and token mode needs its token.
     */
    private static void webAuth(YamlTree.Node web, Fields f) {
        if (!(web instanceof YamlTree.MapNode m)) {
            return;
        }
        String auth = m.get("auth") instanceof YamlTree.Scalar a ? a.text() : "none";
        if (m.get("host") instanceof YamlTree.Scalar host && !LOOPBACK.contains(host.text()) && auth.equals("none")) {
            f.problems().error(host.pos(), "web.host", "the dashboard on \"" + host.text() + "\" without authentication "
                    + "would serve the fleet to anyone who can reach it, so it refuses to start; keep web.host: localhost, "
                    + "or set web.auth: proxy (behind oauth2-proxy) or web.auth: token (with web.auth_token)");
        }
        if (auth.equals("token") && m.get("auth_token") == null) {
            f.problems().error(m.pos(), "web.auth_token", "web.auth: token needs web.auth_token: ${NAME}, the "
                    + "environment variable that holds the API token");
        }
    }
}
