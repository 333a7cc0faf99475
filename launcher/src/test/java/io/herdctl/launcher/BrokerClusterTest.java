package io.herdctl.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.herdctl.events.Topics;
import io.herdctl.testsupport.EmbeddedKafkaBroker;

/**
 * The broker image is one node of a cluster when its KAFKA_* variables say so: three
 * nodes configured that way form a quorum and hold the project's topics on three
 * replicas, with writes acknowledged by at least two of them. (Stopping one node is
 * left out: a broker's controlled shutdown can wait minutes on a busy machine while
 * the controller moves, which says nothing about the configuration.)
 */
class BrokerClusterTest {

    @TempDir
    Path dir;

    @Test
    void threeNodesConfiguredByVariablesFormAClusterWithThreeReplicas() throws Exception {
        int[] ports = {EmbeddedKafkaBroker.freePort(), EmbeddedKafkaBroker.freePort(), EmbeddedKafkaBroker.freePort()};
        int[] controllers = {EmbeddedKafkaBroker.freePort(), EmbeddedKafkaBroker.freePort(), EmbeddedKafkaBroker.freePort()};
        String voters = "1@127.0.0.1:" + controllers[0] + ",2@127.0.0.1:" + controllers[1] + ",3@127.0.0.1:" + controllers[2];
        String clusterId = Uuid.randomUuid().toString();
        List<Properties> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, String> env = new HashMap<>();
            env.put("KAFKA_NODE_ID", Integer.toString(i + 1));
            env.put("KAFKA_LISTENERS", "PLAINTEXT://127.0.0.1:" + ports[i] + ",CONTROLLER://127.0.0.1:" + controllers[i]);
            env.put("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://127.0.0.1:" + ports[i]);
            env.put("KAFKA_CONTROLLER_QUORUM_VOTERS", voters);
            env.put("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3");
            env.put("KAFKA_MIN_INSYNC_REPLICAS", "2");
            env.put("KAFKA_CONTROLLED_SHUTDOWN_ENABLE", "false");
            nodes.add(BrokerCommand.properties(dir.resolve("node-" + (i + 1)), null, env));
        }

        // A node waits for the quorum before it answers: start all three at once.
        ExecutorService starter = Executors.newFixedThreadPool(3);
        List<Future<EmbeddedKafkaBroker>> starting = new ArrayList<>();
        for (Properties p : nodes) {
            starting.add(starter.submit(() -> EmbeddedKafkaBroker.start(p, clusterId, BrokerCommand.adminAddress(p))));
        }
        List<EmbeddedKafkaBroker> brokers = new ArrayList<>();
        try {
            for (Future<EmbeddedKafkaBroker> f : starting) {
                brokers.add(f.get(120, TimeUnit.SECONDS));
            }
            brokers.get(0).createProjectTopics((short) 3);
            String all = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", all))) {
                assertEquals(3, admin.describeCluster().nodes().get(15, TimeUnit.SECONDS).size());
                TopicDescription alerts = admin.describeTopics(List.of(Topics.ALERTS)).allTopicNames()
                        .get(15, TimeUnit.SECONDS).get(Topics.ALERTS);
                alerts.partitions().forEach(p -> assertEquals(3, p.replicas().size(), "partition " + p.partition()));
            }

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", all,
                    "acks", "all", "delivery.timeout.ms", "60000", "request.timeout.ms", "10000"),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.ALERTS, "job-1", "on three replicas")).get(60, TimeUnit.SECONDS);
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", all,
                    "group.id", "cluster-test", "auto.offset.reset", "earliest"), new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of(Topics.ALERTS));
                List<String> got = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        got.add(r.value());
                    }
                }
                assertTrue(got.contains("on three replicas"), "the record comes back: " + got);
            }
        } finally {
            starter.shutdownNow();
            // All at once, and not waited on for long: a node whose quorum is leaving can take minutes.
            ExecutorService stopper = Executors.newFixedThreadPool(3, r -> {
                Thread t = new Thread(r, "cluster-test-stop");
                t.setDaemon(true);
                return t;
            });
            brokers.forEach(b -> stopper.execute(b::close));
            stopper.shutdown();
            stopper.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
