package io.herdctl.audit.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import io.herdctl.events.JobIds;

/** Query parameters read strictly: a bad value is a 400 that names the parameter and what it accepts. */
final class Params {

    private Params() {
    }

    static int range(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiError.badRequest(name + " must be a whole number from " + min + " to " + max + ", was \"" + value + "\"");
    }

    /** An ISO instant ({@code 2026-11-29T10:00:00Z}) or a date ({@code 2026-11-29}, midnight UTC). */
    static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(name + " must be an ISO time such as 2026-11-29T10:00:00Z or a date such as"
                    + " 2026-11-29, was \"" + value + "\"");
        }
    }

    static String jobId(String value) {
        if (!JobIds.isValid(value)) {
            throw ApiError.badRequest("\"" + value + "\" is not a herdctl job id; " + JobIds.FORMAT_MESSAGE);
        }
        return value;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
