package io.herdctl.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.Topics;
import io.herdctl.testsupport.EmbeddedKafkaBroker;

/**
 * The Compose deployment publishes a second listener on the host's loopback for a SIEM;
 * a client there may read the alerts and job status, and nothing else, while the
 * services' listener may do everything. Proven against a real broker.
 */
class BrokerReadOnlyListenerTest {

    @TempDir
    static Path dir;
    private static EmbeddedKafkaBroker broker;
    private static String internal;
    private static String host;

    @BeforeAll
    static void start() throws Exception {
        int internalPort = EmbeddedKafkaBroker.freePort();
        int hostPort = EmbeddedKafkaBroker.freePort();
        int controller = EmbeddedKafkaBroker.freePort();
        internal = "127.0.0.1:" + internalPort;
        host = "127.0.0.1:" + hostPort;
        Properties props = BrokerCommand.properties(Files.createDirectories(dir.resolve("kafka")), null, Map.of(
                "KAFKA_LISTENERS", "INTERNAL://" + internal + ",HOST://" + host + ",CONTROLLER://127.0.0.1:" + controller,
                "KAFKA_ADVERTISED_LISTENERS", "INTERNAL://" + internal + ",HOST://" + host,
                "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "INTERNAL:PLAINTEXT,HOST:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "KAFKA_INTER_BROKER_LISTENER_NAME", "INTERNAL",
                "KAFKA_CONTROLLER_QUORUM_VOTERS", "1@127.0.0.1:" + controller));
        BrokerCommand.restrictListeners(props, List.of("HOST"));
        broker = EmbeddedKafkaBroker.start(props, null, BrokerCommand.adminAddress(props));
        broker.createProjectTopics();
        BrokerCommand.grantRead(broker, List.of("HOST"), List.of(Topics.ALERTS, Topics.JOB_STATUS));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theHostListenerReadsAlertsButWritesNothingAndSeesNoOtherTopic() throws Exception {
        try (KafkaProducer<String, String> services = producer(internal)) {
            services.send(new ProducerRecord<>(Topics.ALERTS, "job-1", "{\"alert\":1}")).get(10, TimeUnit.SECONDS);
        }

        try (KafkaConsumer<String, String> siem = new KafkaConsumer<>(Map.of("bootstrap.servers", host,
                "group.id", "siem-test", "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
            siem.subscribe(List.of(Topics.ALERTS));
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                siem.poll(Duration.ofMillis(500)).forEach(got::add);
            }
            assertEquals(1, got.size(), "the SIEM reads the alert");
            assertEquals("job-1", got.get(0).key());
            siem.commitSync();
        }

        try (KafkaProducer<String, String> intruder = producer(host)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> intruder.send(
                    new ProducerRecord<>(Topics.JOB_REQUESTS, "agent", "{}")).get(15, TimeUnit.SECONDS));
            assertInstanceOf(AuthorizationException.class, e.getCause(), "no job can be requested from the host");
            ExecutionException forged = assertThrows(ExecutionException.class, () -> intruder.send(
                    new ProducerRecord<>(Topics.ALERTS, "job-1", "{}")).get(15, TimeUnit.SECONDS));
            assertInstanceOf(AuthorizationException.class, forged.getCause(), "nor an alert forged");
        }

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", host))) {
            Set<String> visible = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            assertEquals(Set.of(Topics.ALERTS, Topics.JOB_STATUS), visible);
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", internal))) {
            assertTrue(admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(Topics.JOB_REQUESTS),
                    "the services' listener sees everything");
        }
    }

    @Test
    void aReadOnlyListenerMustExistAndTheServicesKeepOne() {
        Properties p = new Properties();
        p.put("listeners", "INTERNAL://127.0.0.1:1,CONTROLLER://127.0.0.1:2");
        assertThrows(IllegalArgumentException.class, () -> BrokerCommand.restrictListeners(p, List.of("HOST")));
        assertThrows(IllegalArgumentException.class, () -> BrokerCommand.restrictListeners(p, List.of("INTERNAL")));
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "max.block.ms", "10000",
                "delivery.timeout.ms", "20000", "request.timeout.ms", "5000"),
                new StringSerializer(), new StringSerializer());
    }
}
