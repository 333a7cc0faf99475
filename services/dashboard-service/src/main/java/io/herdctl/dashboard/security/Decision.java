package io.herdctl.dashboard.security;

/**
 * What the authenticator made of a request: a principal, or a refusal with its
 * status ({@code 401}: say who you are; {@code 403}: not from here, or not allowed)
 * and a message that says what to do.
 */
public record Decision(Principal principal, int status, String message) {

    static Decision allow(Principal p) {
        return new Decision(p, 200, null);
    }

    static Decision refuse(int status, String message) {
        return new Decision(null, status, message);
    }

    public boolean allowed() {
        return principal != null;
    }
}
