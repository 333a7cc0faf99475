package io.herdctl.config.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strict mapping: only the declared keys, each with its rule; required keys
 * reported when absent; deprecated spellings migrated with a warning; optional
 * checks across fields. Unknown keys are errors with a "did you mean".
 */
final class ObjectRule implements Rule {

    /** A check that needs more than one field; runs only when the fields themselves were right. */
    @FunctionalInterface
    interface CrossCheck {
        void check(YamlTree.MapNode node, Map<String, Object> values, String path, Fields f);
    }

    private record Deprecation(String replacement, String message) {
    }

    private final Map<String, Rule> fields = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();
    private final Map<String, Deprecation> deprecated = new LinkedHashMap<>();
    private final List<CrossCheck> crossChecks = new ArrayList<>();
    private final Map<String, String> refused = new LinkedHashMap<>();

    static ObjectRule object() {
        return new ObjectRule();
    }

    ObjectRule field(String name, Rule rule) {
        fields.put(name, rule);
        return this;
    }

    ObjectRule required(String name, Rule rule) {
        fields.put(name, rule);
        required.add(name);
        return this;
    }

    /** {@code name} is an old spelling of {@code replacement}: accepted, moved there, with a warning. */
    ObjectRule deprecated(String name, String replacement) {
        return deprecated(name, replacement, "\"" + name + "\" is deprecated; use \"" + replacement + "\" instead");
    }

    /** As {@link #deprecated(String, String)}, with the warning's own words. */
    ObjectRule deprecated(String name, String replacement, String message) {
        deprecated.put(name, new Deprecation(replacement, message));
        return this;
    }

    /** {@code name} is known but not allowed here; {@code message} says why and where it belongs. */
    ObjectRule refused(String name, String message) {
        refused.put(name, message);
        return this;
    }

    /** A copy with the same fields, to which more can be added. */
    ObjectRule copy() {
        ObjectRule c = new ObjectRule();
        c.fields.putAll(fields);
        c.required.addAll(required);
        c.deprecated.putAll(deprecated);
        c.crossChecks.addAll(crossChecks);
        c.refused.putAll(refused);
        return c;
    }

    ObjectRule crossCheck(CrossCheck check) {
        crossChecks.add(check);
        return this;
    }

    @Override
    public Optional<Object> check(YamlTree.Node node, String path, Fields f) {
        return f.map(node, path).map(m -> checkMap(m, path, f));
    }

    Map<String, Object> checkMap(YamlTree.MapNode m, String path, Fields f) {
        int errorsBefore = f.problems().errorCount();
        List<String> allowed = new ArrayList<>(fields.keySet());
        allowed.addAll(deprecated.keySet());
        f.knownKeys(m, path, allowed, refused::get);
        Map<String, Object> out = new LinkedHashMap<>();
        m.entries().forEach((key, e) -> {
            Rule rule = fields.get(key);
            if (rule != null) {
                rule.check(e.value(), Paths.child(path, key), f).ifPresent(v -> out.put(key, v));
            }
        });
        deprecated.forEach((old, d) -> {
            YamlTree.Entry e = m.entries().get(old);
            if (e == null) {
                return;
            }
            f.problems().warning(e.keyPos(), Paths.child(path, old), d.message() + (m.entries().containsKey(d.replacement())
                    ? " (both are set: \"" + d.replacement() + "\" wins)" : ""));
            if (!m.entries().containsKey(d.replacement())) {
                fields.get(d.replacement()).check(e.value(), Paths.child(path, old), f)
                        .ifPresent(v -> out.put(d.replacement(), v));
            }
        });
        for (String name : required) {
            if (!m.entries().containsKey(name) && !(deprecated.entrySet().stream()
                    .anyMatch(d -> d.getValue().replacement().equals(name) && m.entries().containsKey(d.getKey())))) {
                f.problems().error(m.pos(), Paths.child(path, name), "\"" + name + "\" is required here");
            }
        }
        if (f.problems().errorCount() == errorsBefore) {
            crossChecks.forEach(c -> c.check(m, out, path, f));
        }
        return out;
    }

    /**
     * A mapping whose {@code type} picks its rule (herdctl's discriminated unions),
     * given as name, rule, name, rule...; {@code fallback} checks a type not
     * listed, or null to reject it.
     */
    static Rule byType(String defaultType, ObjectRule fallback, Object... namesAndRules) {
        Map<String, ObjectRule> variants = new LinkedHashMap<>();
        for (int i = 0; i < namesAndRules.length; i += 2) {
            variants.put((String) namesAndRules[i], (ObjectRule) namesAndRules[i + 1]);
        }
        return (n, p, f) -> f.map(n, p).flatMap(m -> {
            YamlTree.Node typeNode = m.get("type");
            String type = defaultType;
            if (typeNode != null) {
                Optional<String> t = f.string(typeNode, Paths.child(p, "type"));
                if (t.isEmpty()) {
                    return Optional.empty();
                }
                type = t.get();
            }
            if (type == null) {
                f.problems().error(m.pos(), Paths.child(p, "type"), "\"type\" is required here; expected one of: "
                        + String.join(", ", variants.keySet()));
                return Optional.empty();
            }
            ObjectRule rule = variants.getOrDefault(type, fallback);
            if (rule == null) {
                f.problems().error(typeNode.pos(), Paths.child(p, "type"), "\"" + type + "\" is not allowed; expected one of: "
                        + String.join(", ", variants.keySet()) + Fields.didYouMean(type, variants.keySet()));
                return Optional.empty();
            }
            Map<String, Object> values = rule.checkMap(m, p, f);
            values.putIfAbsent("type", type);
            return Optional.of(values);
        });
    }
}
