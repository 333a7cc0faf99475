package io.herdctl.config.doctor;

import java.util.List;
import java.util.Set;

import io.herdctl.config.fleet.FieldOrigin;
import io.herdctl.config.fleet.FleetOrigins;

/**
 * The checklist's "bind the dashboard to localhost (do not change without auth)",
 * from the root fleet file's {@code web:} block. The loader already refuses a
 * non-loopback host without authentication; what it accepts is graded here: the
 * proxy mode is only as good as the addresses it believes identity headers from,
 * and the token mode sends its token over plain HTTP unless TLS is put in front.
 */
final class DashboardCheck {

    static final String ID = "dashboard-exposure";

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1");
    private static final Set<String> ANYWHERE = Set.of("0.0.0.0/0", "::/0", "0.0.0.0", "::", "*");

    private DashboardCheck() {
    }

    static void check(FleetOrigins origins, Findings out) {
        FieldOrigin hostAt = origins.fleetOrWhereToSet("web", "host");
        String host = hostAt.value() == null ? "localhost" : hostAt.value().toString();
        String auth = origins.fleet("web", "auth").map(o -> String.valueOf(o.value())).orElse("none");
        if (Boolean.FALSE.equals(origins.fleet("web", "enabled").map(FieldOrigin::value).orElse(null))) {
            out.fleet(ID, Severity.OK, origins.fleetOrWhereToSet("web", "enabled"), "the dashboard is disabled", null);
        } else if (LOOPBACK.contains(host)) {
            out.fleet(ID, Severity.OK, hostAt, "the dashboard listens on " + host + " only"
                    + (hostAt.value() == null ? " (the default)" : ""), null);
        } else if (auth.equals("proxy")) {
            FieldOrigin trustedAt = origins.fleetOrWhereToSet("web", "trusted_proxies");
            List<?> trusted = trustedAt.value() instanceof List<?> l ? l : List.of();
            if (trusted.stream().map(String::valueOf).anyMatch(ANYWHERE::contains)) {
                out.fleet(ID, Severity.HIGH, trustedAt, "the dashboard on " + host + " believes identity headers "
                        + "from any address: anyone who reaches its port can claim to be any user",
                        "list only the authenticating proxy's address in web.trusted_proxies");
            } else {
                out.fleet(ID, Severity.OK, hostAt, "the dashboard listens on " + host + " behind an authenticating "
                        + "proxy (web.auth: proxy); identity headers are believed only from "
                        + (trusted.isEmpty() ? "loopback" : trusted.toString()), null);
            }
        } else if (auth.equals("token")) {
            out.fleet(ID, Severity.LOW, hostAt, "the dashboard listens on " + host + " with token sign-in over plain "
                    + "HTTP: the token and the session cookie cross the network in clear unless TLS terminates in front",
                    "keep web.host: localhost and put a TLS reverse proxy with authentication in front (the guide's "
                            + "Caddy or oauth2-proxy), or make sure TLS terminates before the dashboard");
        } else {
            out.fleet(ID, Severity.HIGH, hostAt, "the dashboard listens on " + host + " without authentication",
                    "keep web.host: localhost, or set web.auth: proxy or token");
        }
    }
}
