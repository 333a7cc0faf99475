package io.herdctl.dashboard.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** A request that did not come through the proxy is refused, whatever user header it forges. */
@QuarkusTest
@TestProfile(AuthProfiles.UntrustedProxy.class)
class UntrustedProxyTest {

    @Test
    void headersFromAnAddressThatIsNotTheProxyAreNotBelieved() {
        given().header("X-Forwarded-User", "admin").header("X-Forwarded-Groups", "ops").get("/api/agents").then()
                .statusCode(403).body("error.message", containsString("not a trusted proxy address"))
                .body("error.message", containsString("10.9.9.0/24"));
        given().header("X-Forwarded-User", "admin").get("/").then().statusCode(403);
    }
}
