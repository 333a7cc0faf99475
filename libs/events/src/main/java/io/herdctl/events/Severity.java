package io.herdctl.events;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Alert severity, in the order a SIEM ranks them. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Severity fromWire(String value) {
        return Wire.parse(Severity.class, value);
    }
}
