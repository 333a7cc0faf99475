package io.herdctl.dashboard.security;

import java.util.Set;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.herdctl.dashboard.rest.ApiErrors;
import io.vertx.core.http.HttpServerRequest;

/**
 * Every page and API call is authenticated ({@link Authenticator}) before it
 * reaches a resource, except the login form. In token mode a page request
 * without a session goes to the login form; an API call gets 401 with a
 * {@code WWW-Authenticate: Bearer} challenge. A state-changing request whose
 * credential the browser sends by itself (a cookie, the proxy's session, or none
 * on loopback) must carry the page's CSRF token equal to the {@code herdctl_csrf}
 * cookie: in the {@code X-Herdctl-Csrf} header (scripts), or in the {@code _csrf}
 * field of a form, which only the form endpoints ({@link #FORM_PATHS}) accept and
 * check themselves ({@link RequestIdentity#checkCsrf}); a bearer-token call needs none. On loopback without authentication, a
 * client that is not a browser (no cookie, no Origin, no Sec-Fetch-Site header:
 * curl, scripts) is let through, since nothing a web page can send looks like that.
 */
public class AuthFilter {

    public static final String CSRF_COOKIE = "herdctl_csrf";
    public static final String CSRF_HEADER = "X-Herdctl-Csrf";
    public static final String CSRF_FIELD = "_csrf";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    /** The only paths that take HTML form posts; each checks the form's {@code _csrf} field itself. */
    public static final java.util.regex.Pattern FORM_PATHS = java.util.regex.Pattern.compile(
            "^/(login|logout|agents/[^/]+/trigger|fleet/(stop|resume))$");

    private final Authenticator authenticator;
    private final RequestIdentity identity;

    public AuthFilter(Authenticator authenticator, RequestIdentity identity) {
        this.authenticator = authenticator;
        this.identity = identity;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION)
    public Response authenticate(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        String csrfCookie = cookie(request, CSRF_COOKIE);
        boolean fresh = csrfCookie == null || csrfCookie.length() < 32;
        String csrf = fresh ? Sessions.randomToken() : csrfCookie;
        boolean login = path.equals("/login");
        Decision decision = authenticator.authenticate(http.remoteAddress() == null ? null : http.remoteAddress().host(),
                request::getHeaderString, name -> cookie(request, name));
        if (!decision.allowed() && !login) {
            identity.set(null, csrf, fresh);
            return refuse(request, path, decision);
        }
        identity.set(decision.principal(), csrf, fresh);
        if (SAFE.contains(request.getMethod()) || decision.allowed() && !decision.principal().ambient()) {
            return null;
        }
        if (authenticator.mode() == AuthSettings.Mode.NONE && !login && !looksLikeABrowser(request)) {
            return null;
        }
        Response rejected = error(Response.Status.FORBIDDEN, "CSRF_REJECTED", "this request did not come from a"
                + " dashboard page (the " + CSRF_HEADER + " header or " + CSRF_FIELD + " field must match the "
                + CSRF_COOKIE + " cookie); reload the page and try again");
        if (fresh) {
            return rejected;
        }
        String sent = request.getHeaderString(CSRF_HEADER);
        if (sent == null && FORM_PATHS.matcher(path).matches() && request.getMediaType() != null
                && request.getMediaType().isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            identity.expectFormCsrf(csrfCookie);
            return null;
        }
        if (!Sessions.same(sent, csrfCookie)) {
            return rejected;
        }
        return null;
    }

    @ServerResponseFilter
    public void issueCsrfCookie(ContainerRequestContext request, ContainerResponseContext response) {
        if (identity.newCsrf() && !identity.getCsrf().isEmpty()) {
            response.getHeaders().add("Set-Cookie", new NewCookie.Builder(CSRF_COOKIE).value(identity.getCsrf())
                    .path("/").httpOnly(true).secure(secure(request)).sameSite(NewCookie.SameSite.STRICT).build());
        }
    }

    static boolean secure(ContainerRequestContext request) {
        return "https".equalsIgnoreCase(request.getUriInfo().getRequestUri().getScheme())
                || "https".equalsIgnoreCase(request.getHeaderString("X-Forwarded-Proto"));
    }

    private static boolean looksLikeABrowser(ContainerRequestContext request) {
        return request.getHeaderString("Cookie") != null || request.getHeaderString("Origin") != null
                || request.getHeaderString("Sec-Fetch-Site") != null || request.getHeaderString("Sec-Fetch-Mode") != null;
    }

    private Response refuse(ContainerRequestContext request, String path, Decision decision) {
        boolean api = path.startsWith("/api/") || path.equals("/api");
        if (!api && decision.status() == 401 && authenticator.mode() == AuthSettings.Mode.TOKEN
                && SAFE.contains(request.getMethod())) {
            String next = request.getUriInfo().getRequestUri().getRawPath();
            String query = request.getUriInfo().getRequestUri().getRawQuery();
            return Response.seeOther(UriBuilder.fromPath("/login").queryParam("next", query == null ? next
                    : next + "?" + query).build()).build();
        }
        Response.ResponseBuilder r = Response.fromResponse(ApiErrors.of(Response.Status.fromStatusCode(
                decision.status()), decision.status() == 401 ? "UNAUTHENTICATED" : "FORBIDDEN", decision.message()));
        if (decision.status() == 401 && authenticator.mode() == AuthSettings.Mode.TOKEN) {
            r.header("WWW-Authenticate", "Bearer realm=\"herdctl\"");
        }
        return r.build();
    }

    static Response error(Response.Status status, String code, String message) {
        return ApiErrors.of(status, code, message);
    }

    private static String cookie(ContainerRequestContext request, String name) {
        Cookie c = request.getCookies().get(name);
        return c == null ? null : c.getValue();
    }
}
