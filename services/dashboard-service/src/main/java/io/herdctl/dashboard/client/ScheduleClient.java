package io.herdctl.dashboard.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** scheduler-service's schedule API: the schedules with their next fire, and switching one on or off. */
@RegisterRestClient(configKey = "scheduler")
@RegisterProvider(ServiceTokenHeader.class)
@Path("/api/schedules")
public interface ScheduleClient {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Response list();

    /** {@code action}: {@code enable} or {@code disable}. */
    @POST
    @Path("/{agent}/{schedule}/{action}")
    @Produces(MediaType.APPLICATION_JSON)
    Response set(@PathParam("agent") String agent, @PathParam("schedule") String schedule,
            @PathParam("action") String action);
}
