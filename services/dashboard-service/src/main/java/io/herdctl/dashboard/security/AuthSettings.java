package io.herdctl.dashboard.security;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Who may use the dashboard and how they prove it. */
@ConfigMapping(prefix = "herdctl.dashboard")
public interface AuthSettings {

    /** Authentication modes. */
    enum Mode {
        /** No authentication: only allowed on a loopback address. */
        NONE,
        /** An authenticating proxy (oauth2-proxy) in front says who the user is, in headers. */
        PROXY,
        /** A shared API token: bearer for the API, a login form for pages. */
        TOKEN
    }

    @WithDefault("none")
    Mode auth();

    Proxy proxy();

    Token token();

    /** How long a page login lasts (herdctl's {@code web.session_expiry_hours}, 24 by default). */
    @WithDefault("24h")
    Duration sessionExpiry();

    /** {@code proxy} mode. */
    interface Proxy {

        /**
         * Addresses (or CIDR ranges) the proxy connects from; a request from anywhere
         * else is refused, whatever headers it carries.
         */
        @WithDefault("127.0.0.1,::1")
        List<String> trustedAddresses();

        @WithDefault("X-Forwarded-User")
        String userHeader();

        @WithDefault("X-Forwarded-Email")
        String emailHeader();

        @WithDefault("X-Forwarded-Groups")
        String groupsHeader();

        /** When set, the user must be in one of these groups. */
        Optional<List<String>> allowedGroups();
    }

    /** {@code token} mode. */
    interface Token {

        /**
         * The SHA-256 of the token, in hex ({@code printf %s "$TOKEN" | sha256sum}):
         * the token itself is never stored.
         */
        @WithName("sha256")
        Optional<String> sha256();
    }
}
