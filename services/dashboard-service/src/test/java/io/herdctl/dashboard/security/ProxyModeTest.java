package io.herdctl.dashboard.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Behind oauth2-proxy: the user from its headers, from a trusted address, in an allowed group. */
@QuarkusTest
@TestProfile(AuthProfiles.Proxy.class)
class ProxyModeTest {

    @Test
    void theUserComesFromTheProxysHeadersAndMustBeInAnAllowedGroup() {
        given().get("/api/agents").then().statusCode(401).body("error.code", equalTo("UNAUTHENTICATED"))
                .body("error.message", containsString("X-Forwarded-User"));
        given().get("/").then().statusCode(401);
        given().header("X-Forwarded-User", "mallory").header("X-Forwarded-Groups", "dev,qa").get("/api/agents").then()
                .statusCode(403).body("error.message", containsString("mallory is not in a group allowed"));
        given().header("X-Forwarded-User", "mallory").get("/api/agents").then().statusCode(403);
        given().header("X-Forwarded-User", "alice").header("X-Forwarded-Email", "alice@example.test")
                .header("X-Forwarded-Groups", "dev, sre").get("/api/agents").then().statusCode(200);
        given().header("X-Forwarded-User", "alice").header("X-Forwarded-Email", "alice@example.test")
                .header("X-Forwarded-Groups", "sre").get("/").then().statusCode(200)
                .body(containsString("signed in as <strong>alice &lt;alice@example.test&gt;</strong>"));
        given().header("X-Forwarded-Email", "bob@example.test").header("X-Forwarded-Groups", "ops").get("/api/agents")
                .then().statusCode(200);
    }

    @Test
    void theProxysSessionIsAmbientSoStateChangesNeedTheCsrfToken() {
        Response page = given().header("X-Forwarded-User", "alice").header("X-Forwarded-Groups", "ops").get("/");
        String csrf = page.getCookie(AuthFilter.CSRF_COOKIE);
        given().header("X-Forwarded-User", "alice").header("X-Forwarded-Groups", "ops").contentType(ContentType.JSON)
                .body("{}").post("/api/jobs/job-2026-11-29-ppppp1/cancel").then().statusCode(403)
                .body("error.code", equalTo("CSRF_REJECTED"));
        given().header("X-Forwarded-User", "alice").header("X-Forwarded-Groups", "ops").cookie(AuthFilter.CSRF_COOKIE, csrf)
                .header(AuthFilter.CSRF_HEADER, csrf).contentType(ContentType.JSON).body("{}")
                .post("/api/jobs/job-2026-11-29-ppppp1/cancel").then().statusCode(404);
    }
}
