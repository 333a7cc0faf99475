package io.herdctl.dashboard.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Loopback without sign-in: browsers must still prove a state change comes from our page; scripts on the machine need not. */
@QuarkusTest
class NoneModeTest {

    static final String JOB = "/api/jobs/job-2026-11-29-nnnnn1/cancel";

    @Test
    void aBrowserPostNeedsThePagesCsrfTokenAndAScriptDoesNot() {
        Response page = given().get("/");
        page.then().statusCode(200).header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin").body(containsString("local access"));
        String csrf = page.getCookie(AuthFilter.CSRF_COOKIE);
        String cookieHeader = page.getHeader("Set-Cookie");
        org.junit.jupiter.api.Assertions.assertTrue(cookieHeader.contains("HttpOnly")
                && cookieHeader.toLowerCase().contains("samesite=strict"), cookieHeader);
        page.then().body(containsString("<meta name=\"herdctl-csrf\" content=\"" + csrf + "\">"));

        String origin = "http://" + java.net.URI.create(io.restassured.RestAssured.baseURI).getHost() + ":"
                + io.restassured.RestAssured.port;
        given().header("Origin", origin).contentType(ContentType.JSON).body("{}").post(JOB).then().statusCode(403)
                .body("error.code", equalTo("CSRF_REJECTED"));
        given().header("Origin", origin).cookie(AuthFilter.CSRF_COOKIE, csrf).header(AuthFilter.CSRF_HEADER, "wrong-"
                + csrf).contentType(ContentType.JSON).body("{}").post(JOB).then().statusCode(403);
        given().header("Origin", origin).cookie(AuthFilter.CSRF_COOKIE, csrf).header(AuthFilter.CSRF_HEADER, csrf)
                .contentType(ContentType.JSON).body("{}").post(JOB).then().log().ifValidationFails().statusCode(404)
                .body("error.code", equalTo("JOB_NOT_FOUND"));
        given().contentType(ContentType.JSON).body("{}").post(JOB).then().statusCode(404)
                .body("error.code", not(equalTo("CSRF_REJECTED")));
        given().header("Origin", "http://evil.example").cookie(AuthFilter.CSRF_COOKIE, csrf)
                .header(AuthFilter.CSRF_HEADER, csrf).contentType(ContentType.JSON).body("{}").post(JOB).then()
                .statusCode(403);
    }

    @Test
    void thereIsNoLoginPageWithoutTokenMode() {
        given().get("/login").then().statusCode(404);
    }
}
