package io.herdctl.dashboard.client;

import java.util.Optional;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Presents the service token ({@code herdctl.service-token}, from
 * {@code HERDCTL_SERVICE_TOKEN}) to scheduler-service, whose write endpoints
 * require it when it is set. The dashboard acts for the signed-in user it names
 * in {@code requestedBy}; the token is what lets the scheduler believe it.
 */
public class ServiceTokenHeader implements ClientRequestFilter {

    private final String header;

    public ServiceTokenHeader() {
        Optional<String> token = ConfigProvider.getConfig().getOptionalValue("herdctl.service-token", String.class);
        this.header = token.map(String::strip).filter(t -> !t.isEmpty()).map(t -> "Bearer " + t).orElse(null);
    }

    @Override
    public void filter(ClientRequestContext request) {
        if (header != null) {
            request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, header);
        }
    }
}
