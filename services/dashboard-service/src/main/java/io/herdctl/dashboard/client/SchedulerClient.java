package io.herdctl.dashboard.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.JsonNode;

/** scheduler-service's trigger API; the scheduler owns job ids and capacity. */
@RegisterRestClient(configKey = "scheduler")
@RegisterProvider(ServiceTokenHeader.class)
@Path("/api/agents")
public interface SchedulerClient {

    /**
     * {@code resume} is passed on as given (true, false, a session id, or
     * absent); scheduler-service checks it and answers 400 when it is malformed.
     */
    record TriggerRequest(String prompt, @JsonAlias("scheduleName") String schedule, JsonNode resume) {
    }

    @POST
    @Path("/{name}/trigger")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response trigger(@PathParam("name") String name, TriggerRequest request);
}
