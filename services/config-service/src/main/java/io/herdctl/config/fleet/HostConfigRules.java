package io.herdctl.config.fleet;

import io.herdctl.events.HostConfigPolicy;

/** Checks a fleet's raw {@code host_config} against {@link HostConfigPolicy}, with positions and suggestions. */
final class HostConfigRules {

    private HostConfigRules() {
    }

    static void check(YamlTree.MapNode hostConfig, String path, Fields f) {
        hostConfig.entries().forEach((key, e) -> {
            String p = Paths.child(path, key);
            String reason = HostConfigPolicy.refusedBecause(key);
            if (reason != null) {
                f.problems().error(e.keyPos(), p, "host_config." + key + " is refused: " + reason);
            } else if (!HostConfigPolicy.ALLOWED.contains(key)) {
                f.problems().error(e.keyPos(), p, "host_config." + key + " is not allowed"
                        + Fields.didYouMean(key, HostConfigPolicy.ALLOWED)
                        + " (allowed: " + String.join(", ", HostConfigPolicy.ALLOWED) + ")");
            }
        });
    }
}
