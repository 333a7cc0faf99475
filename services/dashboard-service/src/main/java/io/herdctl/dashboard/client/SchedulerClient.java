package io.herdctl.dashboard.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** scheduler-service's trigger API; the scheduler owns job ids and capacity. */
@RegisterRestClient(configKey = "scheduler")
@Path("/api/agents")
public interface SchedulerClient {

    record TriggerRequest(String prompt) {
    }

    @POST
    @Path("/{name}/trigger")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response trigger(@PathParam("name") String name, TriggerRequest request);
}
