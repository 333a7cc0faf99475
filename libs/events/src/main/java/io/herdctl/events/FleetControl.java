package io.herdctl.events;

import java.time.Instant;

/**
 * Value of {@link Topics#FLEET_CONTROL}, under the single key {@link #KEY}: the
 * fleet's kill switch. While {@code stopped}, no schedule fires, no trigger is
 * taken, and every runner cancels the jobs it holds and refuses any job it is
 * handed. {@code changedBy} and {@code reason} say who flipped it and why, at
 * {@code time}. {@code lastStop} is when the fleet was last stopped, kept after a
 * resume: a job requested before it was stopped stays cancelled, so resuming
 * starts nothing that was queued during the incident.
 */
public record FleetControl(
        String eventId,
        Instant time,
        int schemaVersion,
        boolean stopped,
        String changedBy,
        String reason,
        Instant lastStop) {

    public static final int SCHEMA_VERSION = 1;
    /** The topic's only key: there is one fleet per broker. */
    public static final String KEY = "fleet";

    public FleetControl {
        Required.field(eventId, "eventId");
        Required.field(time, "time");
        Required.version(schemaVersion, SCHEMA_VERSION, "FleetControl");
        Required.field(changedBy, "changedBy");
        if (stopped && lastStop == null) {
            lastStop = time;
        }
    }

    /** The kill switch engaged now by {@code by}. */
    public static FleetControl stop(Instant now, String by, String reason) {
        return new FleetControl(EventIds.random(), now, SCHEMA_VERSION, true, by, reason, now);
    }

    /** Schedules and triggers back on, by {@code by}; the stop before stays on record. */
    public FleetControl resume(Instant now, String by, String why) {
        return new FleetControl(EventIds.random(), now, SCHEMA_VERSION, false, by, why, lastStop);
    }

    /**
     * Whether a job requested at {@code requested} must not run: the fleet is
     * stopped, or was stopped after the job was requested.
     */
    public boolean holdsBack(Instant requested) {
        return stopped || (lastStop != null && requested != null && requested.isBefore(lastStop));
    }

    /** Why a job requested at {@code requested} is held back, for its error; see {@link #holdsBack}. */
    public String whyHeldBack(Instant requested) {
        if (stopped) {
            return "the fleet is stopped (by " + changedBy + " at " + time
                    + (reason == null || reason.isBlank() ? "" : ": " + reason) + ")";
        }
        return "it was requested at " + requested + ", before the fleet was stopped at " + lastStop;
    }
}
