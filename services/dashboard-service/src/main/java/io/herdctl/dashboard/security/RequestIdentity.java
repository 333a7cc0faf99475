package io.herdctl.dashboard.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * The current request's user and CSRF token, for resources and templates
 * ({@code {inject:identity.user}}, {@code {inject:identity.csrf}}). Filled by {@link AuthFilter}.
 */
@Named("identity")
@RequestScoped
public class RequestIdentity {

    private Principal principal;
    private String csrf;
    private boolean newCsrf;
    private String formCsrf;

    void set(Principal principal, String csrf, boolean newCsrf) {
        this.principal = principal;
        this.csrf = csrf;
        this.newCsrf = newCsrf;
    }

    public Principal principal() {
        return principal;
    }

    /** Who is signed in, as shown on pages; empty when nobody is. */
    public String getUser() {
        return principal == null ? "" : principal.display();
    }

    /** How the user is known: none, proxy, session or bearer. */
    public String getMethod() {
        return principal == null ? "" : principal.method();
    }

    /** Whether a sign-out makes sense (a login session). */
    public boolean isSession() {
        return principal != null && principal.method().equals("session");
    }

    /** The token a form or script sends back with a state-changing request. */
    public String getCsrf() {
        return csrf == null ? "" : csrf;
    }

    boolean newCsrf() {
        return newCsrf;
    }

    void expectFormCsrf(String cookie) {
        this.formCsrf = cookie;
    }

    /**
     * For form endpoints: throws 403 unless the form's {@code _csrf} field matches
     * the browser's CSRF cookie. Requests that were not form posts passed the
     * check already and pass here.
     */
    public void checkCsrf(String field) {
        if (formCsrf != null && !Sessions.same(field, formCsrf)) {
            throw new jakarta.ws.rs.WebApplicationException(AuthFilter.error(jakarta.ws.rs.core.Response.Status.FORBIDDEN,
                    "CSRF_REJECTED", "this form was not sent from a dashboard page; reload the page and try again"));
        }
    }

    /** Who did something, for the records (cancel requests, triggers). */
    public String actor() {
        return principal == null ? "dashboard" : principal.method().equals("none") ? "dashboard"
                : "dashboard:" + principal.name();
    }
}
