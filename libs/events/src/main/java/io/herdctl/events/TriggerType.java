package io.herdctl.events;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What started a job; herdctl's {@code trigger_type} values. */
public enum TriggerType {
    MANUAL, SCHEDULE, WEBHOOK, CHAT, WEB, FORK;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TriggerType fromWire(String value) {
        return Wire.parse(TriggerType.class, value);
    }
}
