package io.herdctl.config.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.herdctl.config.fleet.LoadedFleet;
import io.herdctl.config.service.FleetService;
import io.herdctl.events.AgentSpec;
import io.herdctl.events.ConfigProblem;
import io.smallrye.common.annotation.Blocking;

/** The fleet as config-service sees it: the last evaluated and last accepted revisions. */
@Path("/api/config")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ConfigResource {

    private final FleetService fleet;

    public ConfigResource(FleetService fleet) {
        this.fleet = fleet;
    }

    /** Summary of one evaluated revision. */
    public record RevisionView(String fleet, String revision, boolean accepted, String configPath, List<String> agents,
            List<ConfigProblem> errors, List<ConfigProblem> warnings) {

        static RevisionView of(LoadedFleet f) {
            return new RevisionView(f.name(), f.revision(), f.accepted(),
                    f.configFile() == null ? null : f.configFile().toString(),
                    f.agents().stream().map(AgentSpec::qualifiedName).toList(), f.errors(), f.warnings());
        }
    }

    public record ConfigView(RevisionView evaluated, RevisionView accepted) {
    }

    @GET
    public ConfigView current() {
        return new ConfigView(fleet.lastEvaluated().map(RevisionView::of).orElse(null),
                fleet.lastAccepted().map(RevisionView::of).orElse(null));
    }

    @GET
    @Path("/agents/{name}")
    public AgentSpec agent(@PathParam("name") String name) {
        return fleet.lastAccepted().stream().flatMap(f -> f.agents().stream())
                .filter(a -> a.qualifiedName().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("no agent named '" + name + "' in the accepted fleet"));
    }

    /** Loads the files now; 200 with the revision when accepted, 422 with its errors when rejected. */
    @POST
    @Path("/reload")
    public Response reload() {
        LoadedFleet f = fleet.reload();
        return Response.status(f.accepted() ? 200 : 422).entity(RevisionView.of(f)).build();
    }
}
