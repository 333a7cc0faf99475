package io.herdctl.dashboard.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** The API token: bearer for the API, a login form and a signed session for pages. */
@QuarkusTest
@TestProfile(AuthProfiles.Token.class)
class TokenModeTest {

    static final String CANCEL = "/api/jobs/job-2026-11-29-ttttt1/cancel";

    @Test
    void theApiTakesTheTokenAsABearerCredential() {
        given().get("/api/agents").then().statusCode(401).header("WWW-Authenticate", "Bearer realm=\"herdctl\"")
                .body("error.code", equalTo("UNAUTHENTICATED"));
        given().auth().oauth2("not-the-token").get("/api/agents").then().statusCode(401);
        given().auth().oauth2(AuthProfiles.TOKEN).get("/api/agents").then().statusCode(200);
        given().auth().oauth2(AuthProfiles.TOKEN).contentType(ContentType.JSON).body("{}").post(CANCEL).then()
                .statusCode(404).body("error.code", equalTo("JOB_NOT_FOUND")); // no CSRF token needed with a bearer
    }

    @Test
    void pagesSendToTheLoginFormWhichStartsASignedSession() {
        given().redirects().follow(false).get("/jobs/job-2026-11-29-ttttt1").then().statusCode(303)
                .header("Location", containsString("/login?next=%2Fjobs%2Fjob-2026-11-29-ttttt1"));
        Response form = given().get("/login?next=/jobs/x");
        form.then().statusCode(200).body(containsString("name=\"_csrf\"")).body(containsString("value=\"/jobs/x\""));
        String csrf = form.getCookie(AuthFilter.CSRF_COOKIE);
        assertNotNull(csrf);

        given().cookie(AuthFilter.CSRF_COOKIE, csrf).formParam("token", AuthProfiles.TOKEN).formParam("next", "/")
                .post("/login").then().statusCode(403).body("error.code", equalTo("CSRF_REJECTED"));
        given().cookie(AuthFilter.CSRF_COOKIE, csrf).formParam("_csrf", csrf).formParam("token", "guess")
                .formParam("next", "/").post("/login").then().statusCode(401)
                .body(containsString("That is not this dashboard&#39;s token."));

        Response in = given().redirects().follow(false).cookie(AuthFilter.CSRF_COOKIE, csrf).formParam("_csrf", csrf)
                .formParam("token", AuthProfiles.TOKEN).formParam("next", "//evil.example/x").post("/login");
        in.then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith(":" + io.restassured.RestAssured.port
                + "/"));
        String setCookie = in.getHeaders().getValues("Set-Cookie").stream().filter(c -> c.startsWith(Sessions.COOKIE))
                .findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly") && setCookie.toLowerCase().contains("samesite=strict"), setCookie);
        String session = in.getCookie(Sessions.COOKIE);

        given().cookie(Sessions.COOKIE, session).get("/").then().statusCode(200)
                .body(containsString("signed in as <strong>operator</strong>")).body(containsString("sign out"));
        given().redirects().follow(false).cookie(Sessions.COOKIE, session + "x").get("/").then().statusCode(303);
        given().cookie(Sessions.COOKIE, session).get("/api/agents").then().statusCode(200);

        given().cookie(Sessions.COOKIE, session).cookie(AuthFilter.CSRF_COOKIE, csrf).contentType(ContentType.JSON)
                .body("{}").post(CANCEL).then().statusCode(403).body("error.code", equalTo("CSRF_REJECTED"));
        given().cookie(Sessions.COOKIE, session).cookie(AuthFilter.CSRF_COOKIE, csrf).header(AuthFilter.CSRF_HEADER, csrf)
                .contentType(ContentType.JSON).body("{}").post(CANCEL).then().statusCode(404);

        Response out = given().redirects().follow(false).cookie(Sessions.COOKIE, session)
                .cookie(AuthFilter.CSRF_COOKIE, csrf).formParam("_csrf", csrf).post("/logout");
        out.then().statusCode(303);
        assertEquals("", out.getCookie(Sessions.COOKIE));
    }
}
