package io.herdctl.config.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.herdctl.events.SecretReferences;

/**
 * herdctl's {@code ${VAR}} and {@code ${VAR:-default}} substitution, applied to
 * every string of a document in one pass (no recursion, no escapes). An empty
 * value in the environment is used as is; an undefined variable without a
 * default is an error at the scalar's position.
 *
 * <p>Strings under a secret path (the docker {@code env} values) are left as
 * written, and so is any reference to a secret-named variable anywhere: they
 * would otherwise carry secrets onto the agents topic. The runner resolves them
 * when it starts a container.
 */
final class Interpolator {

    static final Pattern VARIABLE = SecretReferences.REFERENCE;

    private final Map<String, String> env;
    private final Predicate<String> deferredPath;

    Interpolator(Map<String, String> env, Predicate<String> deferredPath) {
        this.env = env;
        this.deferredPath = deferredPath;
    }

    YamlTree.Node apply(YamlTree.Node node, String path, Problems problems) {
        if (node instanceof YamlTree.MapNode map) {
            Map<String, YamlTree.Entry> entries = new LinkedHashMap<>();
            map.entries().forEach((key, e) -> entries.put(key,
                    new YamlTree.Entry(key, e.keyPos(), apply(e.value(), Paths.child(path, key), problems))));
            return new YamlTree.MapNode(map.pos(), entries);
        }
        if (node instanceof YamlTree.ListNode list) {
            List<YamlTree.Node> items = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                items.add(apply(list.items().get(i), Paths.index(path, i), problems));
            }
            return new YamlTree.ListNode(list.pos(), items);
        }
        YamlTree.Scalar scalar = (YamlTree.Scalar) node;
        if (scalar.type() != YamlTree.ScalarType.STRING || !scalar.text().contains("${")) {
            return scalar;
        }
        if (deferredPath.test(path)) {
            checkDeferred(scalar, path, problems);
            return scalar;
        }
        return scalar.withText(substitute(scalar, path, problems));
    }

    private String substitute(YamlTree.Scalar scalar, String path, Problems problems) {
        Matcher m = VARIABLE.matcher(scalar.text());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (SecretReferences.isSecretName(name)) {
                // Left as written: the runner resolves it when the job starts, so the value never travels on a topic.
                problems.warning(scalar.pos(), path, "'" + name + "' looks like a secret: it stays ${" + name + "} in the "
                        + "agent's spec and is resolved by the runner when the job starts; it is never published in clear");
                m.appendReplacement(out, Matcher.quoteReplacement(m.group()));
                continue;
            }
            String value = env.get(name);
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                problems.error(scalar.pos(), path,
                        "Undefined environment variable '" + name + "' at '" + path + "' (no default provided)");
                value = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void checkDeferred(YamlTree.Scalar scalar, String path, Problems problems) {
        Matcher m = VARIABLE.matcher(scalar.text());
        while (m.find()) {
            if (m.group(2) == null && !env.containsKey(m.group(1))) {
                problems.warning(scalar.pos(), path, "environment variable '" + m.group(1)
                        + "' is not set here; the runner must have it when the job starts, or the job fails");
            }
        }
    }
}
