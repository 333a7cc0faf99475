package io.herdctl.events;

/**
 * One error or warning found while loading a fleet: where (file, 1-based line and
 * column when known, the field path such as {@code docker.network}) and what.
 */
public record ConfigProblem(String file, Integer line, Integer column, String path, String message) {

    public ConfigProblem {
        Required.field(message, "message");
    }

    /** The form people read: {@code agents/a.yaml:4:3: docker.network: message}. */
    @Override
    public String toString() {
        StringBuilder where = new StringBuilder(file == null ? "<fleet>" : file);
        if (line != null) {
            where.append(':').append(line);
            if (column != null) {
                where.append(':').append(column);
            }
        }
        return where + ": " + (path == null || path.isEmpty() ? "" : path + ": ") + message;
    }
}
