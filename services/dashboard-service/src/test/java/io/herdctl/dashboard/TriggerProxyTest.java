package io.herdctl.dashboard;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herdctl.dashboard.security.AuthFilter;
import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.EventJson;
import io.herdctl.events.Topics;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.KafkaBrokerResource;
import io.herdctl.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeScheduler.Resource.class, restrictToAnnotatedClass = true)
class TriggerProxyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    FakeScheduler scheduler;
    EmbeddedKafkaBroker broker;

    private JsonNode forwarded(String body) throws Exception {
        given().contentType(ContentType.JSON).body(body).post("/api/agents/hello/trigger").then().statusCode(202)
                .body("jobId", equalTo("job-2026-03-05-fake01"));
        FakeScheduler.Received received = scheduler.next();
        assertEquals("/api/agents/hello/trigger", received.path());
        assertEquals("Bearer " + FakeScheduler.TOKEN, received.authorization(),
                "the dashboard presents the service token the scheduler's write endpoints require");
        return JSON.readTree(received.body());
    }

    @Test
    void passesPromptAndResumeToTheSchedulerAsGiven() throws Exception {
        JsonNode session = forwarded("{\"prompt\":\"go on\",\"resume\":\"sess-1\"}");
        assertEquals("go on", session.get("prompt").asText());
        assertEquals("sess-1", session.get("resume").asText());
        assertEquals(true, forwarded("{\"resume\":true}").get("resume").booleanValue());
        JsonNode absent = forwarded("{}").get("resume");
        assertEquals(true, absent == null || absent.isNull(), "no resume asked, none passed on: " + absent);
    }

    @Test
    void herdctlsScheduleNameIsPassedOnAsTheSchedule() throws Exception {
        assertEquals("tick", forwarded("{\"scheduleName\":\"tick\"}").get("schedule").asText());
    }

    /**
     * The agent page's form: sent with the page's CSRF token, it starts the job and
     * the browser goes to the job's page; without the token it is refused.
     */
    @Test
    void theTriggerFormStartsAJobOnlyWithThePagesToken() throws Exception {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.AGENTS, "hello", EventJson.write(AgentSpecResolved.of("r", DashboardTest.spec())));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/agents/hello").then()
                    .statusCode(200).body(containsString("id=\"trigger-form\"")));
            // doctor's findings for the agent, worst first, fleet-wide ones marked, escaped
            given().get("/agents/hello").then().statusCode(200).body(containsString("id=\"doctor\""))
                    .body(containsString("worst: high"))
                    .body(containsString("agents[0].overrides.docker.network"))
                    .body(containsString("network: host &lt;shares&gt; the host"))
                    .body(containsString("herdctl.yaml:7")).body(containsString("add .env to .gitignore"))
                    .body(containsString("Passed: <code>ephemeral</code>"));
        }
        scheduler.forget();
        String csrf = "c".repeat(43);
        given().redirects().follow(false).cookie(AuthFilter.CSRF_COOKIE, csrf).formParam("prompt", "from the form")
                .formParam("schedule", "tick").post("/agents/hello/trigger").then().statusCode(403)
                .body("error.code", equalTo("CSRF_REJECTED"));
        given().redirects().follow(false).cookie(AuthFilter.CSRF_COOKIE, csrf).formParam("_csrf", csrf)
                .formParam("prompt", "from the form").formParam("schedule", "tick").post("/agents/hello/trigger")
                .then().statusCode(303).header("Location", endsWith("/jobs/job-2026-03-05-fake01"));
        FakeScheduler.Received trigger;
        do {
            trigger = scheduler.next(); // the agent page also read the schedules
        } while (trigger != null && !trigger.path().equals("/api/agents/hello/trigger"));
        JsonNode sent = JSON.readTree(trigger.body());
        assertEquals("from the form", sent.get("prompt").asText());
        assertEquals("tick", sent.get("schedule").asText());
        scheduler.forget();
    }

    @Test
    void schedulesAreListedAndSwitchedThroughTheScheduler() throws Exception {
        given().get("/api/schedules").then().statusCode(200).body("[0].agent", equalTo("hello"))
                .body("[0].enabled", equalTo(true));
        assertEquals("GET /api/schedules", scheduler.next().path());
        given().post("/api/schedules/hello/tick/disable").then().statusCode(200).body("enabled", equalTo(false));
        assertEquals("POST /api/schedules/hello/tick/disable", scheduler.next().path());
        given().post("/api/schedules/hello/tick/enable").then().statusCode(200).body("enabled", equalTo(true));
        assertEquals("POST /api/schedules/hello/tick/enable", scheduler.next().path());
        given().post("/api/schedules/hello/nope/enable").then().statusCode(404)
                .body("error.code", equalTo("SCHEDULE_NOT_FOUND"));
        assertEquals("POST /api/schedules/hello/nope/enable", scheduler.next().path(), "the scheduler's answer, as given");
    }

    /**
     * The kill switch on the fleet page: a link to a page that says what a stop
     * does; its form needs the page's token and the confirmation box, and records
     * who stopped the fleet. A stopped fleet shows a banner with a resume form.
     */
    @Test
    void theKillSwitchAsksForConfirmationAndRecordsWhoStoppedTheFleet() throws Exception {
        given().get("/").then().statusCode(200).body(containsString("id=\"stop-all\""));
        given().get("/fleet/stop").then().statusCode(200).body(containsString("Stop the whole fleet?"))
                .body(containsString("1 open now"));
        String csrf = "k".repeat(43);
        scheduler.forget();
        given().redirects().follow(false).cookie(AuthFilter.CSRF_COOKIE, csrf).formParam("confirm", "yes")
                .post("/fleet/stop").then().statusCode(403).body("error.code", equalTo("CSRF_REJECTED"));
        given().redirects().follow(false).cookie(AuthFilter.CSRF_COOKIE, csrf).formParam("_csrf", csrf)
                .formParam("reason", "drill").post("/fleet/stop").then().statusCode(400)
                .body(containsString("Tick the box to confirm"));
        FakeScheduler.Received sent = scheduler.nextWithin(java.time.Duration.ofMillis(300));
        assertEquals(null, sent == null || sent.path().startsWith("GET ") ? null : sent, "nothing reached the scheduler");

        given().redirects().follow(false).cookie(AuthFilter.CSRF_COOKIE, csrf).formParam("_csrf", csrf)
                .formParam("reason", "drill").formParam("confirm", "yes").post("/fleet/stop").then().statusCode(303)
                .header("Location", endsWith("/#fleet-control"));
        FakeScheduler.Received stop = scheduler.next();
        while (stop != null && !stop.path().startsWith("POST")) {
            stop = scheduler.next();
        }
        assertEquals("POST /api/fleet/stop", stop.path());
        assertEquals("Bearer " + FakeScheduler.TOKEN, stop.authorization());
        JsonNode body = JSON.readTree(stop.body());
        assertEquals("dashboard", body.get("requestedBy").asText(), "no sign-in in this mode: the dashboard itself");
        assertEquals("drill", body.get("reason").asText());

        given().get("/").then().statusCode(200).body(containsString("The fleet is stopped"))
                .body(containsString("id=\"resume-fleet\""));
        given().redirects().follow(false).cookie(AuthFilter.CSRF_COOKIE, csrf).formParam("_csrf", csrf)
                .post("/fleet/resume").then().statusCode(303);
        given().redirects().follow(false).cookie(AuthFilter.CSRF_COOKIE, csrf).formParam("_csrf", csrf)
                .post("/fleet/resume").then().statusCode(409).body(containsString("The fleet is not stopped"));
        given().get("/").then().statusCode(200).body(containsString("id=\"stop-all\""));
        scheduler.forget();
    }
}
