package io.herdctl.dashboard.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** config-service's doctor: the security checklist for the fleet it watches. */
@RegisterRestClient(configKey = "config")
@Path("/api/doctor")
public interface ConfigClient {

    /** The report for one agent: its own findings and the fleet-wide ones. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Response doctor(@QueryParam("agent") String agent);
}
