package io.herdctl.dashboard.service;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herdctl.dashboard.client.FleetControlClient;
import io.herdctl.dashboard.rest.ApiErrors;

/**
 * The fleet's kill switch as the dashboard sees and flips it, through
 * scheduler-service, which owns it. Who flipped it is the signed-in user.
 */
@ApplicationScoped
public class KillSwitch {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FleetControlClient scheduler;

    public KillSwitch(@RestClient FleetControlClient scheduler) {
        this.scheduler = scheduler;
    }

    /** The switch; {@code error} says why it is unknown (the scheduler did not answer). */
    public record State(boolean known, boolean stopped, String changedBy, String reason, String changedAt,
            String lastStop, List<String> activeJobs, String error) {
    }

    /** The outcome of a flip: the new state, or the scheduler's refusal in words with its status. */
    public record Outcome(int status, State state, String message) {
    }

    public State state() {
        try (Response r = scheduler.state()) {
            return parse(r.readEntity(String.class));
        } catch (WebApplicationException e) {
            return unknown("scheduler-service answered " + e.getResponse().getStatus());
        } catch (ProcessingException e) {
            return unknown("scheduler-service did not answer; the kill switch's state is unknown");
        }
    }

    /** {@code stop} or {@code resume}, recorded as done by {@code actor}. */
    public Outcome change(String action, String actor, String reason) {
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        try (Response r = scheduler.change(action, new FleetControlClient.Change(actor, why))) {
            return new Outcome(r.getStatus(), parse(r.readEntity(String.class)), null);
        } catch (WebApplicationException e) {
            Response r = e.getResponse();
            return new Outcome(r.getStatus(), null, ApiErrors.messageOf(r,
                    "scheduler-service refused (HTTP " + r.getStatus() + ")"));
        } catch (ProcessingException e) {
            return new Outcome(503, null, "scheduler-service did not answer; nothing was changed");
        }
    }

    private static State parse(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            List<String> active = new ArrayList<>();
            n.path("activeJobs").forEach(j -> active.add(j.asText()));
            return new State(true, n.path("stopped").asBoolean(), text(n, "changedBy"), text(n, "reason"),
                    text(n, "changedAt"), text(n, "lastStop"), active, null);
        } catch (java.io.IOException e) {
            return unknown("scheduler-service sent an answer that is not JSON");
        }
    }

    private static String text(JsonNode n, String field) {
        return n.path(field).isTextual() ? n.path(field).asText() : null;
    }

    private static State unknown(String why) {
        return new State(false, false, null, null, null, null, List.of(), why);
    }
}
