package io.herdctl.scheduler.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herdctl.testsupport.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * With a service token set, nothing changes the fleet without it: triggers, the
 * kill switch and the schedule switches answer 401, reads stay open, and webhooks
 * keep their own signature check.
 */
@QuarkusTest
@TestProfile(ServiceTokenTest.WithToken.class)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class ServiceTokenTest {

    static final String TOKEN = "3f1c9a7e5b2d4c6f8a0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a";

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("herdctl.service-token", TOKEN);
        }
    }

    @Test
    void everyWriteNeedsTheTokenAndReadsAndWebhooksDoNot() {
        String change = "{\"requestedBy\":\"cli:mallory@host\",\"reason\":\"no token\"}";
        for (String path : new String[] {"/api/agents/ticker/trigger", "/api/fleet/stop", "/api/fleet/resume",
                "/api/schedules/ticker/every1s/disable", "/api/schedules/ticker/every1s/enable"}) {
            given().contentType(ContentType.JSON).body(change).post(path).then().statusCode(401)
                    .header("WWW-Authenticate", equalTo("Bearer realm=\"herdctl\""))
                    .body("error.code", equalTo("SERVICE_TOKEN_REQUIRED"));
            given().contentType(ContentType.JSON).header("Authorization", "Bearer " + TOKEN.substring(1) + "x")
                    .body(change).post(path).then().statusCode(401);
            given().contentType(ContentType.JSON).header("Authorization", TOKEN).body(change).post(path).then()
                    .statusCode(401);
        }
        given().get("/api/fleet").then().statusCode(200).body("stopped", equalTo(false));

        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + TOKEN).body("{}")
                .post("/api/agents/nobody/trigger").then().statusCode(404).body("error.code", equalTo("AGENT_NOT_FOUND"));
        given().contentType(ContentType.JSON).header("Authorization", "bearer " + TOKEN)
                .body("{\"requestedBy\":\"cli:alice@ops\",\"reason\":\"drill\"}").post("/api/fleet/stop").then()
                .statusCode(200).body("stopped", equalTo(true)).body("changedBy", equalTo("cli:alice@ops"));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + TOKEN)
                .body("{\"requestedBy\":\"cli:alice@ops\"}").post("/api/fleet/resume").then().statusCode(200)
                .body("stopped", equalTo(false));

        given().contentType(ContentType.JSON).body("{}").post("/api/webhooks/nobody/push").then().statusCode(404)
                .body("error.code", equalTo("WEBHOOK_NOT_FOUND"));
    }
}
