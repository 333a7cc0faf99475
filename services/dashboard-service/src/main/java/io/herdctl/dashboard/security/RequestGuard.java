package io.herdctl.dashboard.security;

import java.net.URI;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.herdctl.dashboard.rest.ApiErrors;

/**
 * Browser-facing protections. A state-changing request sent by another site
 * (its Origin differs, or the browser marks it cross-site) is refused, so a page
 * elsewhere cannot trigger jobs through a user's browser. Every response says
 * not to be framed or sniffed, and pages may load only what this service serves.
 */
public class RequestGuard {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    @ServerRequestFilter(preMatching = true)
    public Response refuseCrossSite(ContainerRequestContext request) {
        if (SAFE_METHODS.contains(request.getMethod())) {
            return null;
        }
        String site = request.getHeaderString("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return forbidden("cross-site " + request.getMethod() + " refused");
        }
        String origin = request.getHeaderString("Origin");
        if (origin != null) {
            String host = request.getHeaderString("Host");
            URI uri;
            try {
                uri = URI.create(origin);
            } catch (IllegalArgumentException e) {
                return forbidden("malformed Origin header");
            }
            String originHost = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            if (host == null || !host.equalsIgnoreCase(originHost)) {
                return forbidden("request from origin " + origin + " refused");
            }
        }
        return null;
    }

    @ServerResponseFilter
    public void securityHeaders(ContainerResponseContext response) {
        var headers = response.getHeaders();
        headers.putSingle("X-Content-Type-Options", "nosniff");
        headers.putSingle("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: under no-referrer browsers send "Origin: null" with a form post, which the
        // origin check above must refuse; nothing leaves for other sites either way.
        headers.putSingle("Referrer-Policy", "same-origin");
        headers.putSingle("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; "
                        + "form-action 'self'; base-uri 'none'");
    }

    private static Response forbidden(String why) {
        return ApiErrors.of(Response.Status.FORBIDDEN, "FORBIDDEN", why);
    }
}
