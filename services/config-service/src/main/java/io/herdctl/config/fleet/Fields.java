package io.herdctl.config.fleet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed reads of YAML nodes. Each read either returns the value or records a
 * problem at the node's position naming the field path and what is allowed, and
 * returns empty; validation goes on so one load reports every mistake.
 */
final class Fields {

    private final Problems problems;

    Fields(Problems problems) {
        this.problems = problems;
    }

    Problems problems() {
        return problems;
    }

    Optional<YamlTree.MapNode> map(YamlTree.Node node, String path) {
        if (node instanceof YamlTree.MapNode m) {
            return Optional.of(m);
        }
        if (isNull(node)) {
            return Optional.empty();
        }
        problems.error(node.pos(), path, "expected a mapping, got " + node.kind());
        return Optional.empty();
    }

    Optional<YamlTree.ListNode> list(YamlTree.Node node, String path) {
        if (node instanceof YamlTree.ListNode l) {
            return Optional.of(l);
        }
        if (isNull(node)) {
            return Optional.empty();
        }
        problems.error(node.pos(), path, "expected a list, got " + node.kind());
        return Optional.empty();
    }

    Optional<String> string(YamlTree.Node node, String path) {
        if (node instanceof YamlTree.Scalar s && s.type() == YamlTree.ScalarType.STRING) {
            return Optional.of(s.text());
        }
        if (isNull(node)) {
            return Optional.empty();
        }
        problems.error(node.pos(), path, "expected a string, got " + describe(node)
                + (node instanceof YamlTree.Scalar ? " (quote it to make it a string)" : ""));
        return Optional.empty();
    }

    Optional<Boolean> bool(YamlTree.Node node, String path) {
        if (node instanceof YamlTree.Scalar s) {
            String t = s.text().strip().toLowerCase(Locale.ROOT);
            if (s.type() == YamlTree.ScalarType.BOOL || t.equals("true") || t.equals("false")) {
                return Optional.of(Boolean.parseBoolean(t));
            }
        }
        if (isNull(node)) {
            return Optional.empty();
        }
        problems.error(node.pos(), path, "expected true or false, got " + describe(node));
        return Optional.empty();
    }

    /** An integer greater than zero; a string holding one (after ${VAR} substitution) is accepted. */
    Optional<Long> positiveInt(YamlTree.Node node, String path) {
        if (node instanceof YamlTree.Scalar s
                && (s.type() == YamlTree.ScalarType.INT || s.type() == YamlTree.ScalarType.STRING)) {
            try {
                long value = Long.parseLong(s.text().strip().replace("_", ""));
                if (value > 0) {
                    return Optional.of(value);
                }
                problems.error(node.pos(), path, "must be a whole number greater than 0, got " + value);
                return Optional.empty();
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        if (isNull(node)) {
            return Optional.empty();
        }
        problems.error(node.pos(), path, "expected a whole number greater than 0, got " + describe(node));
        return Optional.empty();
    }

    Optional<String> oneOf(YamlTree.Node node, String path, Collection<String> allowed) {
        Optional<String> value = string(node, path);
        if (value.isPresent() && !allowed.contains(value.get())) {
            problems.error(node.pos(), path, "\"" + value.get() + "\" is not allowed; expected one of: "
                    + String.join(", ", allowed) + didYouMean(value.get(), allowed));
            return Optional.empty();
        }
        return value;
    }

    Optional<List<String>> stringList(YamlTree.Node node, String path) {
        return list(node, path).map(l -> {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < l.items().size(); i++) {
                string(l.items().get(i), Paths.index(path, i)).ifPresent(out::add);
            }
            return out;
        });
    }

    Optional<Map<String, String>> stringMap(YamlTree.Node node, String path) {
        return map(node, path).map(m -> {
            Map<String, String> out = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> {
                if (e.value() instanceof YamlTree.Scalar s && s.type() != YamlTree.ScalarType.NULL) {
                    out.put(k, s.text());
                } else {
                    problems.error(e.value().pos(), Paths.child(path, k), "expected a string value, got " + describe(e.value()));
                }
            });
            return out;
        });
    }

    /** Rejects keys outside {@code allowed}, suggesting the nearest known key. */
    void knownKeys(YamlTree.MapNode map, String path, Collection<String> allowed,
            Function<String, String> explain) {
        map.entries().forEach((key, e) -> {
            if (!allowed.contains(key)) {
                String special = explain == null ? null : explain.apply(key);
                problems.error(e.keyPos(), Paths.child(path, key), special != null ? special
                        : "Unrecognized key: \"" + key + "\"" + didYouMean(key, allowed)
                                + " (allowed here: " + String.join(", ", allowed) + ")");
            }
        });
    }

    static boolean isNull(YamlTree.Node node) {
        return node == null || node instanceof YamlTree.Scalar s && s.type() == YamlTree.ScalarType.NULL;
    }

    static String describe(YamlTree.Node node) {
        if (node instanceof YamlTree.Scalar s && s.type() != YamlTree.ScalarType.NULL) {
            return node.kind() + " (" + s.text() + ")";
        }
        return node.kind();
    }

    static String didYouMean(String given, Collection<String> candidates) {
        return candidates.stream()
                .map(c -> Map.entry(c, distance(given.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT))))
                .filter(e -> e.getValue() <= Math.max(2, given.length() / 4))
                .min(Comparator.comparingInt(Map.Entry::getValue))
                .map(e -> "; did you mean \"" + e.getKey() + "\"?")
                .orElse("");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static Set<String> keys(String... keys) {
        return new java.util.LinkedHashSet<>(List.of(keys));
    }
}
