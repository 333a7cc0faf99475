package io.herdctl.config.fleet;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * herdctl's merge: mappings merge key by key, recursively; lists and scalars in
 * the override replace the base; an explicit null in the override replaces too.
 * Inputs are never changed.
 */
final class DeepMerge {

    private DeepMerge() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            Object current = out.get(key);
            if (current instanceof Map<?, ?> a && value instanceof Map<?, ?> b) {
                out.put(key, merge((Map<String, Object>) a, (Map<String, Object>) b));
            } else {
                out.put(key, value);
            }
        });
        return out;
    }
}
