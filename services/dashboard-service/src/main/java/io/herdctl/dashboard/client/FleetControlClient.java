package io.herdctl.dashboard.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** scheduler-service's kill switch: its state, and stopping or resuming the fleet. */
@RegisterRestClient(configKey = "scheduler")
@RegisterProvider(ServiceTokenHeader.class)
@Path("/api/fleet")
public interface FleetControlClient {

    /** Who switches and why; the dashboard fills {@code requestedBy} from the signed-in user. */
    record Change(String requestedBy, String reason) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Response state();

    /** {@code action}: {@code stop} or {@code resume}. */
    @POST
    @Path("/{action}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response change(@jakarta.ws.rs.PathParam("action") String action, Change change);
}
