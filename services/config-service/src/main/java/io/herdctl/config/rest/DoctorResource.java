package io.herdctl.config.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.herdctl.config.doctor.Doctor;
import io.herdctl.config.doctor.DoctorReport;
import io.herdctl.config.doctor.Finding;
import io.herdctl.config.doctor.Severity;
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
        DoctorReport r = whole.report();
        List<Finding> kept = r.findings().stream().filter(f -> f.agent() == null || f.agent().equals(agent)).toList();
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (Severity s : Severity.values()) {
            counts.put(s.wire(), (int) kept.stream().filter(f -> f.severity() == s).count());
        }
        Severity worst = kept.stream().map(Finding::severity).max(java.util.Comparator.naturalOrder())
                .orElse(Severity.OK);
        return new Answer(whole.takenAt(), new DoctorReport(r.fleet(), r.config(), r.loaded(), worst,
                r.loaded() ? worst.exitCode() : r.exitCode(), counts, r.errors(), r.warnings(), kept));
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
