package io.herdctl.events;

import java.time.Instant;

/**
 * Value of {@link Topics#SCHEDULES}, keyed by {@code <agent>/<schedule>}: where
 * one schedule stands, so a scheduler that restarts (or takes over) neither
 * fires a slot twice nor forgets one. {@code lastSlot} is the last slot fired
 * (its job {@code lastJobId}), {@code nextSlot} the one due next;
 * {@code enabled} is a runtime switch (null: as the fleet file says);
 * {@code lastSkip} says why the last due slot did not fire, if it did not.
 */
public record ScheduleState(
        String eventId,
        Instant time,
        int schemaVersion,
        String agent,
        String schedule,
        Instant lastSlot,
        String lastJobId,
        Instant nextSlot,
        Boolean enabled,
        String lastSkip) {

    public static final int SCHEMA_VERSION = 1;

    public ScheduleState {
        Required.field(eventId, "eventId");
        Required.field(time, "time");
        Required.version(schemaVersion, SCHEMA_VERSION, "ScheduleState");
        Required.field(agent, "agent");
        Required.field(schedule, "schedule");
    }

    public static String key(String agent, String schedule) {
        return agent + "/" + schedule;
    }

    public String key() {
        return key(agent, schedule);
    }
}
