package io.herdctl.dashboard.web;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.herdctl.dashboard.domain.FleetView;
import io.herdctl.dashboard.security.RequestIdentity;
import io.herdctl.dashboard.service.KillSwitch;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

/**
 * The kill switch's pages. Stopping the fleet takes two steps: the fleet page
 * links here, and this page says what a stop does and asks for a confirmation
 * box (and, optionally, a reason) before the form is sent. Resuming is one form
 * on the fleet page's banner. Both record the signed-in user.
 */
@Path("/fleet")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class FleetControlPage {

    private final KillSwitch killSwitch;
    private final RequestIdentity identity;
    private final FleetView view;

    public FleetControlPage(KillSwitch killSwitch, RequestIdentity identity, FleetView view) {
        this.killSwitch = killSwitch;
        this.identity = identity;
        this.view = view;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance confirm(KillSwitch.State fleet, String reason, String error, int alertCount);
    }

    @GET
    @Path("stop")
    public TemplateInstance confirmStop() {
        return Templates.confirm(killSwitch.state(), "", null, view.alertCount());
    }

    @POST
    @Path("stop")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response stop(@FormParam("reason") String reason, @FormParam("confirm") String confirm,
            @FormParam("_csrf") String csrf) {
        identity.checkCsrf(csrf);
        if (!"yes".equals(confirm)) {
            return Response.status(Response.Status.BAD_REQUEST).entity(Templates.confirm(killSwitch.state(),
                    reason == null ? "" : reason, "Tick the box to confirm: the fleet was not stopped.",
                    view.alertCount())).build();
        }
        KillSwitch.Outcome outcome = killSwitch.change("stop", identity.actor(), reason);
        if (outcome.message() != null) {
            return Response.status(outcome.status()).entity(Templates.confirm(killSwitch.state(),
                    reason == null ? "" : reason, outcome.message(), view.alertCount())).build();
        }
        return Response.seeOther(URI.create("/#fleet-control")).build();
    }

    @POST
    @Path("resume")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resume(@FormParam("reason") String reason, @FormParam("_csrf") String csrf) {
        identity.checkCsrf(csrf);
        KillSwitch.Outcome outcome = killSwitch.change("resume", identity.actor(), reason);
        if (outcome.message() != null) {
            return Response.status(outcome.status()).entity(Templates.confirm(killSwitch.state(),
                    reason == null ? "" : reason, outcome.message(), view.alertCount())).build();
        }
        return Response.seeOther(URI.create("/#fleet-control")).build();
    }
}
