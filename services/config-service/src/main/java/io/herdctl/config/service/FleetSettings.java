package io.herdctl.config.service;

import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the fleet lives and how often to look for edits. */
@ConfigMapping(prefix = "herdctl.fleet")
public interface FleetSettings {

    /** The fleet file, or a directory searched upwards for herdctl.yaml / herdctl.yml. */
    @WithDefault(".")
    Path path();

    /** How often the fleet files are checked for changes (size and modification time), as a safety net. */
    @WithDefault("2s")
    Duration pollInterval();

    /** After a file system event, how long to wait for the writes to settle before loading. */
    @WithDefault("100ms")
    Duration debounce();
}
