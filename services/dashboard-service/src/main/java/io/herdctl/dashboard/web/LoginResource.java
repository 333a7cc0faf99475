package io.herdctl.dashboard.web;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import io.herdctl.dashboard.security.AuthSettings;
import io.herdctl.dashboard.security.Authenticator;
import io.herdctl.dashboard.security.RequestIdentity;
import io.herdctl.dashboard.security.Sessions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The login form of token mode: the API token typed once, a signed session
 * cookie (HttpOnly, SameSite=Strict) for the pages after. Only a path on this
 * site is followed after login. Other modes have no login page.
 */
@Path("/")
public class LoginResource {

    private final Authenticator authenticator;
    private final RequestIdentity identity;

    public LoginResource(Authenticator authenticator, RequestIdentity identity) {
        this.authenticator = authenticator;
        this.identity = identity;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String next, String error);
    }

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance form(@QueryParam("next") String next) {
        requireTokenMode();
        return Templates.login(safeNext(next), null);
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response login(@FormParam("token") String token, @FormParam("next") String next,
            @FormParam("_csrf") String csrf, @Context HttpHeaders headers) {
        requireTokenMode();
        identity.checkCsrf(csrf);
        if (!authenticator.tokenMatches(token)) {
            return Response.status(Response.Status.UNAUTHORIZED)
                    .entity(Templates.login(safeNext(next), "That is not this dashboard's token.")).build();
        }
        NewCookie session = new NewCookie.Builder(Sessions.COOKIE).value(authenticator.sessions().issue("operator"))
                .path("/").httpOnly(true).sameSite(NewCookie.SameSite.STRICT)
                .secure("https".equalsIgnoreCase(headers.getHeaderString("X-Forwarded-Proto")))
                .maxAge((int) authenticator.sessions().lifetime().toSeconds()).build();
        return Response.seeOther(URI.create(safeNext(next))).cookie(session).build();
    }

    @POST
    @Path("logout")
    public Response logout(@FormParam("_csrf") String csrf) {
        identity.checkCsrf(csrf);
        NewCookie gone = new NewCookie.Builder(Sessions.COOKIE).value("").path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
        return Response.seeOther(URI.create(authenticator.mode() == AuthSettings.Mode.TOKEN ? "/login" : "/"))
                .cookie(gone).build();
    }

    private void requireTokenMode() {
        if (authenticator.mode() != AuthSettings.Mode.TOKEN) {
            throw new NotFoundException();
        }
    }

    /** A path on this site ("/..." but not "//..."), else the front page: no open redirect. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x20)) {
            return "/";
        }
        return next;
    }
}
