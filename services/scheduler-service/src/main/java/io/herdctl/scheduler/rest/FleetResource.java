package io.herdctl.scheduler.rest;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.herdctl.events.FleetControl;
import io.herdctl.scheduler.domain.JobLedger;
import io.herdctl.scheduler.messaging.ScheduleStore;
import io.smallrye.common.annotation.Blocking;

/**
 * The fleet's kill switch. {@code POST /api/fleet/stop} engages it in one step:
 * once the broker has the record, this scheduler fires nothing and takes no
 * trigger, and every runner cancels the jobs it holds and refuses any it is
 * handed; the record (who, when, why) stays on the compacted topic and
 * audit-service keeps it in the audit trail. {@code POST /api/fleet/resume}
 * turns schedules and triggers back on; cancelled jobs stay cancelled, and
 * requests made before the stop are not run.
 */
@Path("/api/fleet")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class FleetResource {

    private static final Logger LOG = Logger.getLogger(FleetResource.class);
    private static final int MAX_TEXT = 500;

    private final ScheduleStore store;
    private final JobLedger ledger;
    private final Clock clock;

    public FleetResource(ScheduleStore store, JobLedger ledger, Clock clock) {
        this.store = store;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Who is switching, and why; {@code requestedBy} is recorded as given (the caller authenticates it). */
    public record Change(String requestedBy, String reason) {
    }

    /** The switch as it stands, and the jobs not yet over (requested or running) as this scheduler knows them. */
    public record State(boolean stopped, String changedBy, String reason, Instant changedAt, Instant lastStop,
            List<String> activeJobs) {
    }

    @GET
    public State state() {
        FleetControl f = store.fleetControl().orElse(null);
        return f == null ? new State(false, null, null, null, null, ledger.active())
                : new State(f.stopped(), f.changedBy(), f.reason(), f.time(), f.lastStop(), ledger.active());
    }

    @POST
    @Path("stop")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response stop(Change change) throws Exception {
        Response bad = check(change);
        if (bad != null) {
            return bad;
        }
        FleetControl now = FleetControl.stop(next(), change.requestedBy().strip(), reason(change));
        store.put(now).get(30, TimeUnit.SECONDS);
        LOG.warnf("fleet stopped by %s%s: schedules and triggers off, runners cancel every job", now.changedBy(),
                now.reason() == null ? "" : " (" + now.reason() + ")");
        return Response.ok(state()).build();
    }

    @POST
    @Path("resume")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response resume(Change change) throws Exception {
        Response bad = check(change);
        if (bad != null) {
            return bad;
        }
        FleetControl current = store.fleetControl().orElse(null);
        if (current == null || !current.stopped()) {
            return TriggerResource.error(Response.Status.CONFLICT, "FLEET_NOT_STOPPED",
                    "The fleet is not stopped; there is nothing to resume", Map.of());
        }
        FleetControl now = current.resume(next(), change.requestedBy().strip(), reason(change));
        store.put(now).get(30, TimeUnit.SECONDS);
        LOG.warnf("fleet resumed by %s: schedules and triggers on again", now.changedBy());
        return Response.ok(state()).build();
    }

    /**
     * The new record's time: now, but always after the record in force, since every reader keeps the
     * newest by time; a clock behind another scheduler's (or stepped back) must not make a stop ignored.
     */
    private Instant next() {
        Instant now = clock.instant();
        Instant held = store.fleetControl().map(FleetControl::time).orElse(null);
        return held != null && !now.isAfter(held) ? held.plusMillis(1) : now;
    }

    private Response check(Change change) {
        if (change == null || change.requestedBy() == null || change.requestedBy().isBlank()) {
            return TriggerResource.error(Response.Status.BAD_REQUEST, "REQUESTED_BY_MISSING",
                    "Say who is switching: the body needs \"requestedBy\"", Map.of("field", "requestedBy"));
        }
        if (change.requestedBy().length() > MAX_TEXT || (change.reason() != null && change.reason().length() > MAX_TEXT)) {
            return TriggerResource.error(Response.Status.BAD_REQUEST, "TEXT_TOO_LONG",
                    "\"requestedBy\" and \"reason\" are limited to " + MAX_TEXT + " characters", Map.of());
        }
        if (!store.isLoaded()) {
            return TriggerResource.error(Response.Status.SERVICE_UNAVAILABLE, "NOT_READY",
                    "The scheduler is still reading its state; try again in a moment", Map.of());
        }
        return null;
    }

    private static String reason(Change change) {
        return change.reason() == null || change.reason().isBlank() ? null : change.reason().strip();
    }
}
