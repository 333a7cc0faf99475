package io.herdctl.config.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the fields of a loaded fleet were written. An agent is the merge of up to
 * five layers (parent fleet defaults, sub-fleet defaults, the parent's overrides
 * for that sub-fleet, the agent file, the fleet's per-agent overrides), so a
 * remark about a merged value is only useful if it names the line that set it.
 * The layers keep the parsed documents with their positions, and a field is
 * looked up the way {@link DeepMerge} combined them: the highest layer that sets
 * it wins, mappings merge key by key, a list or a scalar hides what is below it.
 * Only meaningful for a fleet that loaded without errors.
 */
public final class FleetOrigins {

    /** What a layer is: it decides where an unset field belongs and whether a value was inherited. */
    enum Kind { FLEET, DEFAULTS, AGENT_FILE, OVERRIDES }

    /**
     * One document's part of an agent (or, for {@link Kind#FLEET}, the root fleet file).
     *
     * @param prefix where the agent's fields start in the document: {@code [agents, [0], overrides]},
     *               {@code [defaults]}, or nothing for an agent file; list indexes are written {@code [n]}
     */
    record Layer(Kind kind, String file, YamlTree.Node raw, YamlTree.Node resolved, List<String> prefix) {
    }

    /** The docker options only a fleet file may set: an unset one belongs in the agent's overrides. */
    private static final Set<String> FLEET_LEVEL_DOCKER = Set.of("image", "network", "volumes", "user", "ports", "env",
            "host_config");
    /** Old spellings the loader still accepts (with a warning) for the current ones. */
    private static final Map<String, String> OLD_SPELLING = Map.of("working_directory", "workspace", "image", "base_image");

    static final FleetOrigins NONE = new FleetOrigins(null, Map.of());

    private final Layer root;
    private final Map<String, List<Layer>> agents;

    /** @param agents per qualified agent name, its layers from the highest priority to the lowest */
    FleetOrigins(Layer root, Map<String, List<Layer>> agents) {
        this.root = root;
        this.agents = Map.copyOf(agents);
    }

    /** A field of the root fleet file, such as {@code web, host}, if it is written there. */
    public Optional<FieldOrigin> fleet(String... keys) {
        if (root == null) {
            return Optional.empty();
        }
        List<Step> steps = walk(root.raw(), List.of(keys));
        return steps.size() == keys.length ? Optional.of(origin(root, steps)) : Optional.empty();
    }

    /** As {@link #fleet(String...)}, else where to write it: the nearest enclosing key, or the file's first line. */
    public FieldOrigin fleetOrWhereToSet(String... keys) {
        if (root == null) {
            return new FieldOrigin(null, null, null, format(List.of(keys)), null, null, false);
        }
        return fleet(keys).orElseGet(() -> whereToSet(root, List.of(keys)));
    }

    /**
     * Where the agent's merged value at {@code keys} was written; empty when no layer
     * sets it (a schema default applies) or a layer above replaced it with a list or a scalar.
     */
    public Optional<FieldOrigin> agent(String agent, String... keys) {
        for (Layer layer : agents.getOrDefault(agent, List.of())) {
            List<String> full = concat(layer.prefix(), keys);
            List<Step> steps = walk(layer.raw(), full);
            if (steps.size() == full.size()) {
                return Optional.of(origin(layer, steps));
            }
            int reached = steps.size() - layer.prefix().size();
            if (reached > 0 && !(steps.get(steps.size() - 1).node() instanceof YamlTree.MapNode)) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Where the field is written, else where to write it: the agent's file for what an
     * agent file may set, its {@code agents[].overrides} entry in the fleet file for the
     * fleet-level docker options. An unset field is placed at the nearest enclosing key
     * that exists (the agent file's {@code docker:}, or its first line).
     */
    public FieldOrigin agentOrWhereToSet(String agent, String... keys) {
        Optional<FieldOrigin> set = agent(agent, keys);
        if (set.isPresent()) {
            return set.get();
        }
        Kind home = keys.length > 1 && keys[0].equals("docker") && FLEET_LEVEL_DOCKER.contains(keys[1])
                ? Kind.OVERRIDES : Kind.AGENT_FILE;
        Layer layer = agents.getOrDefault(agent, List.of()).stream().filter(l -> l.kind() == home).findFirst()
                .orElse(null);
        if (layer == null) {
            return new FieldOrigin(null, null, null, format(List.of(keys)), null, null, false);
        }
        return whereToSet(layer, concat(layer.prefix(), keys));
    }

    private static FieldOrigin whereToSet(Layer layer, List<String> full) {
        List<Step> steps = walk(layer.raw(), full);
        List<String> spelled = new ArrayList<>(steps.stream().map(Step::key).toList());
        spelled.addAll(full.subList(steps.size(), full.size()));
        YamlTree.Pos pos = steps.isEmpty() ? new YamlTree.Pos(layer.file(), 1, 1) : steps.get(steps.size() - 1).pos();
        return new FieldOrigin(layer.file(), pos.line(), pos.column(), format(spelled), null, null, false);
    }

    /** One key followed: the key as spelled in the file, where it is, and its value. */
    private record Step(String key, YamlTree.Pos pos, YamlTree.Node node) {
    }

    /** Follows {@code keys} from {@code node}, as far as they are there (an explicit null counts as not there). */
    private static List<Step> walk(YamlTree.Node node, List<String> keys) {
        List<Step> steps = new ArrayList<>();
        for (String key : keys) {
            Step next = step(node, key);
            if (next == null) {
                break;
            }
            steps.add(next);
            node = next.node();
        }
        return steps;
    }

    private static Step step(YamlTree.Node node, String key) {
        if (node instanceof YamlTree.MapNode m) {
            YamlTree.Entry e = m.entries().get(key);
            if (e == null && OLD_SPELLING.containsKey(key)) {
                e = m.entries().get(OLD_SPELLING.get(key));
            }
            return e == null || isNull(e.value()) ? null : new Step(e.key(), e.keyPos(), e.value());
        }
        if (node instanceof YamlTree.ListNode l && key.matches("\\[\\d+]")) {
            int i = Integer.parseInt(key.substring(1, key.length() - 1));
            return i < l.items().size() && !isNull(l.items().get(i))
                    ? new Step(key, l.items().get(i).pos(), l.items().get(i)) : null;
        }
        return null;
    }

    private static FieldOrigin origin(Layer layer, List<Step> steps) {
        Step last = steps.get(steps.size() - 1);
        List<String> spelled = steps.stream().map(Step::key).toList();
        List<Step> resolved = walk(layer.resolved(), spelled);
        Object value = resolved.size() == spelled.size() ? resolved.get(resolved.size() - 1).node().plain() : null;
        String written = last.node() instanceof YamlTree.Scalar s ? s.text() : null;
        return new FieldOrigin(layer.file(), last.pos().line(), last.pos().column(), format(spelled), written, value,
                layer.kind() == Kind.DEFAULTS);
    }

    private static boolean isNull(YamlTree.Node node) {
        return node instanceof YamlTree.Scalar s && s.type() == YamlTree.ScalarType.NULL;
    }

    private static List<String> concat(List<String> prefix, String... keys) {
        List<String> out = new ArrayList<>(prefix);
        out.addAll(List.of(keys));
        return out;
    }

    /** {@code agents[0].overrides.docker.user}, as the loader's messages write paths. */
    private static String format(List<String> keys) {
        StringBuilder out = new StringBuilder();
        for (String key : keys) {
            if (key.startsWith("[")) {
                out.append(key);
            } else {
                out.append(out.isEmpty() ? "" : ".").append(key);
            }
        }
        return out.toString();
    }
}
