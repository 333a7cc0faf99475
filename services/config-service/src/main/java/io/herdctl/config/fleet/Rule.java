package io.herdctl.config.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A declarative check of one YAML node: what it must be, and the plain value
 * (Map, List, String, Long, Boolean) it stands for when it is right. A node that
 * is wrong is reported through {@link Fields} at its position and gives empty,
 * so a load goes on and reports every mistake.
 */
@FunctionalInterface
interface Rule {

    Optional<Object> check(YamlTree.Node node, String path, Fields f);

    // ---- scalars --------------------------------------------------------------------------------

    static Rule string() {
        return (n, p, f) -> f.string(n, p).map(s -> s);
    }

    static Rule nonEmptyString() {
        return (n, p, f) -> f.string(n, p).filter(s -> {
            if (s.isBlank()) {
                f.problems().error(n.pos(), p, "must not be empty");
                return false;
            }
            return true;
        }).map(s -> s);
    }

    static Rule bool() {
        return (n, p, f) -> f.bool(n, p).map(b -> b);
    }

    static Rule positiveInt() {
        return (n, p, f) -> f.positiveInt(n, p).map(i -> i);
    }

    static Rule nonNegativeInt() {
        return (n, p, f) -> {
            if (n instanceof YamlTree.Scalar s && s.type() == YamlTree.ScalarType.INT) {
                try {
                    long v = Long.parseLong(s.text().replace("_", ""));
                    if (v >= 0) {
                        return Optional.of(v);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            if (Fields.isNull(n)) {
                return Optional.empty();
            }
            f.problems().error(n.pos(), p, "expected a whole number of 0 or more, got " + Fields.describe(n));
            return Optional.empty();
        };
    }

    static Rule intAtMost(long max) {
        return (n, p, f) -> f.positiveInt(n, p).filter(i -> {
            if (i > max) {
                f.problems().error(n.pos(), p, "must be at most " + max + ", got " + i);
                return false;
            }
            return true;
        }).map(i -> i);
    }

    static Rule oneOf(String... allowed) {
        List<String> values = List.of(allowed);
        return (n, p, f) -> f.oneOf(n, p, values).map(s -> s);
    }

    /** A string matching {@code regex}; otherwise {@code message} (herdctl's wording where it has one). */
    static Rule matching(String regex, String message) {
        Pattern pattern = Pattern.compile(regex);
        return (n, p, f) -> f.string(n, p).filter(s -> {
            if (!pattern.matcher(s).matches()) {
                f.problems().error(n.pos(), p, message + " (got \"" + s + "\")");
                return false;
            }
            return true;
        }).map(s -> s);
    }

    /** A string that passes {@code check}, which returns an error message or null. */
    static Rule stringWhere(Function<String, String> check) {
        return (n, p, f) -> f.string(n, p).filter(s -> {
            String error = check.apply(s);
            if (error != null) {
                f.problems().error(n.pos(), p, error);
                return false;
            }
            return true;
        }).map(s -> s);
    }

    /** A string that {@code parse} accepts; its IllegalArgumentException's message is the error. */
    static Rule parsedBy(java.util.function.Consumer<String> parse) {
        return stringWhere(s -> {
            try {
                parse.accept(s);
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
    }

    static Rule url() {
        return stringWhere(s -> {
            try {
                java.net.URI uri = new java.net.URI(s);
                return uri.getScheme() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                        && uri.getHost() != null ? null : "expected an http(s) URL, got \"" + s + "\"";
            } catch (java.net.URISyntaxException e) {
                return "expected an http(s) URL, got \"" + s + "\": " + e.getReason();
            }
        });
    }

    // ---- collections ----------------------------------------------------------------------------

    static Rule list(Rule item) {
        return (n, p, f) -> f.list(n, p).map(l -> {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < l.items().size(); i++) {
                item.check(l.items().get(i), Paths.index(p, i), f).ifPresent(out::add);
            }
            return out;
        });
    }

    static Rule stringList() {
        return list(string());
    }

    /** A mapping from any key to values of one rule (herdctl's {@code record<string, T>}). */
    static Rule mapOf(Rule value) {
        return (n, p, f) -> f.map(n, p).map(m -> {
            Map<String, Object> out = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> value.check(e.value(), Paths.child(p, k), f).ifPresent(v -> out.put(k, v)));
            return out;
        });
    }

    static Rule stringMap() {
        return (n, p, f) -> f.stringMap(n, p).map(m -> m);
    }

    /** Either a string or a mapping, each checked by its own rule. */
    static Rule stringOr(Rule whenString, Rule whenMapping) {
        return (n, p, f) -> {
            if (n instanceof YamlTree.MapNode) {
                return whenMapping.check(n, p, f);
            }
            if (n instanceof YamlTree.Scalar s && s.type() == YamlTree.ScalarType.STRING) {
                return whenString.check(n, p, f);
            }
            if (Fields.isNull(n)) {
                return Optional.empty();
            }
            f.problems().error(n.pos(), p, "expected a string or a mapping, got " + Fields.describe(n));
            return Optional.empty();
        };
    }

}
