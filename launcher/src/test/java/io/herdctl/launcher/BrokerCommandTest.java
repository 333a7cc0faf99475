package io.herdctl.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class BrokerCommandTest {

    @Test
    void kafkaVariablesBecomeBrokerProperties() {
        Map<String, String> props = BrokerCommand.fromEnvironment(Map.of(
                "KAFKA_ADVERTISED_LISTENERS", "INTERNAL://kafka:9092",
                "KAFKA_LOG_RETENTION_HOURS", "72",
                "KAFKA_SOME__ODD_NAME", "x",
                "KAFKA_HEAP_OPTS", "-Xmx1g",
                "HERDCTL_BROKER_CLUSTER_ID", "abc",
                "PATH", "/bin"));
        assertEquals(Map.of("advertised.listeners", "INTERNAL://kafka:9092", "log.retention.hours", "72",
                "some_odd.name", "x"), props);
    }

    @Test
    void theEnvironmentOverridesTheSingleNodeDefaults() throws Exception {
        Properties p = BrokerCommand.properties(Path.of("/data"), null, Map.of("KAFKA_NODE_ID", "3"));
        assertEquals("3", p.getProperty("node.id"));
        assertEquals("/data/log", p.getProperty("log.dirs"));
        assertTrue(p.getProperty("listeners").contains("127.0.0.1"), "by default only loopback");
        assertFalse(p.getProperty("auto.create.topics.enable").equals("true"));
    }

    @Test
    void theAdminClientUsesTheInterBrokerListenersAdvertisedAddress() {
        Properties p = new Properties();
        p.put("advertised.listeners", "INTERNAL://kafka:9092,HOST://127.0.0.1:19094");
        p.put("inter.broker.listener.name", "INTERNAL");
        assertEquals("kafka:9092", BrokerCommand.adminAddress(p));
        p.remove("inter.broker.listener.name");
        p.put("advertised.listeners", "CONTROLLER://0.0.0.0:9093,PLAINTEXT://0.0.0.0:9092");
        assertEquals("127.0.0.1:9092", BrokerCommand.adminAddress(p), "a wildcard address is reached on loopback");
        p.put("advertised.listeners", "CONTROLLER://c:9093");
        assertThrows(IllegalArgumentException.class, () -> BrokerCommand.adminAddress(p));
    }
}
