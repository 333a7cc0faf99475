package io.herdctl.scheduler.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.EventIds;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobCancelRequested;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.ScheduleState;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.scheduler.messaging.ScheduleStore;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.KafkaBrokerResource;
import io.herdctl.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Schedule state and policies with the real broker: a recorded last slot keeps
 * a restarted scheduler from firing twice, missed slots follow catch_up,
 * a busy agent's slot follows overlap, and a runtime switch is kept on the topic.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class SchedulePoliciesTest {

    EmbeddedKafkaBroker broker;

    @Inject
    ScheduleStore store;

    static AgentSpec agent(String name, int maxConcurrent, String overlap, String catchUp) {
        return new AgentSpec(name, name, List.of(), null, "/fleet/agents/" + name + ".yaml", "/fleet", "p", null, null,
                null, "acceptEdits", Map.of("hourly", new AgentSpec.ScheduleSpec("interval", "1h", 3_600_000L, null, null,
                        true, false, null, overlap, catchUp, null)),
                new AgentSpec.DockerSpec(true, true, "2g", 2L << 30, null, null, null, null, null, null, 5, "rw",
                        "herdctl/test-agent:latest", "bridge", null, null, null, null, null),
                maxConcurrent, null, null, null, null, null, null, null);
    }

    static void state(TopicClient topics, String agent, Instant lastSlot) {
        ScheduleState s = new ScheduleState(EventIds.random(), Instant.now(), 1, agent, "hourly", lastSlot, null, null,
                null, null);
        topics.send(Topics.SCHEDULES, s.key(), EventJson.write(s));
    }

    static void publish(TopicClient topics, AgentSpec agent) {
        topics.send(Topics.AGENTS, agent.qualifiedName(), EventJson.write(AgentSpecResolved.of("r", agent)));
    }

    static List<JobRequested> scheduled(TopicClient topics, String agent) {
        return topics.readAll(Topics.JOB_REQUESTS).stream().map(r -> EventJson.read(r.value(), JobRequested.class))
                .filter(r -> r.agent().equals(agent) && r.triggerType() == TriggerType.SCHEDULE).toList();
    }

    /** A job of the agent that is running, as the topics tell it. */
    static JobRequested running(TopicClient topics, AgentSpec agent, String schedule) {
        Instant now = Instant.now();
        JobRequested job = new JobRequested(EventIds.random(), now, 1, JobIds.random(now, java.time.ZoneOffset.UTC),
                agent.qualifiedName(), schedule, schedule == null ? TriggerType.MANUAL : TriggerType.SCHEDULE, "x",
                null, agent, null);
        topics.send(Topics.JOB_REQUESTS, agent.qualifiedName(), EventJson.write(job));
        return job;
    }

    static void finish(TopicClient topics, JobRequested job) {
        topics.send(Topics.JOB_STATUS, job.jobId(), EventJson.write(new JobStatusChanged(EventIds.random(), Instant.now(),
                1, job.jobId(), job.agent(), job.schedule(), job.triggerType(), JobStatus.COMPLETED, null, 0, null, null,
                null, null, "r", null, null, null, null)));
    }

    /** Waits until the scheduler has read the schedule's recorded state, so an agent published next finds it. */
    void awaitRestored(String agent) {
        await().atMost(Duration.ofSeconds(30)).until(() -> store.get(agent, "hourly").isPresent());
    }

    static void quietFor(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRecordedSlotIsNotFiredAgainAfterARestart() {
        Instant last = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            state(topics, "restored", last);
            awaitRestored("restored");
            publish(topics, agent("restored", 1, null, null));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/schedules").then()
                    .body("find { it.agent == 'restored' }.nextFire", equalTo(last.plus(Duration.ofHours(1)).toString()))
                    .body("find { it.agent == 'restored' }.lastFire", equalTo(last.toString())));
            quietFor(Duration.ofSeconds(3));
            assertTrue(scheduled(topics, "restored").isEmpty(), "a new schedule fires at once; a restored one waits");
        }
    }

    @Test
    void missedSlotsFireOnceWithCatchUpOneAndNotAtAllWithNone() {
        Instant last = Instant.now().minus(Duration.ofMinutes(190)).truncatedTo(ChronoUnit.SECONDS);
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            state(topics, "catchy", last);
            state(topics, "lazy", last);
            awaitRestored("catchy");
            awaitRestored("lazy");
            publish(topics, agent("catchy", 1, null, "one"));
            publish(topics, agent("lazy", 1, null, "none"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !scheduled(topics, "catchy").isEmpty());
            quietFor(Duration.ofSeconds(3));
            List<JobRequested> fired = scheduled(topics, "catchy");
            assertEquals(1, fired.size(), "three missed slots, one catch-up");
            assertEquals(last.plus(Duration.ofHours(3)), fired.get(0).slot(), "the latest missed slot");
            assertTrue(scheduled(topics, "lazy").isEmpty());
            given().get("/api/schedules").then()
                    .body("find { it.agent == 'lazy' }.nextFire", equalTo(last.plus(Duration.ofHours(4)).toString()));
        }
    }

    @Test
    void aBusyAgentsSlotIsSkippedQueuedOrReplacesTheRunningJob() {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            AgentSpec skipper = agent("skipper", 1, "skip", null);
            AgentSpec queuer = agent("queuer", 1, "queue", null);
            AgentSpec replacer = agent("replacer", 1, "replace", null);
            JobRequested skipped = running(topics, skipper, null);
            JobRequested blocking = running(topics, queuer, null);
            JobRequested old = running(topics, replacer, "hourly");
            // Each agent is published once the scheduler knows its job runs, whichever consumer is faster.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/api/fleet").then()
                    .body("activeJobs", hasItems(skipped.jobId(), blocking.jobId(), old.jobId())));
            publish(topics, skipper);
            publish(topics, queuer);
            publish(topics, replacer);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/schedules").then()
                    .body("find { it.agent == 'skipper' }.lastSkip", containsString("skipped: agent runs 1 of 1"))
                    .body("find { it.agent == 'queuer' }.waiting", containsString("waits: agent runs 1 of 1")));
            assertTrue(scheduled(topics, "skipper").isEmpty());
            assertTrue(scheduled(topics, "queuer").isEmpty());

            await().atMost(Duration.ofSeconds(10)).until(() -> scheduled(topics, "replacer").size() == 2);
            List<JobCancelRequested> cancels = topics.readAll(Topics.JOB_CONTROL).stream()
                    .map(r -> EventJson.read(r.value(), JobCancelRequested.class)).toList();
            assertEquals(List.of(old.jobId()), cancels.stream().map(JobCancelRequested::jobId).toList());
            assertTrue(cancels.get(0).reason().contains("overlap: replace"), cancels.get(0).reason());

            finish(topics, blocking);
            await().atMost(Duration.ofSeconds(10)).until(() -> scheduled(topics, "queuer").size() == 1);
        }
    }

    @Test
    void aScheduleSwitchedOffStaysOffUntilSwitchedOn() {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            publish(topics, agent("switchy", 1, null, null));
            await().atMost(Duration.ofSeconds(10)).until(() -> scheduled(topics, "switchy").size() == 1);
            given().post("/api/schedules/switchy/hourly/disable").then().statusCode(200)
                    .body("enabledAtRuntime", equalTo(false)).body("enabled", equalTo(true));
            ScheduleState saved = topics.readAll(Topics.SCHEDULES).stream()
                    .map(r -> EventJson.read(r.value(), ScheduleState.class))
                    .filter(s -> s.agent().equals("switchy")).reduce((a, b) -> b).orElseThrow();
            assertEquals(Boolean.FALSE, saved.enabled(), "the switch is on the state topic, for the next start");
            given().post("/api/schedules/switchy/nope/disable").then().statusCode(404)
                    .body("error.code", equalTo("SCHEDULE_NOT_FOUND"));
            given().post("/api/schedules/switchy/hourly/enable").then().statusCode(200)
                    .body("enabledAtRuntime", equalTo(true));
        }
    }

    static String sign(String secret, String body) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA256"));
        return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void aSignedWebhookTriggersItsScheduleWithTheBodyInThePrompt() throws Exception {
        java.nio.file.Files.writeString(java.nio.file.Path.of("target/test-webhook.env"), "HOOK_SECRET=s3cret-value\n");
        AgentSpec base = agent("hooked", 2, null, null);
        AgentSpec hooked = new AgentSpec("hooked", "hooked", List.of(), null, "/f/hooked.yaml", "/f", "p", null, null,
                null, "acceptEdits", Map.of("on-push", new AgentSpec.ScheduleSpec("webhook", null, null, null,
                        "Review this push: {{webhook.body}}", true, false, null, null, null, "HOOK_SECRET")),
                base.docker(), 2, null, null, null, null, null, null, null);
        String body = "{\"ref\":\"refs/heads/main\"}";
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            publish(topics, hooked);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/api/schedules").then()
                    .body("find { it.agent == 'hooked' }.type", equalTo("webhook")));

            given().contentType("application/json").body(body).post("/api/webhooks/hooked/on-push").then()
                    .statusCode(401).body("error.code", equalTo("INVALID_SIGNATURE"));
            given().contentType("application/json").header("X-Herdctl-Signature", sign("wrong", body)).body(body)
                    .post("/api/webhooks/hooked/on-push").then().statusCode(401);
            given().contentType("application/json").header("X-Herdctl-Signature", sign("s3cret-value", body)).body(body)
                    .post("/api/webhooks/hooked/nope").then().statusCode(404);
            String jobId = given().contentType("application/json")
                    .header("X-Herdctl-Signature", sign("s3cret-value", body)).body(body)
                    .post("/api/webhooks/hooked/on-push").then().statusCode(202).extract().path("jobId");

            await().atMost(Duration.ofSeconds(10)).until(() -> topics.readAll(Topics.JOB_REQUESTS).stream()
                    .anyMatch(r -> r.value().contains(jobId)));
            JobRequested job = topics.readAll(Topics.JOB_REQUESTS).stream()
                    .map(r -> EventJson.read(r.value(), JobRequested.class)).filter(r -> r.jobId().equals(jobId))
                    .findFirst().orElseThrow();
            assertEquals(TriggerType.WEBHOOK, job.triggerType());
            assertEquals("on-push", job.schedule());
            assertEquals("Review this push: " + body, job.prompt());
        }
    }
}
