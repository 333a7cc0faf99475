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
 * Starting it on any other address fails, with the safe ways to do it.
 */
@ApplicationScoped
public class BindGuard {

    private final String host;
    private final String auth;

    public BindGuard(@ConfigProperty(name = "quarkus.http.host") String host,
            @ConfigProperty(name = "herdctl.dashboard.auth", defaultValue = "none") String auth) {
        this.host = host;
        this.auth = auth;
    }

    void check(@Observes StartupEvent event) {
        requireSafeBinding(host, auth);
    }

    /** Throws, saying what to do instead, when serving on {@code host} with {@code auth} would be unsafe. */
    public static void requireSafeBinding(String host, String auth) {
        if ("none".equals(auth) && !isLoopback(host)) {
            throw new IllegalStateException("refusing to serve the dashboard on " + host + " without authentication: "
                    + "anyone who can reach it could read job output and start jobs. Bind it to localhost "
                    + "(quarkus.http.host=127.0.0.1, the default) and put an authenticating proxy such as oauth2-proxy in "
                    + "front of it, or configure an authentication mode (herdctl.dashboard.auth).");
        }
        if (!"none".equals(auth)) {
            throw new IllegalStateException("herdctl.dashboard.auth=" + auth + " is not supported by this version; "
                    + "the only mode is 'none', on a loopback address");
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
