package io.herdctl.config.doctor;

import io.herdctl.config.fleet.FieldOrigin;

/**
 * One result of one check.
 *
 * @param agent   the qualified agent name, or null for the fleet as a whole
 * @param file    relative to the fleet directory, as the loader's errors name files; null when no file applies
 * @param line    1-based, or null when the finding is about a whole file
 * @param field   the field path as written in {@code file} ({@code defaults.docker.network}), or where it would
 *                be written when it is not set
 * @param message what was found and why it matters
 * @param fix     what to change; null when nothing needs to
 */
public record Finding(String id, Severity severity, String agent, String file, Integer line, Integer column,
        String field, String message, String fix) {

    static Finding at(String id, Severity severity, String agent, FieldOrigin where, String message, String fix) {
        return new Finding(id, severity, agent, where.file(), where.line(), where.column(), where.path(), message, fix);
    }

    /** {@code file:line}, the file alone, or nothing. */
    public String location() {
        return file == null ? "" : line == null ? file : file + ":" + line;
    }
}
