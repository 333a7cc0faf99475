package io.herdctl.events;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The container stream a line came from. */
public enum OutputStream {
    STDOUT, STDERR;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static OutputStream fromWire(String value) {
        return Wire.parse(OutputStream.class, value);
    }
}
