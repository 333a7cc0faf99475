package io.herdctl.config.fleet;

import static io.herdctl.config.fleet.ObjectRule.object;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The docker block, in herdctl's two tiers. Agent files may set only the safe
 * options; the dangerous ones (what could let an agent that edits its own file
 * escape isolation) are accepted only from the fleet file: {@code defaults.docker}
 * and {@code agents[].overrides.docker}. Both tiers are checked the same way,
 * overrides included.
 */
final class DockerSchema {

    enum Level { AGENT, FLEET }

    /** Labels under this prefix mark ownership of the project's containers; a fleet may not forge them. */
    static final String RESERVED_LABEL_PREFIX = "io.herdctl.";

    private static final Pattern USER = Pattern.compile("^\\d+(?::\\d+)?$");
    private static final Pattern PORT = Pattern.compile("^\\d+(?::\\d+)?$");
    private static final Pattern NETWORK_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
    private static final Pattern IMAGE = Pattern.compile("^[a-z0-9][a-z0-9._/:@-]*$");

    private static final ObjectRule AGENT = object()
            .field("enabled", Rule.bool())
            .field("ephemeral", Rule.bool())
            .field("memory", DockerSchema::memory)
            .field("cpu_shares", Rule.positiveInt())
            .field("cpu_period", Rule.positiveInt())
            .field("cpu_quota", Rule.positiveInt())
            .field("max_containers", Rule.positiveInt())
            .field("workspace_mode", Rule.oneOf("rw", "ro"))
            .field("tmpfs", Rule.list(Rule.stringWhere(t -> t.split(":", 2)[0].startsWith("/") ? null
                    : "Invalid tmpfs format. Use \"/path\" or \"/path:options\" (e.g., \"/tmp\", \"/tmp:size=100m\").")))
            .field("pids_limit", Rule.positiveInt())
            .field("labels", DockerSchema::labels);

    private static final ObjectRule FLEET = AGENT.copy()
            .field("image", image())
            .deprecated("base_image", "image")
            .field("network", Rule.stringWhere(n -> NETWORK_NAME.matcher(n).matches() ? null
                    : "expected none, bridge, host or the name of a docker network, got \"" + n + "\""))
            .field("user", DockerSchema::user)
            .field("volumes", Rule.list(Rule.stringWhere(v -> {
                String[] parts = v.split(":");
                return parts.length < 2 || parts.length > 3 || parts.length == 3 && !List.of("ro", "rw").contains(parts[2])
                        ? "Invalid volume format. Use \"host:container\" or \"host:container:ro|rw\"." : null;
            })))
            .field("ports", Rule.list(Rule.stringWhere(p -> PORT.matcher(p).matches() ? null
                    : "Invalid port format. Use \"hostPort:containerPort\" or \"containerPort\" (e.g., \"8080:80\", \"3000\").")))
            .field("env", Rule.stringMap())
            .field("host_config", DockerSchema::hostConfig);

    private static final ObjectRule AGENT_WITH_REFUSALS = withRefusals();

    private DockerSchema() {
    }

    /** The block's values, checked; keys with errors are left out and reported. */
    static Map<String, Object> check(YamlTree.MapNode docker, String path, Level level, Fields f) {
        return (level == Level.AGENT ? AGENT_WITH_REFUSALS : FLEET).checkMap(docker, path, f);
    }

    private static ObjectRule withRefusals() {
        ObjectRule agent = AGENT.copy();
        for (String key : List.of("image", "network", "volumes", "user", "ports", "env", "host_config", "base_image")) {
            agent.refused(key, "\"" + key + "\" is a fleet-level docker option and cannot be set in an agent file (an agent "
                    + "that can edit its own file could use it to escape isolation). Set it in the fleet file (herdctl.yaml) "
                    + "under defaults.docker, or under agents[].overrides.docker for this agent.");
        }
        return agent;
    }

    private static Optional<Object> memory(YamlTree.Node v, String path, Fields f) {
        Optional<String> text = v instanceof YamlTree.Scalar s && s.type() == YamlTree.ScalarType.INT
                ? Optional.of(s.text())
                : f.string(v, path);
        if (text.isPresent() && MemorySize.parseBytes(text.get()) <= 0) {
            f.problems().error(v.pos(), path, MemorySize.MESSAGE);
            return Optional.empty();
        }
        return text.map(t -> t);
    }

    private static Optional<Object> labels(YamlTree.Node v, String path, Fields f) {
        return f.stringMap(v, path).filter(labels -> {
            for (String label : labels.keySet()) {
                if (label.startsWith(RESERVED_LABEL_PREFIX)) {
                    f.problems().error(v.pos(), Paths.child(path, label), "labels starting with \"" + RESERVED_LABEL_PREFIX
                            + "\" are set by herdctl to mark its containers and cannot be set in configuration");
                    return false;
                }
            }
            return true;
        }).map(l -> l);
    }

    private static Rule image() {
        return Rule.stringWhere(i -> IMAGE.matcher(i).matches() ? null
                : "\"" + i + "\" is not a valid image reference (lowercase name, optional registry/namespace, :tag or @digest)");
    }

    private static Optional<Object> user(YamlTree.Node v, String path, Fields f) {
        Optional<String> user = v instanceof YamlTree.Scalar s && s.type() == YamlTree.ScalarType.INT
                ? Optional.of(s.text())
                : f.string(v, path);
        return user.filter(u -> {
            if (!USER.matcher(u).matches()) {
                f.problems().error(v.pos(), path, "Invalid user format. Use \"UID\" or \"UID:GID\" (e.g., \"1000\" or \"1000:1000\").");
                return false;
            }
            if (u.split(":")[0].matches("0+")) {
                f.problems().error(v.pos(), path, "user \"" + u + "\" is root; agent containers always run as a non-root "
                        + "user (leave user unset for the runner's own uid:gid)");
                return false;
            }
            return true;
        }).map(u -> u);
    }

    private static Optional<Object> hostConfig(YamlTree.Node v, String path, Fields f) {
        return f.map(v, path).flatMap(hc -> {
            int before = f.problems().errorCount();
            HostConfigRules.check(hc, path, f);
            if (f.problems().errorCount() != before) {
                return Optional.empty();
            }
            f.problems().warning(hc.pos(), path, "host_config is accepted but not applied by this version's runner");
            return Optional.of(hc.plain());
        });
    }
}
