package io.herdctl.config.fleet;

/**
 * Where one field of a loaded fleet was written: the file (relative to the fleet
 * directory, as in {@link io.herdctl.events.ConfigProblem}), the line and column
 * of its key, and its path as written in that file, which after merging is often
 * not the agent's own ({@code defaults.docker.network} in {@code herdctl.yaml}).
 *
 * @param written   the scalar as it stands in the file, before {@code ${VAR}} substitution; null for a
 *                  mapping or a list, and for a place where the field is not set
 * @param value     the value after substitution (plain Java values); null where the field is not set
 * @param inherited whether it came from fleet defaults (a {@code defaults:} block or a sub-fleet's
 *                  {@code overrides.defaults}) rather than from the agent's file or its overrides
 */
public record FieldOrigin(String file, Integer line, Integer column, String path, String written, Object value,
        boolean inherited) {

    /** {@code file:line}, or the file alone. */
    public String location() {
        return line == null ? file : file + ":" + line;
    }
}
