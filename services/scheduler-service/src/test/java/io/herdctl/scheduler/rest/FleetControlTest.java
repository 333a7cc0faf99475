package io.herdctl.scheduler.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.EventJson;
import io.herdctl.events.FleetControl;
import io.herdctl.events.JobRequested;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.KafkaBrokerResource;
import io.herdctl.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The kill switch as the scheduler keeps it: a stop is on the topic with who and
 * why, schedules stop firing and triggers are refused until a resume.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class FleetControlTest {

    EmbeddedKafkaBroker broker;

    @Test
    void stopHaltsSchedulesAndTriggersUntilResumed() {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.AGENTS, "ticker", EventJson.write(AgentSpecResolved.of("r1", SchedulerTest.agent("ticker",
                    Map.of("every1s", new AgentSpec.ScheduleSpec("interval", "1s", 1_000L, null, null, true, false, null)),
                    1000))));
            await().atMost(Duration.ofSeconds(20)).until(() -> scheduled(topics) >= 2);

            given().contentType(ContentType.JSON).body("{}").post("/api/fleet/stop").then().statusCode(400)
                    .body("error.code", equalTo("REQUESTED_BY_MISSING"));
            given().contentType(ContentType.JSON).body("{\"requestedBy\":\"cli:alice@ops\",\"reason\":\"EACCES storm\"}")
                    .post("/api/fleet/stop").then().statusCode(200)
                    .body("stopped", equalTo(true)).body("changedBy", equalTo("cli:alice@ops"))
                    .body("reason", equalTo("EACCES storm"));

            FleetControl recorded = EventJson.read(topics.await(Topics.FLEET_CONTROL, Duration.ofSeconds(10),
                    r -> !r.isEmpty()).get(0).value(), FleetControl.class);
            assertTrue(recorded.stopped());
            assertEquals("cli:alice@ops", recorded.changedBy());
            assertEquals(recorded.time(), recorded.lastStop());

            int atStop = scheduled(topics);
            sleep(3_000);
            assertTrue(scheduled(topics) <= atStop + 1, "at most a slot in flight at the stop, then nothing");
            int settled = scheduled(topics);
            sleep(2_500);
            assertEquals(settled, scheduled(topics), "no schedule fires while the fleet is stopped");

            given().contentType(ContentType.JSON).body("{}").post("/api/agents/ticker/trigger").then().statusCode(409)
                    .body("error.code", equalTo("FLEET_STOPPED"))
                    .body("error.message", containsString("cli:alice@ops"))
                    .body("error.details.stoppedBy", equalTo("cli:alice@ops"));
            given().get("/api/schedules").then().statusCode(200)
                    .body("[0].enabledAtRuntime", equalTo(false))
                    .body("[0].waiting", containsString("the fleet is stopped"));

            given().contentType(ContentType.JSON).body("{\"requestedBy\":\"dashboard:bob\"}").post("/api/fleet/resume")
                    .then().statusCode(200).body("stopped", equalTo(false)).body("changedBy", equalTo("dashboard:bob"))
                    .body("reason", nullValue()).body("lastStop", equalTo(recorded.lastStop().toString()));
            given().contentType(ContentType.JSON).body("{\"requestedBy\":\"dashboard:bob\"}").post("/api/fleet/resume")
                    .then().statusCode(409).body("error.code", equalTo("FLEET_NOT_STOPPED"));

            await().atMost(Duration.ofSeconds(10)).until(() -> scheduled(topics) > settled);
            given().contentType(ContentType.JSON).body("{}").post("/api/agents/ticker/trigger").then().statusCode(202);
            given().get("/api/fleet").then().statusCode(200).body("stopped", equalTo(false))
                    .body("activeJobs", hasItem(org.hamcrest.Matchers.startsWith("job-")));
            FleetControl last = EventJson.read(topics.readAll(Topics.FLEET_CONTROL).get(1).value(), FleetControl.class);
            assertFalse(last.stopped());
            assertEquals(recorded.lastStop(), last.lastStop(), "the stop stays on record after the resume");
        }
    }

    private static int scheduled(TopicClient topics) {
        List<JobRequested> all = topics.readAll(Topics.JOB_REQUESTS).stream()
                .map(r -> EventJson.read(r.value(), JobRequested.class)).toList();
        return (int) all.stream().filter(r -> r.triggerType() == TriggerType.SCHEDULE).count();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
