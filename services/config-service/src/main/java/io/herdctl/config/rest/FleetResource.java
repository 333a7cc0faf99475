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

/** The fleet as config-service sees it: the accepted revision, the last evaluated one, and their history. */
@Path("/api/fleet")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class FleetResource {

    private final FleetService fleet;

    public FleetResource(FleetService fleet) {
        this.fleet = fleet;
    }

    /** One evaluated revision. */
    public record RevisionView(String fleet, String revision, boolean accepted, String configPath, List<String> agents,
            List<ConfigProblem> errors, List<ConfigProblem> warnings) {

        static RevisionView of(LoadedFleet f) {
            return new RevisionView(f.name(), f.revision(), f.accepted(),
                    f.configFile() == null ? null : f.configFile().toString(),
                    f.agents().stream().map(AgentSpec::qualifiedName).toList(), f.errors(), f.warnings());
        }
    }

    /** The fleet now: what is in force ({@code accepted}) and what was last tried ({@code evaluated}). */
    public record FleetView(RevisionView accepted, RevisionView evaluated) {
    }

    @GET
    public FleetView current() {
        return new FleetView(fleet.lastAccepted().map(RevisionView::of).orElse(null),
                fleet.lastEvaluated().map(RevisionView::of).orElse(null));
    }

    @GET
    @Path("/agents")
    public List<AgentSpec> agents() {
        return fleet.lastAccepted().map(LoadedFleet::agents).orElse(List.of());
    }

    @GET
    @Path("/agents/{name}")
    public AgentSpec agent(@PathParam("name") String name) {
        return agents().stream().filter(a -> a.qualifiedName().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("no agent named '" + name + "' in the accepted fleet"));
    }

    /** Revisions evaluated since this service started, newest first. */
    @GET
    @Path("/revisions")
    public List<RevisionView> revisions() {
        return fleet.history().stream().map(RevisionView::of).toList();
    }

    /** Loads the files now; 200 with the revision when accepted, 422 with its errors when rejected. */
    @POST
    @Path("/reload")
    public Response reload() {
        LoadedFleet f = fleet.reload();
        return Response.status(f.accepted() ? 200 : 422).entity(RevisionView.of(f)).build();
    }
}
