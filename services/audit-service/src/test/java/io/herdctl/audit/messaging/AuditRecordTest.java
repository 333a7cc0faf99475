package io.herdctl.audit.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.EventJson;
import io.herdctl.events.ExitReason;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.JobUsage;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.OutputStream;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.events.WorkspaceChanges;
import io.herdctl.events.skills.RedFlag;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.KafkaBrokerResource;
import io.herdctl.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The job record against a real broker: lines out of order, a line that never
 * comes and then does, secrets in every output, and the history API.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@TestProfile(JobOutputListenerTest.TempStateDir.class)
class AuditRecordTest {

    static final Path STATE = JobOutputListenerTest.STATE;
    static final Instant T = Instant.parse("2026-11-29T10:00:00Z");
    static final String TOKEN = "ghp_" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8";

    EmbeddedKafkaBroker broker;

    static String out(String job, long seq, String type, Map<String, Object> entry) {
        return EventJson.write(new JobOutputEmitted("o-" + job + "-" + seq, T.plusSeconds(seq), 1, job, "builder", seq,
                OutputStream.STDOUT, type, EventJson.write(entry), false, entry));
    }

    static String text(String job, long seq, String content) {
        return out(job, seq, "assistant", Map.of("type", "assistant", "content", content));
    }

    static Path log(String job) {
        return STATE.resolve("jobs").resolve(job + ".jsonl");
    }

    static List<String> lines(String job) throws IOException {
        return Files.exists(log(job)) ? Files.readAllLines(log(job)) : List.of();
    }

    static AgentSpec spec(String agent) {
        return new AgentSpec(agent, agent, List.of(), null, null, "/w", null, null, null, null, null, Map.of(),
                new AgentSpec.DockerSpec(true, true, "1g", 1L << 30, null, null, null, null, null, null, 5, "rw", "img",
                        "none", null, null, null, null, null), 1, null, null, null, null, null, null, null);
    }

    static String request(String job, String agent, TriggerType trigger, String prompt, Instant at) {
        return EventJson.write(new JobRequested("r-" + job, at, 1, job, agent, trigger == TriggerType.SCHEDULE ? "hourly"
                : null, trigger, prompt, null, spec(agent), null));
    }

    static String status(String job, String agent, JobStatus status, Instant at, long seconds, double cost,
            String summary) {
        boolean end = status.isTerminal();
        JobUsage usage = end ? new JobUsage(10L, 20L, 0L, 0L, 2, cost, Map.of()) : null;
        return EventJson.write(new JobStatusChanged("s-" + job + status, at, 1, job, agent, null, null, status,
                end ? (status == JobStatus.COMPLETED ? ExitReason.SUCCESS : ExitReason.ERROR) : null,
                end ? (status == JobStatus.COMPLETED ? 0 : 1) : null, at.minusSeconds(seconds), end ? at : null,
                end ? seconds * 1000 : null, "c0ffee" + job.substring(job.length() - 6), "runner-a", null, summary, usage,
                null));
    }

    @Test
    void linesOutOfOrderAreWrittenInTheirPlace() throws IOException {
        String job = "job-2026-11-29-ord001";
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            for (long seq : new long[] {1, 3, 2, 5, 4}) {
                topics.send(Topics.JOB_OUTPUT, job, text(job, seq, "line " + seq));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> lines(job).size() == 5);
        }
        List<String> lines = lines(job);
        for (int i = 0; i < 5; i++) {
            assertTrue(lines.get(i).contains("\"content\":\"line " + (i + 1) + "\""), lines.get(i));
        }
        assertTrue(lines.stream().noneMatch(l -> l.contains("OUTPUT_GAP")), "nothing was missing");
    }

    @Test
    void aLineThatNeverComesIsMarkedAndAlertedAndTakesItsPlaceWhenItDoes() throws IOException {
        String job = "job-2026-11-29-gap001";
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.JOB_OUTPUT, job, text(job, 1, "first"));
            topics.send(Topics.JOB_OUTPUT, job, text(job, 3, "third"));
            await().atMost(Duration.ofSeconds(30)).until(() -> lines(job).size() == 3);
            assertTrue(lines(job).get(1).contains("\"code\":\"OUTPUT_GAP\""), lines(job).get(1));
            List<ConsumerRecord<String, String>> gap = topics.await(Topics.ALERTS, Duration.ofSeconds(10),
                    all -> all.stream().anyMatch(r -> r.key().equals(job)));
            assertEquals("output-gap", OcsfFinding.read(gap.stream().filter(r -> r.key().equals(job)).findFirst()
                    .orElseThrow().value()).ruleId());

            topics.send(Topics.JOB_OUTPUT, job, text(job, 2, "second, late"));
            await().atMost(Duration.ofSeconds(30)).until(() -> lines(job).get(1).contains("second, late"));
        }
        List<String> lines = lines(job);
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).contains("first") && lines.get(2).contains("third"), lines.toString());
    }

    @Test
    void lastLinesThatNeverComeAreMarkedOnceTheJobHasEndedAndTheWaitIsOver() throws IOException {
        String job = "job-2026-11-29-tail01";
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.JOB_OUTPUT, job, text(job, 1, "only line that arrives"));
            topics.send(Topics.JOB_STATUS, job, EventJson.write(new JobStatusChanged("s-tail", T.plusSeconds(5), 1, job,
                    "builder", null, TriggerType.MANUAL, JobStatus.COMPLETED, ExitReason.SUCCESS, 0, T, T.plusSeconds(5),
                    5000L, null, "runner-a", null, "done", null, null, 3L)));
            await().atMost(Duration.ofSeconds(30)).until(() -> lines(job).size() == 1
                    && given().get("/api/jobs/" + job).statusCode() == 200);
            given().get("/api/jobs/" + job + "/output").then().header("X-Herdctl-Job-Status", "completed")
                    .header("X-Herdctl-Log-Complete", "false");
            await().atMost(Duration.ofSeconds(30)).until(() -> lines(job).size() == 3);
            List<ConsumerRecord<String, String>> alerts = topics.await(Topics.ALERTS, Duration.ofSeconds(10),
                    all -> all.stream().anyMatch(r -> r.key().equals(job)));
            assertEquals("output-gap", OcsfFinding.read(alerts.stream().filter(r -> r.key().equals(job)).findFirst()
                    .orElseThrow().value()).ruleId());
        }
        List<String> lines = lines(job);
        assertTrue(lines.get(1).contains("OUTPUT_GAP") && lines.get(2).contains("OUTPUT_GAP"), lines.toString());
        given().get("/api/jobs/" + job + "/output").then().header("X-Herdctl-Log-Complete", "true");
    }

    @Test
    void secretsAreMaskedInTheLogTheMetadataTheAlertsAndEveryApiAnswer() throws IOException {
        String job = "job-2026-11-29-sec001";
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.JOB_REQUESTS, "builder", request(job, "builder", TriggerType.MANUAL,
                    "use " + TOKEN + " to push", T));
            topics.send(Topics.JOB_STATUS, job, status(job, "builder", JobStatus.RUNNING, T, 0, 0, null));
            await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(given().get("/api/jobs?agent=builder")
                    .jsonPath().getString("jobs[0].status")));
            topics.send(Topics.JOB_OUTPUT, job, out(job, 1, "tool_use", Map.of("type", "tool_use", "tool_name", "Bash",
                    "input", Map.of("command", "git push https://x:" + TOKEN + "@github.com/a/b"))));
            topics.send(Topics.JOB_STATUS, job, status(job, "builder", JobStatus.COMPLETED, T.plusSeconds(9), 9, 0.01,
                    "pushed with " + TOKEN));
            // The request (its prompt) and the statuses are read by separate consumers: wait for both.
            await().atMost(Duration.ofSeconds(30)).until(() -> lines(job).size() == 1
                    && given().get("/api/jobs/" + job).statusCode() == 200
                    && "completed".equals(given().get("/api/jobs/" + job).jsonPath().getString("status"))
                    && given().get("/api/jobs/" + job).jsonPath().getString("prompt") != null);
            List<ConsumerRecord<String, String>> alerts = topics.await(Topics.ALERTS, Duration.ofSeconds(10),
                    all -> all.stream().anyMatch(r -> r.key().equals(job)));
            String finding = alerts.stream().filter(r -> r.key().equals(job)).findFirst().orElseThrow().value();
            assertFalse(finding.contains(TOKEN), finding);
            assertTrue(finding.contains("[REDACTED:secret-in-output]"), finding);
            assertEquals(2004, EventJson.mapper().readTree(finding).path("class_uid").asInt());
            assertEquals("c0ffeesec001", EventJson.mapper().readTree(finding).path("evidences").get(0).path("container")
                    .path("uid").asText(), "the finding names the job's container");
        }
        assertTrue(lines(job).get(0).contains("https://x:[REDACTED:secret-in-output]@github.com"), lines(job).get(0));
        try (Stream<Path> files = Files.walk(STATE)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f).contains(TOKEN), f + " holds the secret in clear");
            }
        }
        for (String path : List.of("/api/jobs/" + job, "/api/jobs/" + job + "/output", "/api/alerts?job=" + job,
                "/api/jobs?agent=builder")) {
            given().get(path).then().statusCode(200).body(not(containsString(TOKEN)))
                    .body(containsString("[REDACTED:secret-in-output]"));
        }
    }

    @Test
    void workspaceChangesAreKeptWithTheJobAndSensitiveOnesRaiseAlerts() throws IOException {
        String job = "job-2026-11-29-wsp001";
        WorkspaceChanges changes = new WorkspaceChanges(WorkspaceChanges.BASELINE_SNAPSHOT, "a".repeat(40),
                "b".repeat(40), "agents/ws-editor.yaml", List.of(
                        file(".git/hooks/pre-push", "GA"), file(".claude/settings.json", "??"),
                        file(".github/workflows/ci.yml", "CA"), file("agents/ws-editor.yaml", " M"),
                        file("src/app.txt", " M")),
                0, "diff --git a/src/app.txt b/src/app.txt\n+token=" + TOKEN + "\n+<script>x</script>\n", false, List.of());
        JobStatusChanged end = EventJson.read(status(job, "ws-editor", JobStatus.COMPLETED, T.plusSeconds(5), 5, 0.01,
                "done"), JobStatusChanged.class).withWorkspace(changes);
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.JOB_REQUESTS, "ws-editor", request(job, "ws-editor", TriggerType.MANUAL, "edit", T));
            topics.send(Topics.JOB_STATUS, job, EventJson.write(end));
            await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/jobs/" + job).statusCode() == 200
                    && given().get("/api/jobs/" + job).jsonPath().getList("workspace.files") != null);
            List<ConsumerRecord<String, String>> alerts = topics.await(Topics.ALERTS, Duration.ofSeconds(10),
                    all -> all.stream().filter(r -> r.key().equals(job)).count() == 4);
            List<String> findings = alerts.stream().filter(r -> r.key().equals(job)).map(ConsumerRecord::value).toList();
            assertTrue(findings.stream().allMatch(f -> f.contains("workspace-sensitive-change")), findings.toString());
            assertTrue(findings.stream().anyMatch(f -> f.contains("the agent's own configuration file")));
            assertTrue(findings.stream().allMatch(f -> f.contains("\"data_sources\":[\"" + Topics.JOB_STATUS + "\"]")),
                    "read from the job's terminal status: " + findings.get(0));

            // Delivered again: the same file, the same alerts, kept once.
            topics.send(Topics.JOB_STATUS, job, EventJson.write(end));
            topics.await(Topics.ALERTS, Duration.ofSeconds(10),
                    all -> all.stream().filter(r -> r.key().equals(job)).count() == 8);
        }
        given().get("/api/jobs/" + job).then().statusCode(200)
                .body("workspace.baseline", equalTo("snapshot"))
                .body("workspace.files", hasSize(5))
                .body("workspace.files.find { it.path == 'src/app.txt' }.sensitive", equalTo(null))
                .body("workspace.files.find { it.path == 'agents/ws-editor.yaml' }.sensitive",
                        equalTo("the agent's own configuration file"))
                .body("workspace.files.find { it.path == '.git/hooks/pre-push' }.sensitive", equalTo("a git hook"))
                .body("workspace.files.find { it.path == '.github/workflows/ci.yml' }.status", equalTo("CA"))
                .body("workspace.diff", containsString("+token=[REDACTED:secret-in-output]"))
                .body(not(containsString(TOKEN)));
        given().get("/api/alerts?job=" + job).then().statusCode(200).body("total", equalTo(4))
                .body("alerts.ruleId", everyItem(equalTo("workspace-sensitive-change")))
                .body("alerts.find { it.title.contains('pre-push') }.severity", equalTo("critical"));
        Path kept = STATE.resolve("jobs").resolve(job + ".workspace.json");
        assertTrue(Files.readString(kept).contains(".claude/settings.json"));
        assertFalse(Files.readString(kept).contains(TOKEN), "kept masked");
    }

    static WorkspaceChanges.ChangedFile file(String path, String status) {
        return new WorkspaceChanges.ChangedFile(path, status, false, false, false, false);
    }

    @Test
    void aRedFlagOfTheRunnersSkillScanIsAnAlertOnTheTopicAndInTheStore() throws IOException {
        String job = "job-2026-11-29-skl001";
        RedFlag flag = new RedFlag("env-exfiltration", RedFlag.SKILL, io.herdctl.events.Severity.CRITICAL,
                "/w/.claude/skills/stats/index.js", 4, null, "body: JSON.stringify(process.env)",
                "reads the environment (process.env) and line 2 sends it over the network", "remove the skill");
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.JOB_OUTPUT, job, out(job, 1, "system", flag.toEntry("warn")));
            List<ConsumerRecord<String, String>> alerts = topics.await(Topics.ALERTS, Duration.ofSeconds(30),
                    all -> all.stream().anyMatch(r -> r.key().equals(job)));
            String finding = alerts.stream().filter(r -> r.key().equals(job)).findFirst().orElseThrow().value();
            var raised = OcsfFinding.read(finding);
            assertEquals("skill-red-flag", raised.ruleId());
            assertEquals(io.herdctl.events.Severity.CRITICAL, raised.severity());
            assertEquals(1, raised.seq());
            assertTrue(raised.excerpt().startsWith("/w/.claude/skills/stats/index.js:4: "), raised.excerpt());
            await().atMost(Duration.ofSeconds(30)).until(() -> lines(job).size() == 1);
        }
        assertTrue(lines(job).get(0).contains("\"subtype\":\"skill_scan\""), lines(job).get(0));
        given().get("/api/alerts?job=" + job).then().statusCode(200).body(containsString("skill-red-flag"))
                .body(containsString("env-exfiltration"));
    }

    @Test
    void theHistoryApiFiltersSortsAndPages() {
        String[] jobs = {"job-2026-11-29-api001", "job-2026-11-29-api002", "job-2026-11-29-api003",
                "job-2026-11-29-api004"};
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            for (int i = 0; i < jobs.length; i++) {
                String agent = i % 2 == 0 ? "api-even" : "api-odd";
                Instant at = T.plusSeconds(3600L * (i + 1));
                topics.send(Topics.JOB_REQUESTS, agent, request(jobs[i], agent,
                        i == 3 ? TriggerType.SCHEDULE : TriggerType.MANUAL, "task " + i, at));
                topics.send(Topics.JOB_STATUS, jobs[i], status(jobs[i], agent,
                        i == 1 ? JobStatus.FAILED : JobStatus.COMPLETED, at.plusSeconds(10L * (i + 1)), 10L * (i + 1),
                        0.01 * (4 - i), "done " + i));
                topics.send(Topics.JOB_OUTPUT, jobs[i], text(jobs[i], 1, "one"));
                topics.send(Topics.JOB_OUTPUT, jobs[i], text(jobs[i], 2, "two"));
                topics.send(Topics.JOB_OUTPUT, jobs[i], text(jobs[i], 3, "three"));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/jobs?agent=api-odd&status=failed")
                    .jsonPath().getInt("total") == 1 && given().get("/api/jobs?agent=api-even").jsonPath()
                            .getInt("total") == 2 && lines(jobs[3]).size() == 3
                    && java.util.Arrays.stream(jobs).allMatch(j -> {
                        var job = given().get("/api/jobs/" + j).jsonPath();
                        // the request and the end: the status topic and the requests topic are read apart
                        return job.getString("prompt") != null && job.get("durationSeconds") != null;
                    }));
        }
        given().get("/api/jobs?agent=api-even").then().statusCode(200)
                .body("jobs.jobId", equalTo(List.of(jobs[2], jobs[0]))).body("limit", equalTo(50));
        given().get("/api/jobs?agentName=api-odd&status=failed").then()
                .body("jobs[0].jobId", equalTo(jobs[1])).body("jobs[0].exitCode", equalTo(1))
                .body("jobs[0].exitReason", equalTo("error"));
        given().get("/api/jobs?triggerType=schedule&since=2026-11-29T13:00:00Z").then()
                .body("total", equalTo(1)).body("jobs[0].jobId", equalTo(jobs[3]))
                .body("jobs[0].schedule", equalTo("hourly"));
        given().get("/api/jobs?agent=api-odd&sort=-duration").then().body("jobs.jobId", equalTo(List.of(jobs[3], jobs[1])));
        given().get("/api/jobs?agent=api-odd&sort=cost").then().body("jobs.jobId", equalTo(List.of(jobs[3], jobs[1])));
        given().get("/api/jobs?agent=api-even&limit=1&offset=1").then().body("jobs", hasSize(1))
                .body("jobs[0].jobId", equalTo(jobs[0])).body("total", equalTo(2));
        given().get("/api/jobs?until=2026-11-29T12:00:00Z&agent=api-even").then().body("jobs.jobId",
                equalTo(List.of(jobs[0])));

        given().get("/api/jobs/" + jobs[0]).then().statusCode(200).body("prompt", equalTo("task 0"))
                .body("summary", equalTo("done 0")).body("lines", equalTo(3)).body("durationSeconds", equalTo(10))
                .body("usage.total_cost_usd", equalTo(0.04f)).body("costUsd", equalTo(0.04f));
        String two = given().get("/api/jobs/" + jobs[0] + "/output?from=2").then().statusCode(200)
                .header("X-Herdctl-Next-Seq", "4").header("X-Herdctl-Job-Status", "completed")
                .contentType("application/x-ndjson").extract().asString();
        assertEquals(2, two.lines().count());
        assertTrue(two.startsWith("{\"type\":\"assistant\",\"content\":\"two\""), two);
        given().get("/api/jobs/" + jobs[0] + "/output?from=4").then().statusCode(200).header("X-Herdctl-Next-Seq", "4")
                .body(equalTo(""));

        given().get("/api/jobs?status=finished").then().statusCode(400)
                .body("error.message", containsString("status \"finished\" is not one of pending, running"));
        given().get("/api/jobs?limit=0").then().statusCode(400)
                .body("error.message", equalTo("limit must be a whole number from 1 to 500, was \"0\""));
        given().get("/api/jobs?since=yesterday").then().statusCode(400).body("error.message", containsString("since"));
        given().get("/api/jobs?sort=size").then().statusCode(400).body("error.message", containsString("sort \"size\""));
        given().get("/api/jobs/job-2026-11-29-zzz999").then().statusCode(404).body("error.code", equalTo("JOB_NOT_FOUND"));
        given().get("/api/jobs/..%2Fetc%2Fpasswd").then().statusCode(400)
                .body("error.message", containsString("not a herdctl job id"));
        given().get("/api/alerts?severity=urgent").then().statusCode(400);
    }
}
