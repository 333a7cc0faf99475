package io.herdctl.scheduler.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
        return new AgentSpec(name, name, List.of(), null, "/fleet/agents/" + name + ".yaml", "/fleet", "default for " + name,
                null, null, null, "acceptEdits", schedules,
                new AgentSpec.DockerSpec(true, true, "2g", 2L << 30, null, null, null, null, null, null, 5, "rw",
                        "herdctl/test-agent:latest", "bridge", null, null, null, null, null),
                1);
    }

    private static List<JobRequested> requests(TopicClient topics, String agent) {
        return topics.readAll(Topics.JOB_REQUESTS).stream().map(r -> EventJson.read(r.value(), JobRequested.class))
                .filter(r -> r.agent().equals(agent)).toList();
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
                    "hourly", new AgentSpec.ScheduleSpec("interval", "1h", 3_600_000L, null, "scheduled prompt", true),
                    "off", new AgentSpec.ScheduleSpec("interval", "1s", 1_000L, null, null, false))))));

            await().atMost(Duration.ofSeconds(20)).until(() -> !requests(topics, "ticker").isEmpty());
            JobRequested fired = requests(topics, "ticker").get(0);
            assertEquals(TriggerType.SCHEDULE, fired.triggerType());
            assertEquals("hourly", fired.schedule());
            assertEquals("scheduled prompt", fired.prompt());
            assertTrue(fired.slot() != null);

            List<ConsumerRecord<String, String>> dead = topics.await(Topics.DEAD_LETTERS, Duration.ofSeconds(20),
                    r -> r.stream().anyMatch(x -> "{not json".equals(x.value())));
            ConsumerRecord<String, String> letter = dead.stream().filter(x -> "{not json".equals(x.value())).findFirst().orElseThrow();
            String reason = new String(letter.headers().lastHeader("dead-letter-reason").value());
            assertTrue(reason.contains("malformed AgentSpecResolved"), reason);
            assertEquals(1, requests(topics, "ticker").size(), "the disabled 1s schedule never fires");
        }
    }
}
