package io.herdctl.scheduler.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.EventIds;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.KafkaBrokerResource;
import io.herdctl.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class SchedulerTest {

    EmbeddedKafkaBroker broker;

    static AgentSpec agent(String name, Map<String, AgentSpec.ScheduleSpec> schedules) {
        return agent(name, schedules, 1);
    }

    static AgentSpec agent(String name, Map<String, AgentSpec.ScheduleSpec> schedules, int maxConcurrent) {
        return new AgentSpec(name, name, List.of(), null, "/fleet/agents/" + name + ".yaml", "/fleet", "default for " + name,
                null, null, null, "acceptEdits", schedules,
                new AgentSpec.DockerSpec(true, true, "2g", 2L << 30, null, null, null, null, null, null, 5, "rw",
                        "herdctl/test-agent:latest", "bridge", null, null, null, null, null),
                maxConcurrent, null, null, null, null, null, null, null);
    }

    private static List<JobRequested> requests(TopicClient topics, String agent) {
        return requests(topics.readAll(Topics.JOB_REQUESTS), agent);
    }

    @Test
    void manualTriggerPublishesARequestAndEnforcesCapacity() {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.AGENTS, "manual", EventJson.write(AgentSpecResolved.of("r1", agent("manual", Map.of()))));

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().contentType(ContentType.JSON)
                    .body("{\"prompt\":\"say $HOME `id` \\\"quoted\\\"\"}")
                    .post("/api/agents/manual/trigger").then().statusCode(202)
                    .body("jobId", matchesPattern("^job-\\d{4}-\\d{2}-\\d{2}-[a-z0-9]{6}$"))
                    .body("agentName", equalTo("manual")));

            JobRequested request = requests(topics, "manual").get(0);
            assertEquals(TriggerType.MANUAL, request.triggerType());
            assertEquals("say $HOME `id` \"quoted\"", request.prompt());
            assertEquals("manual", request.spec().qualifiedName());
            assertNull(request.resume(), "no resume asked: a fresh session");

            given().contentType(ContentType.JSON).body("{}").post("/api/agents/manual/trigger").then().statusCode(409)
                    .body("error.code", equalTo("CONCURRENCY_LIMIT"))
                    .body("error.details.running", equalTo(1));

            topics.send(Topics.JOB_STATUS, request.jobId(), EventJson.write(new JobStatusChanged(EventIds.random(),
                    Instant.now(), 1, request.jobId(), "manual", null, TriggerType.MANUAL, JobStatus.COMPLETED, null, 0,
                    null, null, null, null, null, null, null, null, null)));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().contentType(ContentType.JSON).body("{}")
                    .post("/api/agents/manual/trigger").then().statusCode(202));
            assertEquals("default for manual", requests(topics, "manual").get(1).prompt());

            given().contentType(ContentType.JSON).body("{}").post("/api/agents/nobody/trigger").then().statusCode(404)
                    .body("error.code", equalTo("AGENT_NOT_FOUND"));
        }
    }

    @Test
    void intervalScheduleFiresAtOnceWithADerivedIdAndSurvivesMalformedRecords() {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.AGENTS, "broken", "{not json");
            topics.send(Topics.AGENTS, "ticker", EventJson.write(AgentSpecResolved.of("r1", agent("ticker", Map.of(
                    "hourly", new AgentSpec.ScheduleSpec("interval", "1h", 3_600_000L, null, "scheduled prompt", true, false, null),
                    "off", new AgentSpec.ScheduleSpec("interval", "1s", 1_000L, null, null, false, false, null))))));

            await().atMost(Duration.ofSeconds(20)).until(() -> !requests(topics, "ticker").isEmpty());
            JobRequested fired = requests(topics, "ticker").get(0);
            assertEquals(TriggerType.SCHEDULE, fired.triggerType());
            assertEquals("hourly", fired.schedule());
            assertEquals("scheduled prompt", fired.prompt());
            assertTrue(fired.slot() != null);
            assertNull(fired.resume(), "resume_session is false: a fresh session");

            List<ConsumerRecord<String, String>> dead = topics.await(Topics.DEAD_LETTERS, Duration.ofSeconds(20),
                    r -> r.stream().anyMatch(x -> "{not json".equals(x.value())));
            ConsumerRecord<String, String> letter = dead.stream().filter(x -> "{not json".equals(x.value())).findFirst().orElseThrow();
            String reason = new String(letter.headers().lastHeader("dead-letter-reason").value());
            assertTrue(reason.contains("malformed AgentSpecResolved"), reason);
            assertEquals(1, requests(topics, "ticker").size(), "the disabled 1s schedule never fires");
        }
    }

    @Test
    void manualTriggerPassesResumeAndRefusesMalformedSessionIds() {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.AGENTS, "resumer", EventJson.write(AgentSpecResolved.of("r1", agent("resumer", Map.of(), 10))));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().contentType(ContentType.JSON).body("{}")
                    .post("/api/agents/resumer/trigger").then().statusCode(202));

            Map<String, String> bodies = new LinkedHashMap<>();
            bodies.put("{\"resume\":true}", JobRequested.RESUME_LAST);
            bodies.put("{\"resume\":false}", null);
            bodies.put("{\"resume\":null}", null);
            bodies.put("{\"prompt\":\"go on\"}", null);
            bodies.put("{\"resume\":\"0b6f4c1e-2d3a-4f5b-9c8d-7e6f5a4b3c2d\"}", "0b6f4c1e-2d3a-4f5b-9c8d-7e6f5a4b3c2d");
            bodies.put("{\"resume\":\"Sess_1.v2-x\"}", "Sess_1.v2-x");
            Map<String, String> expectedByJob = new LinkedHashMap<>();
            bodies.forEach((body, expected) -> expectedByJob.put(given().contentType(ContentType.JSON).body(body)
                    .post("/api/agents/resumer/trigger").then().statusCode(202).extract().path("jobId"), expected));

            List<String> refused = List.of("{\"resume\":\"\"}", "{\"resume\":\"   \"}",
                    "{\"resume\":\"" + "a".repeat(201) + "\"}", "{\"resume\":\"../../etc/passwd\"}",
                    "{\"resume\":\"-rf\"}", "{\"resume\":\"a b\"}", "{\"resume\":\"sess;id\"}", "{\"resume\":42}",
                    "{\"resume\":{\"id\":\"x\"}}");
            for (String body : refused) {
                given().contentType(ContentType.JSON).body(body).post("/api/agents/resumer/trigger").then()
                        .statusCode(400)
                        .body("error.code", equalTo("INVALID_RESUME"))
                        .body("error.message", containsString("\"resume\""))
                        .body("error.details.field", equalTo("resume"));
            }
            given().contentType(ContentType.JSON).body("{\"resume\":\"" + "a".repeat(200) + "\"}")
                    .post("/api/agents/resumer/trigger").then().statusCode(202);

            List<JobRequested> published = requests(topics.await(Topics.JOB_REQUESTS, Duration.ofSeconds(20),
                    r -> requests(r, "resumer").size() >= 8), "resumer");
            assertEquals(8, published.size(), "one request per accepted trigger, none for a refused one");
            Map<String, JobRequested> byJob = published.stream().collect(Collectors.toMap(JobRequested::jobId, r -> r));
            expectedByJob.forEach((jobId, expected) -> assertEquals(expected, byJob.get(jobId).resume(), jobId));
        }
    }

    @Test
    void schedulesWithResumeSessionAskForTheLatestSession() {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.AGENTS, "continuer", EventJson.write(AgentSpecResolved.of("r1", agent("continuer", Map.of(
                    "resumes", new AgentSpec.ScheduleSpec("interval", "1h", 3_600_000L, null, null, true, true, null),
                    "fresh", new AgentSpec.ScheduleSpec("interval", "1h", 3_600_000L, null, null, true, false, null)), 2))));

            await().atMost(Duration.ofSeconds(20)).until(() -> requests(topics, "continuer").size() == 2);
            Map<String, JobRequested> bySchedule = requests(topics, "continuer").stream()
                    .collect(Collectors.toMap(JobRequested::schedule, r -> r));
            assertEquals(JobRequested.RESUME_LAST, bySchedule.get("resumes").resume());
            assertNull(bySchedule.get("fresh").resume());
        }
    }

    private static List<JobRequested> requests(List<ConsumerRecord<String, String>> records, String agent) {
        return records.stream().map(r -> EventJson.read(r.value(), JobRequested.class))
                .filter(r -> r.agent().equals(agent)).toList();
    }

    @Test
    void aCronScheduleFiresOnItsMinuteInItsTimeZone() {
        java.time.ZoneId tokyo = java.time.ZoneId.of("Asia/Tokyo");
        Instant boundary = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plus(Duration.ofMinutes(2));
        var inTokyo = boundary.atZone(tokyo);
        // Far enough ahead that reading the agent and planning it cannot miss the minute on a slow machine.
        io.herdctl.scheduler.support.ShiftedClock.shiftTo(boundary.minusSeconds(15));
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            AgentSpec agent = agent("cronned", Map.of(
                    "hourly-tokyo", new AgentSpec.ScheduleSpec("cron", null, null,
                            inTokyo.getMinute() + " " + inTokyo.getHour() + " * * *", "cron prompt",
                            true, false, "Asia/Tokyo")));
            topics.send(Topics.AGENTS, agent.qualifiedName(), EventJson.write(AgentSpecResolved.of("r-cron", agent)));
            await().atMost(Duration.ofSeconds(40)).until(() -> !requests(topics, "cronned").isEmpty());
            List<JobRequested> fired = requests(topics, "cronned");
            assertEquals(1, fired.size(), "one slot, one request");
            assertEquals(boundary, fired.get(0).slot(), "the slot is the cron minute on Tokyo's wall clock");
            assertEquals("cron prompt", fired.get(0).prompt());
            assertEquals(TriggerType.SCHEDULE, fired.get(0).triggerType());
        } finally {
            io.herdctl.scheduler.support.ShiftedClock.reset();
        }
    }
}
