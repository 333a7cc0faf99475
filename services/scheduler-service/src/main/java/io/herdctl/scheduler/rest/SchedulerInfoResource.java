package io.herdctl.scheduler.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.herdctl.scheduler.messaging.Leadership;
import io.herdctl.scheduler.messaging.ScheduleStore;

/** This scheduler instance: whether it leads (fires schedules) and whether its schedule state is loaded. */
@Path("/api/scheduler")
@Produces(MediaType.APPLICATION_JSON)
public class SchedulerInfoResource {

    public record Info(String instance, boolean leader, boolean stateLoaded) {
    }

    private final Leadership leadership;
    private final ScheduleStore store;

    public SchedulerInfoResource(Leadership leadership, ScheduleStore store) {
        this.leadership = leadership;
        this.store = store;
    }

    @GET
    public Info info() {
        return new Info(leadership.instance(), leadership.isLeader(), store.isLoaded());
    }
}
