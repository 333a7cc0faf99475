package io.herdctl.scheduler.rest;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.events.JobRequested;

/**
 * The manual trigger's optional {@code resume}: {@code true} continues the
 * agent's latest session, {@code false} or absent starts a fresh one, a string
 * names the session to continue. A session id travels to the runner and becomes
 * an argument of the {@code claude} command there, so it is held to a short,
 * plain form here, before anything is published: letters, digits, '.', '_' and
 * '-', starting with a letter or digit (so it can never read as an option or a
 * relative path).
 */
final class ResumeField {

    static final String NAME = "resume";
    static final int MAX_SESSION_ID_LENGTH = 200;

    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private ResumeField() {
    }

    /** The {@link JobRequested#resume()} value for the body's field; throws, saying what is wrong, when it is invalid. */
    static String parse(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? JobRequested.RESUME_LAST : null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("\"" + NAME + "\" must be true, false or a session id string, not "
                    + value.getNodeType().name().toLowerCase());
        }
        String sessionId = value.textValue();
        if (sessionId.isBlank()) {
            throw new IllegalArgumentException("\"" + NAME + "\" must not be blank: give a session id, or true for the "
                    + "agent's latest session");
        }
        if (sessionId.length() > MAX_SESSION_ID_LENGTH) {
            throw new IllegalArgumentException("\"" + NAME + "\" is " + sessionId.length() + " characters long; a session id "
                    + "has at most " + MAX_SESSION_ID_LENGTH);
        }
        if (!SESSION_ID.matcher(sessionId).matches()) {
            throw new IllegalArgumentException("\"" + NAME + "\" may only contain letters, digits, '.', '_' and '-', "
                    + "starting with a letter or digit");
        }
        return sessionId;
    }
}
