package io.herdctl.dashboard;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.ConfigProblem;
import io.herdctl.events.EventJson;
import io.herdctl.events.FleetRevisionEvaluated;
import io.herdctl.events.ExitReason;
import io.herdctl.events.JobCancelRequested;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.JobUsage;
import io.herdctl.events.Severity;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.KafkaBrokerResource;
import io.herdctl.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeAudit.Resource.class, restrictToAnnotatedClass = true)
@TestProfile(DashboardTest.NoScheduler.class)
class DashboardTest {

    /**
     * Points the trigger proxy at a port where nothing listens; reads the live
     * feed from its start, so a record sent before the consumer has its
     * partitions is not skipped; beats every second.
     */
    public static class NoScheduler implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.rest-client.scheduler.url", "http://127.0.0.1:9",
                    "mp.messaging.incoming.job-log.auto.offset.reset", "earliest",
                    "herdctl.live.heartbeat", "1s");
        }
    }

    static final String JOB = "job-2026-03-04-xyz789";
    static final Instant T = Instant.parse("2026-03-04T05:06:07Z");

    EmbeddedKafkaBroker broker;
    FakeAudit audit;

    @TestHTTPResource("/")
    URI base;

    static AgentSpec spec() {
        return new AgentSpec("hello", "hello", List.of(), "Says hello", "/f/hello.yaml", "/f", "hi", null, null,
                null, "acceptEdits", Map.of("tick", new AgentSpec.ScheduleSpec("interval", "5m", 300_000L, null, null, true, false, null)),
                new AgentSpec.DockerSpec(true, true, "1g", 1L << 30, null, null, null, 64L, null, null, 5, "ro",
                        "herdctl/test-agent:latest", "bridge", null, null, null, null, null),
                1, null, null, null, null, null, null, null);
    }

    @Test
    void showsAgentsJobsAndOutputFromTheTopics() {
        AgentSpec spec = spec();
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.AGENTS, "hello", EventJson.write(AgentSpecResolved.of("r", spec)));
            topics.send(Topics.JOB_REQUESTS, "hello", EventJson.write(new JobRequested("e1", T, 1, JOB, "hello", "tick",
                    TriggerType.SCHEDULE, "do <b>it</b>", T, spec, null)));
            topics.send(Topics.JOB_STATUS, JOB, EventJson.write(new JobStatusChanged("e2", T.plusSeconds(1), 1, JOB, "hello",
                    "tick", TriggerType.SCHEDULE, JobStatus.RUNNING, null, null, T.plusSeconds(1), null, null, "c1", "r1",
                    null, null, null, null)));
            audit.append(JOB, "{\"type\":\"assistant\",\"content\":\"<script>alert(1)</script> hello\","
                    + "\"timestamp\":\"2026-03-04T05:06:09Z\"}",
                    "{\"type\":\"tool_result\",\"success\":false,\"error\":\"EACCES: permission denied\","
                    + "\"timestamp\":\"2026-03-04T05:06:09Z\"}");
            audit.status(JOB, "completed", true);
            audit.alert("a1", JOB, 2, "permission-denied", "Permission denied", "medium");
            audit.listed(Map.of("jobId", JOB, "agentName", "hello", "status", "completed", "exitCode", 0,
                    "triggerType", "schedule", "createdAt", "2026-03-04T05:06:07Z"));
            topics.send(Topics.ALERTS, JOB, OcsfFinding.json(new AuditAlertRaised("a1", T.plusSeconds(3), 1, JOB, "hello", 2,
                    "permission-denied", "Permission denied", Severity.MEDIUM, "EACCES", T), OcsfFinding.Context.NONE));
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
        given().get("/api/jobs?status=exploded").then().statusCode(400)
                .body("error.message", containsString("\"exploded\" is not one of"));
        given().get("/api/jobs?limit=500").then().statusCode(400);
        given().get("/api/jobs/job-2026-01-01-nope00").then().statusCode(404).body("error.code", equalTo("JOB_NOT_FOUND"));
        given().get("/api/fleet/status").then().statusCode(200).body("counts.totalAgents", equalTo(1))
                .body("counts.totalSchedules", equalTo(1)).body("scheduler.status", equalTo("unavailable"));

        given().get("/").then().statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .body(containsString("hello"), containsString("/jobs/" + JOB), containsString("completed"));
        given().get("/jobs/" + JOB).then().statusCode(200)
                .body(containsString("&lt;script&gt;alert(1)&lt;/script&gt; hello"), not(containsString("<script>alert(1)")))
                .body(containsString("do &lt;b&gt;it&lt;/b&gt;"))
                .body(containsString("medium: Permission denied"))
                .body(containsString("$0.2500"))
                .body(not(containsString("id=\"cancel-job\"")), not(containsString("cancel requested")));
        given().get("/app.css").then().statusCode(200);
    }

    /** A finished job's workspace changes, from audit-service: files with their letters, sensitive ones marked, the diff as text. */
    @Test
    void theJobPageShowsWhatTheJobChangedInItsWorkspace() {
        String id = "job-2026-03-04-wsp001";
        audit.status(id, "completed", true);
        Map<String, Object> workspace = new java.util.LinkedHashMap<>();
        workspace.put("baseline", "snapshot");
        workspace.put("headBefore", "0123456789abcdef0123456789abcdef01234567");
        workspace.put("headAfter", "fedcba9876543210fedcba9876543210fedcba98");
        workspace.put("agentFile", "agents/hello.yaml");
        workspace.put("files", List.of(
                changed(".claude/settings.json", "??", "Claude Code settings, skills or hooks", Map.of()),
                changed("logo.png", "A ", null, Map.of("binary", true)),
                changed("src/<b>app</b>.txt", " M", null, Map.of("preexisting", true))));
        workspace.put("filesOmitted", 0);
        workspace.put("diff", "diff --git a/src/app.txt b/src/app.txt\n+<script>alert(1)</script>\n");
        workspace.put("diffTruncated", true);
        workspace.put("notes", List.of("12 more changed files are not listed (at most 300)"));
        audit.stored(id, Map.of("jobId", id, "agentName", "hello", "status", "completed", "triggerType", "manual",
                "startedAt", "2026-03-04T05:06:07Z", "workspace", workspace));

        given().get("/jobs/" + id).then().statusCode(200)
                .body(containsString("Workspace changes"), containsString("changes made by the job"))
                .body(containsString("HEAD 0123456789ab → fedcba987654"), containsString("1 sensitive"))
                .body(containsString("<tr class=\"sensitive\"><td><code>??</code></td><td><code>.claude/settings.json</code>"))
                .body(containsString("⚠ Claude Code settings, skills or hooks"))
                .body(containsString("<code>A </code></td><td><code>logo.png</code>"), containsString("binary, not diffed"))
                .body(containsString("src/&lt;b&gt;app&lt;/b&gt;.txt"), containsString("changed before the job too"))
                .body(containsString("Diff (truncated)"), containsString("+&lt;script&gt;alert(1)&lt;/script&gt;"))
                .body(not(containsString("<script>alert(1)")), not(containsString("<b>app</b>")))
                .body(containsString("12 more changed files are not listed"));
    }

    static Map<String, Object> changed(String path, String status, String sensitive, Map<String, Object> flags) {
        Map<String, Object> f = new java.util.LinkedHashMap<>();
        f.put("path", path);
        f.put("status", status);
        f.put("sensitive", sensitive);
        f.put("preexisting", false);
        f.put("binary", false);
        f.put("withheld", false);
        f.put("diffTruncated", false);
        f.putAll(flags);
        return f;
    }

    /** A rejected edit: the fleet page says what to fix and where, and which revision stays in force. */
    @Test
    void aRejectedConfigurationChangeIsShownWithItsErrors() {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.FLEET_REVISIONS, "demo", EventJson.write(new FleetRevisionEvaluated("fr1", T, 1, "demo",
                    "rev-good", true, "/f/herdctl.yaml", List.of("hello"), List.of(), List.of())));
            topics.send(Topics.FLEET_REVISIONS, "demo", EventJson.write(new FleetRevisionEvaluated("fr2",
                    T.plusSeconds(60), 1, "demo", "rev-bad", false, "/f/herdctl.yaml", List.of(),
                    List.of(new ConfigProblem("/f/agents/hello.yaml", 7, 3, "docker.network",
                            "network is a fleet-level option <not allowed here>")), List.of())));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/fleet/status").then()
                    .statusCode(200).body("state", equalTo("degraded")).body("config.revision", equalTo("rev-bad"))
                    .body("config.revisionInForce", equalTo("rev-good")));
        }
        given().get("/").then().statusCode(200)
                .body(containsString("The last configuration change was rejected"), containsString("rev-good"),
                        containsString("hello.yaml"), containsString("docker.network"),
                        containsString("&lt;not allowed here&gt;"));
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

    @Test
    void cancelPublishesARequestForALiveJobAndEveryPageShowsIt() throws Exception {
        String running = "job-2026-03-05-run001";
        String pending = "job-2026-03-05-pend01";
        String elsewhere = "job-2026-03-05-else01";
        String finished = "job-2026-03-05-done01";
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            // Another replica's request, read before the job's own request: the page still shows it.
            topics.send(Topics.JOB_CONTROL, elsewhere, EventJson.write(new JobCancelRequested("c0", T, 1, elsewhere,
                    "dashboard", "from another replica")));
            for (String id : List.of(running, pending, elsewhere, finished)) {
                topics.send(Topics.JOB_REQUESTS, "hello", EventJson.write(new JobRequested("r-" + id, T, 1, id, "hello",
                        null, TriggerType.MANUAL, "p", null, spec(), null)));
            }
            topics.send(Topics.JOB_STATUS, running, EventJson.write(status(running, JobStatus.RUNNING)));
            topics.send(Topics.JOB_STATUS, finished, EventJson.write(status(finished, JobStatus.COMPLETED)));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                given().get("/api/jobs/" + running).then().statusCode(200).body("status", equalTo("running"));
                given().get("/api/jobs/" + finished).then().statusCode(200).body("status", equalTo("completed"));
                given().get("/api/jobs/" + pending).then().statusCode(200).body("status", equalTo("pending"));
                given().get("/jobs/" + elsewhere).then().statusCode(200)
                        .body(containsString("cancel requested"), containsString("from another replica"));
            });

            given().get("/jobs/" + running).then().statusCode(200)
                    .body(containsString("id=\"cancel-job\""), containsString("<script src=\"/job.js\" defer></script>"))
                    .body(not(containsString("cancel requested")), not(containsString("<script>")));
            given().get("/job.js").then().statusCode(200).body(containsString("/cancel"));

            given().contentType(ContentType.JSON).header("Origin", "https://evil.test").body("{}")
                    .post("/api/jobs/" + running + "/cancel").then().statusCode(403);
            given().contentType(ContentType.JSON).header("Sec-Fetch-Site", "cross-site").body("{}")
                    .post("/api/jobs/" + running + "/cancel").then().statusCode(403);
            given().contentType(ContentType.TEXT).body("reason=x").post("/api/jobs/" + running + "/cancel").then()
                    .statusCode(415);
            given().formParam("reason", "x").post("/api/jobs/" + running + "/cancel").then().statusCode(415)
                    .body("error.code", equalTo("UNSUPPORTED_MEDIA_TYPE"));
            given().contentType(ContentType.JSON).body("{\"reason\":\"" + "x".repeat(1_001) + "\"}")
                    .post("/api/jobs/" + running + "/cancel").then().statusCode(400)
                    .body("error.code", equalTo("INVALID_REASON"));

            given().contentType(ContentType.JSON).body("{\"reason\":\"stuck in a loop\"}")
                    .post("/api/jobs/" + running + "/cancel").then().statusCode(202)
                    .body("jobId", equalTo(running)).body("status", equalTo("cancel-requested"));
            HttpResponse<String> bodiless = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    base.resolve("/api/jobs/" + pending + "/cancel")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, bodiless.statusCode(), "a POST with no body and no Content-Type: " + bodiless.body());

            List<JobCancelRequested> published = topics.await(Topics.JOB_CONTROL, Duration.ofSeconds(20),
                    r -> r.stream().filter(x -> x.key().equals(running) || x.key().equals(pending)).count() == 2).stream()
                    .filter(r -> r.key().equals(running) || r.key().equals(pending))
                    .map(r -> EventJson.read(r.value(), JobCancelRequested.class)).toList();
            JobCancelRequested ofRunning = published.stream().filter(c -> c.jobId().equals(running)).findFirst().orElseThrow();
            assertEquals("dashboard", ofRunning.requestedBy());
            assertEquals("stuck in a loop", ofRunning.reason());
            assertNull(published.stream().filter(c -> c.jobId().equals(pending)).findFirst().orElseThrow().reason());

            given().get("/jobs/" + running).then().statusCode(200)
                    .body(containsString("cancel requested"), containsString("by dashboard at"),
                            containsString("stuck in a loop"), not(containsString("id=\"cancel-job\"")));

            given().contentType(ContentType.JSON).body("{}").post("/api/jobs/" + finished + "/cancel").then()
                    .statusCode(409).body("error.code", equalTo("JOB_ALREADY_FINISHED"))
                    .body("error.message", containsString("completed"));
            given().contentType(ContentType.JSON).body("{}").post("/api/jobs/job-2026-01-01-nope00/cancel").then()
                    .statusCode(404).body("error.code", equalTo("JOB_NOT_FOUND"));
            given().contentType(ContentType.JSON).body("{}").post("/api/jobs/not-a-job/cancel").then()
                    .statusCode(404).body("error.code", equalTo("JOB_NOT_FOUND"));
            assertEquals(3, topics.readAll(Topics.JOB_CONTROL).size(), "nothing published for a refused cancel");
        }
    }

    private static JobStatusChanged status(String jobId, JobStatus status) {
        return new JobStatusChanged("s-" + jobId + "-" + status.wire(), T.plusSeconds(1), 1, jobId, "hello", null,
                TriggerType.MANUAL, status, status.isTerminal() ? ExitReason.SUCCESS : null, status.isTerminal() ? 0 : null,
                T.plusSeconds(1), status.isTerminal() ? T.plusSeconds(2) : null, null, "c1", "r1", null, null, null, null);
    }
}
