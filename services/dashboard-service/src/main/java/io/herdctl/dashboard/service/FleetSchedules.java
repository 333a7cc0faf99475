package io.herdctl.dashboard.service;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herdctl.dashboard.client.ScheduleClient;

/**
 * The schedules as scheduler-service plans them (next and last fire, why a slot
 * waits), for the pages. Read at most every {@link #FRESH} and shared by the
 * requests in between, so a busy page does not hammer the scheduler.
 */
@ApplicationScoped
public class FleetSchedules {

    static final Duration FRESH = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScheduleClient client;
    private volatile Snapshot last;

    public FleetSchedules(@RestClient ScheduleClient client) {
        this.client = client;
    }

    /** One schedule's plan, as text for a page. */
    public record Plan(boolean enabled, String next, String last, String note) {
    }

    /** The plans by "agent/schedule", or why there are none. */
    public record Snapshot(Instant taken, Map<String, Plan> plans, String error) {

        public Plan of(String agent, String schedule) {
            return plans.get(agent + "/" + schedule);
        }
    }

    public Snapshot snapshot() {
        Snapshot s = last;
        if (s != null && s.taken().plus(FRESH).isAfter(Instant.now())) {
            return s;
        }
        s = read();
        last = s;
        return s;
    }

    private Snapshot read() {
        try (Response r = client.list()) {
            Map<String, Plan> plans = new HashMap<>();
            for (JsonNode v : JSON.readTree(r.readEntity(String.class))) {
                String waiting = v.path("waiting").asText(null);
                String skip = v.path("lastSkip").asText(null);
                plans.put(v.path("agent").asText() + "/" + v.path("schedule").asText(), new Plan(
                        v.path("enabled").asBoolean(true) && v.path("enabledAtRuntime").asBoolean(true),
                        v.hasNonNull("nextFireLocal") ? v.path("nextFireLocal").asText()
                                : v.hasNonNull("nextFire") ? v.path("nextFire").asText() : "",
                        v.path("lastFire").asText(""), waiting != null ? waiting : skip));
            }
            return new Snapshot(Instant.now(), Map.copyOf(plans), null);
        } catch (WebApplicationException e) {
            return new Snapshot(Instant.now(), Map.of(), "scheduler-service answered HTTP "
                    + e.getResponse().getStatus() + "; next fire times are not shown");
        } catch (ProcessingException | java.io.IOException e) {
            return new Snapshot(Instant.now(), Map.of(), "scheduler-service did not answer; next fire times are not"
                    + " shown");
        }
    }
}
