package io.herdctl.config.doctor;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How much a finding matters, lowest first. {@link #OK} marks a check that passed:
 * it is reported so that a clean report still shows what was looked at.
 */
public enum Severity {
    OK, INFO, LOW, MEDIUM, HIGH, CRITICAL;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** 0 for nothing worse than info, 1 for low or medium, 2 for high or critical. */
    public int exitCode() {
        return compareTo(HIGH) >= 0 ? 2 : compareTo(LOW) >= 0 ? 1 : 0;
    }
}
