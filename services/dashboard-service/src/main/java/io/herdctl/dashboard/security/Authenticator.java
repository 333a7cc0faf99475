package io.herdctl.dashboard.security;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Decides who a request comes from, by the configured mode:
 * <ul>
 * <li>{@code none}: everyone is "local" (the service only listens on loopback then);</li>
 * <li>{@code proxy}: the user named by the authenticating proxy's headers, believed
 * only for requests that come from a trusted proxy address, and only if in an
 * allowed group when groups are configured;</li>
 * <li>{@code token}: the API token as a bearer credential (compared by its SHA-256,
 * in constant time), or a signed session cookie from the login form.</li>
 * </ul>
 */
@ApplicationScoped
public class Authenticator {

    private final AuthSettings.Mode mode;
    private final AuthSettings.Proxy proxy;
    private final AddressRanges trusted;
    private final String tokenHash;
    private final Sessions sessions;

    @Inject
    public Authenticator(AuthSettings settings) {
        this(settings, Clock.systemUTC());
    }

    Authenticator(AuthSettings settings, Clock clock) {
        this.mode = settings.auth();
        this.proxy = settings.proxy();
        this.trusted = AddressRanges.parse(settings.proxy().trustedAddresses(), "herdctl.dashboard.proxy.trusted-addresses");
        this.tokenHash = settings.token().sha256().map(h -> h.trim().toLowerCase(Locale.ROOT)).orElse(null);
        if (mode == AuthSettings.Mode.TOKEN && (tokenHash == null || !tokenHash.matches("[0-9a-f]{64}"))) {
            throw new IllegalStateException("herdctl.dashboard.auth=token needs herdctl.dashboard.token.sha256: the"
                    + " SHA-256 of the token in hex (printf %s \"$TOKEN\" | sha256sum); the token itself is never stored");
        }
        this.sessions = new Sessions(settings.sessionExpiry(), clock);
    }

    public AuthSettings.Mode mode() {
        return mode;
    }

    public Sessions sessions() {
        return sessions;
    }

    /**
     * @param remote the peer address of the connection
     * @param header a request header by name (null when absent)
     * @param cookie a cookie by name (null when absent)
     */
    public Decision authenticate(String remote, Function<String, String> header, Function<String, String> cookie) {
        return switch (mode) {
            case NONE -> Decision.allow(new Principal("local", null, List.of(), "none", true));
            case PROXY -> proxy(remote, header);
            case TOKEN -> token(header, cookie);
        };
    }

    private Decision proxy(String remote, Function<String, String> header) {
        if (!trusted.contains(remote)) {
            return Decision.refuse(403, "this dashboard is only served through its authenticating proxy; the request"
                    + " came from " + remote + ", which is not a trusted proxy address (herdctl.dashboard.proxy."
                    + "trusted-addresses: " + trusted + ")");
        }
        String user = blankToNull(header.apply(proxy.userHeader()));
        String email = blankToNull(header.apply(proxy.emailHeader()));
        if (user == null && email == null) {
            return Decision.refuse(401, "the proxy did not say who the user is (no " + proxy.userHeader() + " or "
                    + proxy.emailHeader() + " header); configure oauth2-proxy to pass them (--set-xauthrequest or"
                    + " --pass-user-headers)");
        }
        String groupsText = header.apply(proxy.groupsHeader());
        List<String> groups = groupsText == null ? List.of()
                : Arrays.stream(groupsText.split(",")).map(String::trim).filter(g -> !g.isEmpty()).toList();
        String name = user != null ? user : email;
        if (proxy.allowedGroups().isPresent() && !proxy.allowedGroups().get().isEmpty()
                && groups.stream().noneMatch(proxy.allowedGroups().get()::contains)) {
            return Decision.refuse(403, name + " is not in a group allowed to use this dashboard ("
                    + String.join(", ", proxy.allowedGroups().get()) + ")");
        }
        return Decision.allow(new Principal(name, email, groups, "proxy", true));
    }

    private Decision token(Function<String, String> header, Function<String, String> cookie) {
        String authorization = header.apply("Authorization");
        if (authorization != null) {
            if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    && Sessions.same(Sessions.sha256(authorization.substring(7).trim()), tokenHash)) {
                return Decision.allow(new Principal("api-token", null, List.of(), "bearer", false));
            }
            return Decision.refuse(401, "the bearer token is not this dashboard's API token");
        }
        String user = sessions.verify(cookie.apply(Sessions.COOKIE));
        if (user != null) {
            return Decision.allow(new Principal(user, null, List.of(), "session", true));
        }
        return Decision.refuse(401, "sign in: send the API token as 'Authorization: Bearer <token>', or log in at /login");
    }

    /** Whether a token typed into the login form is the API token. */
    public boolean tokenMatches(String token) {
        return tokenHash != null && token != null && Sessions.same(Sessions.sha256(token), tokenHash);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
