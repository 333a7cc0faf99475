package io.herdctl.dashboard.security;

import java.util.List;

/**
 * Who is making a request and how that is known. {@code ambient} means the
 * browser sends the credential by itself (cookie, proxy session, or none at
 * all), so a state-changing request must also prove it comes from our page.
 */
public record Principal(String name, String email, List<String> groups, String method, boolean ambient) {

    public static final String PROPERTY = "herdctl.principal";

    /** The name to show and to record as who did something. */
    public String display() {
        return email != null && !email.isBlank() && !email.equals(name) ? name + " <" + email + ">" : name;
    }
}
