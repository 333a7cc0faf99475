package io.herdctl.events;

/** Checks used by the records' constructors, so a record that lacks a required field cannot exist. */
final class Required {

    private Required() {
    }

    static <T> T field(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("missing required field '" + name + "'");
        }
        if (value instanceof String s && s.isBlank()) {
            throw new IllegalArgumentException("required field '" + name + "' is empty");
        }
        return value;
    }

    static void version(int schemaVersion, int supported, String type) {
        if (schemaVersion != supported) {
            throw new IllegalArgumentException(type + " schemaVersion " + schemaVersion
                    + " is not supported (this build reads version " + supported + ")");
        }
    }
}
