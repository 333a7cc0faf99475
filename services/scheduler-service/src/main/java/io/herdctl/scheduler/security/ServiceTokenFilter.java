package io.herdctl.scheduler.security;

import java.util.Map;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;

import io.herdctl.scheduler.rest.TriggerResource;

/**
 * Every request that changes something needs the service token, except webhooks:
 * their senders (GitHub and the like) sign each body with the schedule's own
 * secret, which {@code WebhookResource} checks. Reads stay open, as the doctor's
 * live checks and a SIEM's pollers use them.
 */
@Provider
public class ServiceTokenFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(ServiceTokenFilter.class);

    private final ServiceToken token;

    public ServiceTokenFilter(ServiceToken token) {
        this.token = token;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String method = request.getMethod();
        if (!token.required() || HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)
                || HttpMethod.OPTIONS.equals(method)) {
            return;
        }
        String path = request.getUriInfo().getPath();
        if ((path.startsWith("/") ? path.substring(1) : path).startsWith("api/webhooks/")) {
            return;
        }
        if (!token.accepts(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            LOG.warnf("refused %s %s: no valid service token", method, path);
            Response refused = TriggerResource.error(Response.Status.UNAUTHORIZED, "SERVICE_TOKEN_REQUIRED",
                    "This endpoint needs the service token as 'Authorization: Bearer <token>' "
                            + "(HERDCTL_SERVICE_TOKEN; ./herdctl up keeps it in ~/.herdctl/service-token)", Map.of());
            refused.getHeaders().putSingle(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"herdctl\"");
            request.abortWith(refused);
        }
    }
}
