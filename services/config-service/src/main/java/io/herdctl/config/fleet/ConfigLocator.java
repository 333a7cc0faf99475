package io.herdctl.config.fleet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * herdctl's config discovery: a path ending in .yaml/.yml is the fleet file;
 * otherwise it is a directory searched upwards for herdctl.yaml, then herdctl.yml.
 */
final class ConfigLocator {

    private ConfigLocator() {
    }

    static Optional<Path> locate(Path location) {
        String name = location.getFileName() == null ? "" : location.getFileName().toString();
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return Files.isRegularFile(location) ? Optional.of(location) : Optional.empty();
        }
        for (Path dir = location.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Optional<Path> found = inDirectory(dir);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** herdctl.yaml, else herdctl.yml, in exactly this directory. */
    static Optional<Path> inDirectory(Path dir) {
        for (String candidate : new String[] {"herdctl.yaml", "herdctl.yml"}) {
            Path file = dir.resolve(candidate);
            if (Files.isRegularFile(file)) {
                return Optional.of(file);
            }
        }
        return Optional.empty();
    }

    static String notFoundMessage(Path location) {
        String name = location.getFileName() == null ? "" : location.getFileName().toString();
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return "Configuration file not found: " + location.toAbsolutePath();
        }
        return "No herdctl configuration file found. Searched from '" + location.toAbsolutePath()
                + "' up to filesystem root. Create a herdctl.yaml file to get started.";
    }
}
