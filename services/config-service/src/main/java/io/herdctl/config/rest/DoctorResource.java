package io.herdctl.config.rest;

import java.time.Duration;
import java.time.Instant;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.herdctl.config.doctor.Doctor;
import io.herdctl.config.doctor.DoctorReport;
import io.herdctl.config.fleet.FleetLoader;
import io.herdctl.config.service.FleetSettings;
import io.smallrye.common.annotation.Blocking;

/**
 * {@code herdctl doctor} on the fleet this service watches, for the dashboard's
 * agent pages: {@code GET /api/doctor} is the report {@code ./herdctl doctor --json}
 * prints (camelCase), {@code ?agent=NAME} keeps that agent's findings and the
 * fleet-wide ones. The files are read again at most every {@value #FRESH_SECONDS} s.
 */
@Path("/api/doctor")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class DoctorResource {

    static final long FRESH_SECONDS = 10;

    private final FleetSettings settings;
    private final Doctor doctor = Doctor.forThisMachine();
    private DoctorReport last;
    private Instant taken = Instant.EPOCH;

    public DoctorResource(FleetSettings settings) {
        this.settings = settings;
    }

    /** The report, with when it was taken. */
    public record Answer(Instant takenAt, DoctorReport report) {
    }

    @GET
    public Answer report(@QueryParam("agent") String agent) {
        Answer whole = current();
        if (agent == null || agent.isBlank()) {
            return whole;
        }
        return new Answer(whole.takenAt(), whole.report().forAgent(agent));
    }

    private synchronized Answer current() {
        Instant now = Instant.now();
        if (last == null || Duration.between(taken, now).getSeconds() >= FRESH_SECONDS) {
            last = doctor.examine(new FleetLoader(System.getenv()).loadWithOrigins(settings.path()));
            taken = now;
        }
        return new Answer(taken, last);
    }
}
