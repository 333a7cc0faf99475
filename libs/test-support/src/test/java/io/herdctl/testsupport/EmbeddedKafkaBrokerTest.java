package io.herdctl.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.Topics;

class EmbeddedKafkaBrokerTest {

    @Test
    void createsTheProjectTopicsWithTheirPartitionsAndCleanupPolicy() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startEphemeral().createProjectTopics();
                Admin admin = broker.admin()) {
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());
            var descriptions = admin.describeTopics(Topics.ALL.stream().map(Topics.TopicSpec::name).toList())
                    .allTopicNames().get(10, TimeUnit.SECONDS);
            for (Topics.TopicSpec spec : Topics.ALL) {
                assertEquals(spec.partitions(), descriptions.get(spec.name()).partitions().size(), spec.name());
            }
            ConfigResource agents = new ConfigResource(ConfigResource.Type.TOPIC, Topics.AGENTS);
            String policy = admin.describeConfigs(java.util.List.of(agents)).all().get(10, TimeUnit.SECONDS)
                    .get(agents).get("cleanup.policy").value();
            assertEquals("compact", policy);
        }
    }

    @Test
    void freePortsAreDistinctBindableAndOutsideTheEphemeralRange() throws java.io.IOException {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = EmbeddedKafkaBroker.freePort();
            assertTrue(port >= EmbeddedKafkaBroker.FREE_PORT_LOW && port < EmbeddedKafkaBroker.FREE_PORT_HIGH,
                    "port " + port);
            assertTrue(seen.add(port), "handed out twice: " + port);
            try (java.net.ServerSocket listener = new java.net.ServerSocket(port, 1,
                    java.net.InetAddress.getLoopbackAddress())) {
                assertEquals(port, listener.getLocalPort());
            }
        }
    }

    @Test
    void persistentBrokerKeepsRecordsAcrossARestart(@TempDir Path dir) {
        int port = EmbeddedKafkaBroker.freePort();
        int controller = EmbeddedKafkaBroker.freePort();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startPersistent(dir, port, controller).createProjectTopics();
                TopicClient client = new TopicClient(broker.bootstrapServers())) {
            client.send(Topics.JOB_STATUS, "k", "v1");
        }
        assertTrue(Files.exists(dir.resolve("log").resolve("meta.properties")));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startPersistent(dir, port, controller).createProjectTopics();
                TopicClient client = new TopicClient(broker.bootstrapServers())) {
            var records = client.await(Topics.JOB_STATUS, Duration.ofSeconds(10), r -> !r.isEmpty());
            assertEquals(Map.of("k", "v1"), Map.of(records.get(0).key(), records.get(0).value()));
        }
    }
}
