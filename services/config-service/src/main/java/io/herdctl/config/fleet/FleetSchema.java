package io.herdctl.config.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The fleet file ({@code herdctl.yaml}): herdctl's fields and rules, overrides checked like agent files. */
final class FleetSchema {

    static final Set<String> FIELDS = Fields.keys("version", "fleet", "defaults", "working_directory", "fleets",
            "agents", "webhooks", "web", "docker", "chat", "workspace");

    /** One {@code agents:} entry: where the file is and what the fleet overrides for it. */
    record AgentRef(int index, String path, YamlTree.Pos pos, Map<String, Object> overrides) {
    }

    /** The checked fleet file. */
    record FleetFile(String name, Map<String, Object> defaults, List<AgentRef> agents) {
    }

    private FleetSchema() {
    }

    static FleetFile check(YamlTree.MapNode root, Fields f) {
        f.knownKeys(root, "", FIELDS, null);
        String name = null;
        Map<String, Object> defaults = new LinkedHashMap<>();
        List<AgentRef> agents = new ArrayList<>();

        YamlTree.Node version = root.get("version");
        if (version != null && !(version instanceof YamlTree.Scalar s && s.type() == YamlTree.ScalarType.INT
                && Long.parseLong(s.text()) > 0)) {
            f.problems().error(version.pos(), "version", "expected a whole number greater than 0 (e.g. version: 1), got "
                    + Fields.describe(version));
        }
        YamlTree.Node fleet = root.get("fleet");
        if (fleet != null) {
            f.map(fleet, "fleet").ifPresent(m -> f.knownKeys(m, "fleet", Set.of("name", "description"), null));
            if (fleet instanceof YamlTree.MapNode m && m.get("name") != null) {
                name = f.string(m.get("name"), "fleet.name").filter(n -> {
                    if (AgentSchema.NAME.matcher(n).matches()) {
                        return true;
                    }
                    f.problems().error(m.get("name").pos(), "fleet.name", "Fleet name must start with a letter or number "
                            + "and contain only letters, numbers, underscores, and hyphens (no dots)");
                    return false;
                }).orElse(null);
            }
        }
        YamlTree.Node defaultsNode = root.get("defaults");
        if (defaultsNode != null) {
            f.map(defaultsNode, "defaults").ifPresent(m -> defaults.putAll(
                    AgentSchema.check(m, "defaults", AgentSchema.Source.DEFAULTS, f)));
        }
        YamlTree.Node fleets = root.get("fleets");
        if (fleets != null) {
            f.list(fleets, "fleets").filter(l -> !l.items().isEmpty()).ifPresent(l -> f.problems().error(l.pos(), "fleets",
                    "fleet composition (fleets:) is not supported by this version yet; list the agent files under agents:"));
        }
        YamlTree.Node agentsNode = root.get("agents");
        if (agentsNode != null) {
            f.list(agentsNode, "agents").ifPresent(l -> {
                for (int i = 0; i < l.items().size(); i++) {
                    agentRef(l.items().get(i), i, f).ifPresent(agents::add);
                }
            });
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
        for (String block : List.of("web", "webhooks", "working_directory", "workspace")) {
            YamlTree.Node node = root.get(block);
            if (node != null && !(node instanceof YamlTree.MapNode) && !Fields.isNull(node)) {
                f.problems().error(node.pos(), block, "expected a mapping, got " + node.kind());
            }
        }
        return new FleetFile(name, defaults, agents);
    }

    private static java.util.Optional<AgentRef> agentRef(YamlTree.Node item, int i, Fields f) {
        String p = Paths.index("agents", i);
        return f.map(item, p).flatMap(m -> {
            f.knownKeys(m, p, List.of("path", "overrides"), null);
            if (m.get("path") == null) {
                f.problems().error(m.pos(), Paths.child(p, "path"), "each agents entry needs \"path\" (the agent file)");
                return java.util.Optional.empty();
            }
            java.util.Optional<String> path = f.string(m.get("path"), Paths.child(p, "path"));
            Map<String, Object> overrides = new LinkedHashMap<>();
            YamlTree.Node o = m.get("overrides");
            if (o != null) {
                f.map(o, Paths.child(p, "overrides")).ifPresent(om -> overrides.putAll(
                        AgentSchema.check(om, Paths.child(p, "overrides"), AgentSchema.Source.OVERRIDES, f)));
            }
            return path.map(value -> new AgentRef(i, value, m.get("path").pos(), overrides));
        });
    }
}
