package io.herdctl.config.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.EventJson;
import io.herdctl.events.FleetRevisionEvaluated;
import io.herdctl.events.Topics;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.KafkaBrokerResource;
import io.herdctl.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The fleet on its topics, against a real broker: publish, reject a bad edit, tombstone a removed agent. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TempFleetResource.class, restrictToAnnotatedClass = true)
class FleetPublishingTest {

    EmbeddedKafkaBroker broker;

    private static Map<String, String> latestByKey(List<ConsumerRecord<String, String>> records) {
        Map<String, String> latest = new HashMap<>();
        records.forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }

    @Test
    void publishesAgentsRejectsBadEditsAndTombstonesRemovedAgents() throws Exception {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            Map<String, String> agents = latestByKey(topics.await(Topics.AGENTS, Duration.ofSeconds(30),
                    r -> latestByKey(r).keySet().containsAll(List.of("alpha", "beta"))));
            AgentSpecResolved alpha = EventJson.read(agents.get("alpha"), AgentSpecResolved.class);
            assertEquals("hello", alpha.spec().defaultPrompt());

            // An agent file that grants itself host networking is rejected, and alpha stays as it was.
            Files.writeString(TempFleetResource.dir.resolve("agents/alpha.yaml"),
                    "name: alpha\ndefault_prompt: hello\ndocker:\n  network: host\n");
            List<ConsumerRecord<String, String>> revisions = topics.await(Topics.FLEET_REVISIONS, Duration.ofSeconds(30),
                    r -> r.stream().anyMatch(x -> !EventJson.read(x.value(), FleetRevisionEvaluated.class).accepted()));
            FleetRevisionEvaluated rejected = revisions.stream()
                    .map(x -> EventJson.read(x.value(), FleetRevisionEvaluated.class))
                    .filter(x -> !x.accepted()).findFirst().orElseThrow();
            assertEquals("agents/alpha.yaml", rejected.errors().get(0).file());
            assertEquals("docker.network", rejected.errors().get(0).path());
            given().get("/api/fleet").then().statusCode(200)
                    .body("evaluated.accepted", equalTo(false))
                    .body("accepted.agents.size()", equalTo(2))
                    .body("evaluated.errors[0].message", containsString("fleet-level"));

            // Removing beta from the fleet publishes its tombstone.
            Files.writeString(TempFleetResource.dir.resolve("agents/alpha.yaml"), "name: alpha\ndefault_prompt: hi again\n");
            Files.writeString(TempFleetResource.dir.resolve("herdctl.yaml"),
                    "fleet:\n  name: it\nagents:\n  - path: agents/alpha.yaml\n");
            Map<String, String> after = latestByKey(topics.await(Topics.AGENTS, Duration.ofSeconds(30),
                    r -> latestByKey(r).containsKey("beta") && latestByKey(r).get("beta") == null));
            assertNull(after.get("beta"));
            assertEquals("hi again", EventJson.read(after.get("alpha"), AgentSpecResolved.class).spec().defaultPrompt());

            given().get("/api/fleet/agents/alpha").then().statusCode(200).body("defaultPrompt", equalTo("hi again"));
            given().get("/api/fleet/agents/beta").then().statusCode(404);
            given().post("/api/fleet/reload").then().statusCode(200).body("accepted", equalTo(true));
            given().get("/api/fleet/revisions").then().statusCode(200)
                    // Newest first; the two edits above may be seen as one revision or as two.
                    .body("[0].accepted", equalTo(true)).body("accepted", hasItem(false));
        }
        assertTrue(Files.exists(TempFleetResource.dir.resolve("herdctl.yaml")));
        assertFalse(broker.bootstrapServers().isEmpty());
    }

    /** The dashboard's agent page shows doctor's findings for that agent and for the whole fleet. */
    @Test
    void doctorGradesTheWatchedFleetPerAgent() {
        given().get("/api/doctor?agent=alpha").then().statusCode(200)
                .body("report.loaded", equalTo(true))
                .body("report.findings.id", org.hamcrest.Matchers.hasItem("docker-enabled"))
                .body("report.findings.findAll { it.agent != null && it.agent != 'alpha' }.size()", equalTo(0))
                .body("report.findings.find { it.id == 'docker-enabled' }.fix", containsString("docker"));
        given().get("/api/doctor").then().statusCode(200).body("report.findings.size()",
                org.hamcrest.Matchers.greaterThan(0)).body("takenAt", org.hamcrest.Matchers.notNullValue());
    }
}
