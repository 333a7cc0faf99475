package io.herdctl.dashboard.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

/**
 * The dashboard shows prompts and output and can start jobs; with no
 * authentication in front of it, it must only be reachable from this machine.
 * Starting it on any other address without an authentication mode fails, with
 * the safe ways to do it.
 */
@ApplicationScoped
public class BindGuard {

    private final String host;
    private final AuthSettings.Mode auth;

    public BindGuard(@ConfigProperty(name = "quarkus.http.host") String host, AuthSettings settings) {
        this.host = host;
        this.auth = settings.auth();
    }

    void check(@Observes StartupEvent event) {
        requireSafeBinding(host, auth);
    }

    /** Throws, saying what to do instead, when serving on {@code host} with {@code auth} would be unsafe. */
    public static void requireSafeBinding(String host, AuthSettings.Mode auth) {
        if (auth == AuthSettings.Mode.NONE && !isLoopback(host)) {
            throw new IllegalStateException("refusing to serve the dashboard on " + host + " without authentication: "
                    + "anyone who can reach it could read job output and start jobs. Either bind it to localhost "
                    + "(quarkus.http.host=127.0.0.1, the default), or choose an authentication mode: "
                    + "herdctl.dashboard.auth=proxy behind oauth2-proxy (with herdctl.dashboard.proxy.trusted-addresses "
                    + "set to the proxy's address), or herdctl.dashboard.auth=token with herdctl.dashboard.token.sha256.");
        }
    }

    static boolean isLoopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
