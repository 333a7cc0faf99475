package io.herdctl.scheduler.rest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.herdctl.events.AgentSpec;
import io.herdctl.scheduler.domain.AgentDirectory;
import io.herdctl.scheduler.service.ScheduleFirer;
import io.smallrye.common.annotation.Blocking;

/**
 * The schedules of the fleet: when each fires next (UTC and on its own wall
 * clock), what fired last, why a slot waits or was skipped; and switching a
 * schedule on or off at runtime, which lasts across restarts.
 */
@Path("/api/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ScheduleResource {

    private static final Duration SAVE_TIMEOUT = Duration.ofSeconds(10);

    private final ScheduleFirer firer;
    private final AgentDirectory agents;

    public ScheduleResource(ScheduleFirer firer, AgentDirectory agents) {
        this.firer = firer;
        this.agents = agents;
    }

    @GET
    public List<ScheduleFirer.View> list() {
        return firer.views();
    }

    @POST
    @Path("{agent}/{schedule}/enable")
    public Response enable(@PathParam("agent") String agent, @PathParam("schedule") String schedule) throws Exception {
        return set(agent, schedule, true);
    }

    @POST
    @Path("{agent}/{schedule}/disable")
    public Response disable(@PathParam("agent") String agent, @PathParam("schedule") String schedule) throws Exception {
        return set(agent, schedule, false);
    }

    private Response set(String agent, String schedule, boolean on) throws Exception {
        AgentSpec spec = agents.find(agent).orElse(null);
        if (spec == null || !spec.schedules().containsKey(schedule)) {
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", Map.of("code", "SCHEDULE_NOT_FOUND", "message",
                            "Schedule \"" + schedule + "\" of agent \"" + agent + "\" not found", "details", Map.of())))
                    .build();
        }
        firer.setEnabled(agent, schedule, on).get(SAVE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return Response.ok(firer.views().stream().filter(v -> v.agent().equals(agent) && v.schedule().equals(schedule))
                .findFirst().orElseThrow()).build();
    }
}
