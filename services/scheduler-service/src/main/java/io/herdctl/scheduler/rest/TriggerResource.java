package io.herdctl.scheduler.rest;

import java.time.Instant;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.scheduler.service.TriggerService;
import io.smallrye.common.annotation.Blocking;

/**
 * herdctl's manual trigger; runs the job asynchronously and answers with its id.
 * {@code resume} is checked before anything else, so a bad one never takes a slot.
 */
@Path("/api/agents/{name}/trigger")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class TriggerResource {

    private final TriggerService triggers;

    public TriggerResource(TriggerService triggers) {
        this.triggers = triggers;
    }

    /** {@code resume} is a JSON boolean or string, see {@link ResumeField}. */
    public record TriggerRequest(String prompt, String schedule, JsonNode resume) {
    }

    public record TriggerAccepted(String jobId, String agentName, String prompt, String triggerType, String status,
            Instant requestedAt) {
    }

    @POST
    public Response trigger(@PathParam("name") String name, TriggerRequest body) throws Exception {
        String resume;
        try {
            resume = ResumeField.parse(body == null ? null : body.resume());
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, "INVALID_RESUME", e.getMessage(), Map.of("field", ResumeField.NAME));
        }
        TriggerService.Outcome outcome = triggers.trigger(name, body == null ? null : body.schedule(),
                body == null ? null : body.prompt(), resume, io.herdctl.events.TriggerType.MANUAL);
        if (outcome instanceof TriggerService.UnknownSchedule u) {
            return error(Response.Status.NOT_FOUND, "SCHEDULE_NOT_FOUND", "Schedule \"" + u.schedule() + "\" of agent \""
                    + u.agent() + "\" not found", Map.of());
        }
        if (outcome instanceof TriggerService.Accepted a) {
            return Response.accepted(new TriggerAccepted(a.request().jobId(), a.request().agent(), a.request().prompt(),
                    a.request().triggerType().wire(), "pending", a.request().time())).build();
        }
        if (outcome instanceof TriggerService.FleetStopped f) {
            return fleetStopped(f);
        }
        if (outcome instanceof TriggerService.AtCapacity c) {
            return error(Response.Status.CONFLICT, "CONCURRENCY_LIMIT", "Agent \"" + c.name()
                    + "\" has reached its concurrency limit: " + c.running() + "/" + c.limit() + " jobs running",
                    Map.of("running", c.running(), "limit", c.limit()));
        }
        TriggerService.UnknownAgent u = (TriggerService.UnknownAgent) outcome;
        return error(Response.Status.NOT_FOUND, "AGENT_NOT_FOUND", "Agent \"" + u.name() + "\" not found", Map.of());
    }

    /** 409: the kill switch is on; says who stopped the fleet, when, and how to resume it. */
    static Response fleetStopped(TriggerService.FleetStopped f) {
        return error(Response.Status.CONFLICT, "FLEET_STOPPED", "No job is started: " + f.control().whyHeldBack(null)
                + "; resume the fleet first (./herdctl resume)", Map.of("stoppedBy", f.control().changedBy(),
                        "stoppedAt", f.control().time().toString()));
    }

    /** The scheduler's error answer: {@code {"error": {code, message, details}}}. */
    public static Response error(Response.Status status, String code, String message, Map<String, Object> details) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", Map.of("code", code, "message", message, "details", details))).build();
    }
}
