package io.herdctl.events;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a job ended; herdctl's {@code exit_reason} values. */
public enum ExitReason {
    SUCCESS, ERROR, TIMEOUT, CANCELLED, MAX_TURNS;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ExitReason fromWire(String value) {
        return Wire.parse(ExitReason.class, value);
    }
}
