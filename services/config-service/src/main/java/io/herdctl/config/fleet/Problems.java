package io.herdctl.config.fleet;

import java.util.ArrayList;
import java.util.List;

import io.herdctl.events.ConfigProblem;

/** Collects every error and warning of one load, so the user sees them all at once. */
final class Problems {

    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    void error(YamlTree.Pos pos, String path, String message) {
        errors.add(problem(pos, path, message));
    }

    void error(String file, String path, String message) {
        errors.add(new ConfigProblem(file, null, null, path, message));
    }

    void warning(YamlTree.Pos pos, String path, String message) {
        warnings.add(problem(pos, path, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    int errorCount() {
        return errors.size();
    }

    List<ConfigProblem> errors() {
        return List.copyOf(errors);
    }

    List<ConfigProblem> warnings() {
        return List.copyOf(warnings);
    }

    private static ConfigProblem problem(YamlTree.Pos pos, String path, String message) {
        return pos == null
                ? new ConfigProblem(null, null, null, path, message)
                : new ConfigProblem(pos.file(), pos.line(), pos.column(), path, message);
    }
}
