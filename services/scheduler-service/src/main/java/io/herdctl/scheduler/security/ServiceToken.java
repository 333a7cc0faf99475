package io.herdctl.scheduler.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * The shared secret that callers of the scheduler's write endpoints (trigger,
 * kill switch, schedule switches) present as {@code Authorization: Bearer}: the
 * dashboard and the {@code herdctl} command hold it, an agent does not. Without
 * it, anything that reaches the scheduler's port could start jobs or flip the
 * kill switch under any name, including an agent on the host network of a
 * machine that runs the embedded stack. Kept as its SHA-256 only and compared in
 * constant time; never logged.
 */
@ApplicationScoped
public class ServiceToken {

    private static final Logger LOG = Logger.getLogger(ServiceToken.class);
    /** Shorter than this is guessable, or a placeholder left in a file. */
    static final int MIN_LENGTH = 32;

    private final byte[] digest;
    private final int length;

    public ServiceToken(@ConfigProperty(name = "herdctl.service-token") Optional<String> token) {
        String t = token.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        this.digest = t == null ? null : sha256(t);
        this.length = t == null ? 0 : t.length();
    }

    /** Refuses to start on a token too short to be a secret; says once when the endpoints are open. */
    void check(@Observes StartupEvent start) {
        if (digest == null) {
            LOG.warn("herdctl.service-token (HERDCTL_SERVICE_TOKEN) is not set: anything that reaches this port can "
                    + "trigger jobs and stop or resume the fleet. ./herdctl up sets one; set it in the Compose .env");
        } else if (length < MIN_LENGTH) {
            throw new IllegalStateException("herdctl.service-token (HERDCTL_SERVICE_TOKEN) has " + length
                    + " characters; use at least " + MIN_LENGTH + " random ones, such as the output of "
                    + "openssl rand -hex 32");
        }
    }

    public boolean required() {
        return digest != null;
    }

    /** Whether an {@code Authorization} header carries the token. */
    public boolean accepts(String authorization) {
        if (digest == null) {
            return true;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(7).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
