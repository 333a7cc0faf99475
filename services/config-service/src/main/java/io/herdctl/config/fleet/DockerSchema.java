package io.herdctl.config.fleet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    static final Set<String> SAFE = Fields.keys("enabled", "ephemeral", "memory", "cpu_shares", "cpu_period",
            "cpu_quota", "max_containers", "workspace_mode", "tmpfs", "pids_limit", "labels");
    static final Set<String> DANGEROUS = Fields.keys("image", "network", "volumes", "user", "ports", "env",
            "host_config");
    /** herdctl's deprecated spelling of {@code image}. */
    static final String BASE_IMAGE = "base_image";
    /** Labels under this prefix mark ownership of the project's containers; a fleet may not forge them. */
    static final String RESERVED_LABEL_PREFIX = "io.herdctl.";

    private static final Pattern USER = Pattern.compile("^\\d+(?::\\d+)?$");
    private static final Pattern PORT = Pattern.compile("^\\d+(?::\\d+)?$");
    private static final Pattern NETWORK_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
    private static final Pattern IMAGE = Pattern.compile("^[a-z0-9][a-z0-9._/:@-]*$");
    private static final List<String> WORKSPACE_MODES = List.of("rw", "ro");

    private DockerSchema() {
    }

    /** The block's values, checked; keys with errors are left out and reported. */
    static Map<String, Object> check(YamlTree.MapNode docker, String path, Level level, Fields f) {
        Set<String> allowed = level == Level.AGENT ? SAFE : union(SAFE, DANGEROUS, Set.of(BASE_IMAGE));
        f.knownKeys(docker, path, allowed, key -> level == Level.AGENT && (DANGEROUS.contains(key) || BASE_IMAGE.equals(key))
                ? "\"" + key + "\" is a fleet-level docker option and cannot be set in an agent file (an agent that can "
                        + "edit its own file could use it to escape isolation). Set it in the fleet file (herdctl.yaml) "
                        + "under defaults.docker, or under agents[].overrides.docker for this agent."
                : null);
        Map<String, Object> out = new LinkedHashMap<>();
        docker.entries().forEach((key, e) -> {
            if (!allowed.contains(key)) {
                return;
            }
            String p = Paths.child(path, key);
            YamlTree.Node v = e.value();
            switch (key) {
                case "enabled", "ephemeral" -> f.bool(v, p).ifPresent(b -> out.put(key, b));
                case "memory" -> memory(v, p, f).ifPresent(m -> out.put(key, m));
                case "cpu_shares", "cpu_period", "cpu_quota", "pids_limit", "max_containers" ->
                        f.positiveInt(v, p).ifPresent(n -> out.put(key, n));
                case "workspace_mode" -> f.oneOf(v, p, WORKSPACE_MODES).ifPresent(m -> out.put(key, m));
                case "tmpfs" -> f.stringList(v, p).ifPresent(list -> {
                    for (int i = 0; i < list.size(); i++) {
                        if (!list.get(i).split(":", 2)[0].startsWith("/")) {
                            f.problems().error(itemPos(v, i), Paths.index(p, i), "Invalid tmpfs format. Use \"/path\" or "
                                    + "\"/path:options\" (e.g., \"/tmp\", \"/tmp:size=100m\").");
                            return;
                        }
                    }
                    out.put(key, list);
                });
                case "labels" -> f.stringMap(v, p).ifPresent(labels -> {
                    for (String label : labels.keySet()) {
                        if (label.startsWith(RESERVED_LABEL_PREFIX)) {
                            f.problems().error(v.pos(), Paths.child(p, label), "labels starting with \""
                                    + RESERVED_LABEL_PREFIX + "\" are set by herdctl to mark its containers and cannot be "
                                    + "set in configuration");
                            return;
                        }
                    }
                    out.put(key, labels);
                });
                case "image", BASE_IMAGE -> f.string(v, p).ifPresent(image -> {
                    if (IMAGE.matcher(image).matches()) {
                        out.put("image", image);
                    } else {
                        f.problems().error(v.pos(), p, "\"" + image + "\" is not a valid image reference "
                                + "(lowercase name, optional registry/namespace, :tag or @digest)");
                    }
                    if (key.equals(BASE_IMAGE)) {
                        f.problems().warning(e.keyPos(), p, "\"base_image\" is deprecated; use \"image\" instead");
                    }
                });
                case "network" -> f.string(v, p).ifPresent(n -> {
                    if (NETWORK_NAME.matcher(n).matches()) {
                        out.put(key, n);
                    } else {
                        f.problems().error(v.pos(), p, "expected none, bridge, host or the name of a docker network, got \""
                                + n + "\"");
                    }
                });
                case "user" -> intAsString(v).or(() -> f.string(v, p)).ifPresent(u -> {
                    if (USER.matcher(u).matches() && u.split(":")[0].matches("0+")) {
                        f.problems().error(v.pos(), p, "user \"" + u + "\" is root; agent containers always run as a "
                                + "non-root user (leave user unset for the runner's own uid:gid)");
                    } else if (USER.matcher(u).matches()) {
                        out.put(key, u);
                    } else {
                        f.problems().error(v.pos(), p, "Invalid user format. Use \"UID\" or \"UID:GID\" (e.g., \"1000\" or \"1000:1000\").");
                    }
                });
                case "volumes" -> f.stringList(v, p).ifPresent(list -> {
                    for (int i = 0; i < list.size(); i++) {
                        String[] parts = list.get(i).split(":");
                        if (parts.length < 2 || parts.length > 3 || parts.length == 3 && !WORKSPACE_MODES.contains(parts[2])) {
                            f.problems().error(itemPos(v, i), Paths.index(p, i),
                                    "Invalid volume format. Use \"host:container\" or \"host:container:ro|rw\".");
                            return;
                        }
                    }
                    out.put(key, list);
                });
                case "ports" -> f.stringList(v, p).ifPresent(list -> {
                    for (int i = 0; i < list.size(); i++) {
                        if (!PORT.matcher(list.get(i)).matches()) {
                            f.problems().error(itemPos(v, i), Paths.index(p, i), "Invalid port format. Use "
                                    + "\"hostPort:containerPort\" or \"containerPort\" (e.g., \"8080:80\", \"3000\").");
                            return;
                        }
                    }
                    out.put(key, list);
                });
                case "env" -> f.stringMap(v, p).ifPresent(env -> out.put(key, env));
                case "host_config" -> f.map(v, p).ifPresent(hc -> {
                    int before = f.problems().errorCount();
                    HostConfigRules.check(hc, p, f);
                    if (f.problems().errorCount() == before) {
                        f.problems().warning(e.keyPos(), p, "host_config is accepted but not applied by this version's runner");
                        out.put(key, hc.plain());
                    }
                });
                default -> throw new IllegalStateException("unhandled docker option " + key);
            }
        });
        return out;
    }

    private static java.util.Optional<String> memory(YamlTree.Node v, String path, Fields f) {
        java.util.Optional<String> text = v instanceof YamlTree.Scalar s && s.type() == YamlTree.ScalarType.INT
                ? java.util.Optional.of(s.text())
                : f.string(v, path);
        if (text.isPresent() && MemorySize.parseBytes(text.get()) <= 0) {
            f.problems().error(v.pos(), path, MemorySize.MESSAGE);
            return java.util.Optional.empty();
        }
        return text;
    }

    private static java.util.Optional<String> intAsString(YamlTree.Node v) {
        return v instanceof YamlTree.Scalar s && s.type() == YamlTree.ScalarType.INT
                ? java.util.Optional.of(s.text())
                : java.util.Optional.empty();
    }

    private static YamlTree.Pos itemPos(YamlTree.Node list, int i) {
        return list instanceof YamlTree.ListNode l && i < l.items().size() ? l.items().get(i).pos() : list.pos();
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (Set<String> s : sets) {
            out.addAll(s);
        }
        return out;
    }
}
