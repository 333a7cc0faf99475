package io.herdctl.config.service;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.herdctl.config.fleet.FleetLoader;
import io.herdctl.config.fleet.LoadedFleet;
import io.herdctl.events.AgentSpec;
import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.EventIds;
import io.herdctl.events.EventJson;
import io.herdctl.events.FleetRevisionEvaluated;
import io.herdctl.events.Topics;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.KafkaBrokerResource;
import io.herdctl.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * config-service starting on topics that already hold this fleet (as after a
 * restart): it publishes nothing that did not change, and removes the agent that
 * disappeared while it was down.
 */
@QuarkusTest
@QuarkusTestResource(value = RestartTest.AlreadyPublished.class, restrictToAnnotatedClass = true)
class RestartTest {

    /** A broker whose topics hold the fleet as a previous run of the service left it, plus an agent since removed. */
    public static class AlreadyPublished extends KafkaBrokerResource {
        static Path dir;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            try {
                dir = Files.createTempDirectory("herdctl-restart-");
                Files.writeString(dir.resolve("herdctl.yaml"), "fleet: {name: kept}\nagents:\n  - path: a.yaml\n  - path: b.yaml\n");
                Files.writeString(dir.resolve("a.yaml"), "name: a\n");
                Files.writeString(dir.resolve("b.yaml"), "name: b\ndefault_prompt: changed while down\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LoadedFleet fleet = new FleetLoader(System.getenv()).load(dir);
            AgentSpec a = fleet.agents().get(0);
            AgentSpec b = fleet.agents().get(1);
            AgentSpec oldB = new AgentSpec(b.qualifiedName(), b.name(), b.fleetPath(), b.description(), b.sourceFile(),
                    b.workingDirectory(), "before", b.systemPrompt(), b.model(), b.maxTurns(), b.permissionMode(),
                    b.schedules(), b.docker(), b.maxConcurrent(), b.tools(), b.allowedTools(), b.deniedTools(),
                    b.mcpServers(), b.timeout(), b.timeoutMillis(), b.sessionTimeoutMillis());
            AgentSpec gone = new AgentSpec("gone", "gone", List.of(), null, "/x.yaml", "/x", null, null, null, null,
                    "acceptEdits", Map.of(), a.docker(), 1, null, null, null, null, null, null, null);
            try (TopicClient topics = new TopicClient(broker().bootstrapServers())) {
                topics.send(Topics.AGENTS, "a", EventJson.write(AgentSpecResolved.of(fleet.revision(), a)));
                topics.send(Topics.AGENTS, "b", EventJson.write(AgentSpecResolved.of("older", oldB)));
                topics.send(Topics.AGENTS, "gone", EventJson.write(AgentSpecResolved.of("older", gone)));
                topics.send(Topics.FLEET_REVISIONS, "kept", EventJson.write(new FleetRevisionEvaluated(EventIds.random(),
                        Instant.now(), 1, "kept", fleet.revision(), true, null, List.of("a", "b"), List.of(), List.of())));
            }
            config.put("herdctl.fleet.path", dir.toString());
            config.put("herdctl.fleet.poll-interval", "1s");
            return config;
        }
    }

    EmbeddedKafkaBroker broker;

    @Test
    void publishesOnlyWhatChangedSinceTheLastRun() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/api/fleet").then().statusCode(200).body("accepted", notNullValue()));
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            List<ConsumerRecord<String, String>> agents = topics.await(Topics.AGENTS, Duration.ofSeconds(10),
                    r -> r.size() >= 5);
            Map<String, Integer> writes = new HashMap<>();
            agents.forEach(r -> writes.merge(r.key(), 1, Integer::sum));
            assertEquals(Map.of("a", 1, "b", 2, "gone", 2), writes, "a unchanged, b updated, gone tombstoned");
            assertNull(agents.stream().filter(r -> r.key().equals("gone")).reduce((x, y) -> y).orElseThrow().value(),
                    "the last record of the removed agent is its tombstone");
            assertEquals(1, topics.readAll(Topics.FLEET_REVISIONS).size(), "the same revision is not announced again");
        }
    }
}
