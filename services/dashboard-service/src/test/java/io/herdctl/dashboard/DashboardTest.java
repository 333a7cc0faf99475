package io.herdctl.dashboard;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventJson;
import io.herdctl.events.ExitReason;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.JobUsage;
import io.herdctl.events.OutputStream;
import io.herdctl.events.Severity;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.KafkaBrokerResource;
import io.herdctl.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@TestProfile(DashboardTest.NoScheduler.class)
class DashboardTest {

    /** Points the trigger proxy at a port where nothing listens. */
    public static class NoScheduler implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.rest-client.scheduler.url", "http://127.0.0.1:9");
        }
    }

    static final String JOB = "job-2026-03-04-xyz789";
    static final Instant T = Instant.parse("2026-03-04T05:06:07Z");

    EmbeddedKafkaBroker broker;

    @Test
    void showsAgentsJobsAndOutputFromTheTopics() {
        AgentSpec spec = new AgentSpec("hello", "hello", List.of(), "Says hello", "/f/hello.yaml", "/f", "hi", null, null,
                null, "acceptEdits", Map.of("tick", new AgentSpec.ScheduleSpec("interval", "5m", 300_000L, null, null, true)),
                new AgentSpec.DockerSpec(true, true, "1g", 1L << 30, null, null, null, 64L, null, null, 5, "ro",
                        "herdctl/test-agent:latest", "bridge", null, null, null, null, null),
                1);
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.AGENTS, "hello", EventJson.write(AgentSpecResolved.of("r", spec)));
            topics.send(Topics.JOB_REQUESTS, "hello", EventJson.write(new JobRequested("e1", T, 1, JOB, "hello", "tick",
                    TriggerType.SCHEDULE, "do <b>it</b>", T, spec)));
            topics.send(Topics.JOB_STATUS, JOB, EventJson.write(new JobStatusChanged("e2", T.plusSeconds(1), 1, JOB, "hello",
                    "tick", TriggerType.SCHEDULE, JobStatus.RUNNING, null, null, T.plusSeconds(1), null, null, "c1", "r1",
                    null, null, null, null)));
            topics.send(Topics.JOB_OUTPUT, JOB, EventJson.write(new JobOutputEmitted("e3", T.plusSeconds(2), 1, JOB, "hello",
                    1, OutputStream.STDOUT, "assistant", "{}", false,
                    Map.of("type", "assistant", "content", "<script>alert(1)</script> hello"))));
            topics.send(Topics.JOB_OUTPUT, JOB, EventJson.write(new JobOutputEmitted("e4", T.plusSeconds(2), 1, JOB, "hello",
                    2, OutputStream.STDOUT, "tool_result", "{}", false,
                    Map.of("type", "tool_result", "success", false, "error", "EACCES: permission denied"))));
            topics.send(Topics.ALERTS, JOB, EventJson.write(new AuditAlertRaised("a1", T.plusSeconds(3), 1, JOB, "hello", 2,
                    "permission-denied", "Permission denied", Severity.MEDIUM, "EACCES", T)));
            topics.send(Topics.JOB_STATUS, JOB, EventJson.write(new JobStatusChanged("e5", T.plusSeconds(4), 1, JOB, "hello",
                    "tick", TriggerType.SCHEDULE, JobStatus.COMPLETED, ExitReason.SUCCESS, 0, T.plusSeconds(1),
                    T.plusSeconds(4), 3000L, "c1", "r1", "sess-1", "all done", new JobUsage(1L, 2L, 0L, 0L, 3, 0.25, Map.of()),
                    null)));
            topics.send(Topics.JOB_STATUS, "junk", "{\"not\":\"a status\"}");

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/jobs/" + JOB).then()
                    .statusCode(200).body("status", equalTo("completed")));
        }

        given().get("/api/health").then().statusCode(200).body("status", equalTo("ok"));
        given().get("/api/agents").then().statusCode(200)
                .body("[0].qualifiedName", equalTo("hello"))
                .body("[0].lastJobId", equalTo(JOB))
                .body("[0].schedules[0].interval", equalTo("5m"))
                .body("[0].docker.workspaceMode", equalTo("ro"));
        given().get("/api/agents/nobody").then().statusCode(404).body("error.code", equalTo("AGENT_NOT_FOUND"));
        given().get("/api/jobs?agentName=hello&status=completed").then().statusCode(200)
                .body("total", equalTo(1)).body("jobs[0].jobId", equalTo(JOB)).body("jobs[0].exitCode", equalTo(0))
                .body("jobs[0].triggerType", equalTo("schedule")).body("limit", equalTo(50));
        given().get("/api/jobs?status=exploded").then().statusCode(400).body("error.code", equalTo("INVALID_STATUS"));
        given().get("/api/jobs?limit=500").then().statusCode(400);
        given().get("/api/jobs/job-2026-01-01-nope00").then().statusCode(404);

        given().get("/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .body(containsString("hello"), containsString("/jobs/" + JOB), containsString("completed"));
        given().get("/jobs/" + JOB).then().statusCode(200)
                .body(containsString("&lt;script&gt;alert(1)&lt;/script&gt; hello"), not(containsString("<script>alert(1)")))
                .body(containsString("do &lt;b&gt;it&lt;/b&gt;"))
                .body(containsString("medium: Permission denied"))
                .body(containsString("$0.2500"));
        given().get("/app.css").then().statusCode(200);
    }

    @Test
    void triggerIsProxiedAndProtectedFromOtherSites() {
        given().contentType(ContentType.JSON).header("Origin", "https://evil.test").body("{}")
                .post("/api/agents/hello/trigger").then().statusCode(403);
        given().contentType(ContentType.JSON).header("Sec-Fetch-Site", "cross-site").body("{}")
                .post("/api/agents/hello/trigger").then().statusCode(403);
        given().contentType(ContentType.JSON).body("{\"prompt\":\"x\"}")
                .post("/api/agents/hello/trigger").then().statusCode(503).body("error.code", equalTo("SCHEDULER_UNAVAILABLE"));
        given().contentType(ContentType.TEXT).body("prompt=x").post("/api/agents/hello/trigger").then().statusCode(415);
    }
}
