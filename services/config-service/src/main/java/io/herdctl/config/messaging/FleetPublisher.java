package io.herdctl.config.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import io.herdctl.config.fleet.LoadedFleet;
import io.herdctl.events.AgentSpec;
import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.EventIds;
import io.herdctl.events.EventJson;
import io.herdctl.events.FleetRevisionEvaluated;
import io.herdctl.events.KeyedSend;
import io.herdctl.events.MalformedEventException;
import io.herdctl.events.Topics;
import io.smallrye.reactive.messaging.kafka.Record;

/** Writes fleet state to its topics and waits for the broker to take it. */
@ApplicationScoped
public class FleetPublisher {

    public static final String AGENTS_CHANNEL = "agents";
    public static final String REVISIONS_CHANNEL = "fleet-revisions";
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final Emitter<Record<String, AgentSpecResolved>> agents;
    private final Emitter<Record<String, FleetRevisionEvaluated>> revisions;
    private final String bootstrapServers;

    public FleetPublisher(@Channel(AGENTS_CHANNEL) Emitter<Record<String, AgentSpecResolved>> agents,
            @Channel(REVISIONS_CHANNEL) Emitter<Record<String, FleetRevisionEvaluated>> revisions,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.agents = agents;
        this.revisions = revisions;
        this.bootstrapServers = bootstrapServers;
    }

    public void publishRevision(LoadedFleet fleet) {
        FleetRevisionEvaluated event = new FleetRevisionEvaluated(EventIds.random(), Instant.now(),
                FleetRevisionEvaluated.SCHEMA_VERSION, fleet.name(), fleet.revision(), fleet.accepted(),
                fleet.configFile() == null ? null : fleet.configFile().toString(),
                fleet.agents().stream().map(AgentSpec::qualifiedName).toList(), fleet.errors(), fleet.warnings());
        KeyedSend.awaitAll(List.of(KeyedSend.send(revisions, fleet.name() == null ? "fleet" : fleet.name(), event)),
                SEND_TIMEOUT, "the fleet revision");
    }

    /** Publishes the given agents of an accepted revision and a tombstone for each removed one. */
    public void publishAgents(String revision, List<AgentSpec> specs, List<String> removed) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (AgentSpec spec : specs) {
            acks.add(KeyedSend.send(agents, spec.qualifiedName(), AgentSpecResolved.of(revision, spec)));
        }
        for (String name : removed) {
            acks.add(KeyedSend.send(agents, name, null));
        }
        KeyedSend.awaitAll(acks, SEND_TIMEOUT, "the agent specs");
    }

    /** What the topics hold now: the live agent specs, and the last revision evaluated per fleet. */
    public record Published(Map<String, AgentSpec> agents, Map<String, String> lastRevision) {
    }

    /**
     * Reads both topics to their end, so that a restarted config-service publishes
     * only what changed, and removes agents that disappeared while it was down.
     * An agent record that does not parse counts as present with no spec, so it
     * is replaced.
     */
    public Published published() {
        Map<String, AgentSpec> agents = new HashMap<>();
        Set<String> unreadable = new HashSet<>();
        readToEnd(Topics.AGENTS, r -> {
            if (r.value() == null) {
                agents.remove(r.key());
                unreadable.remove(r.key());
                return;
            }
            try {
                agents.put(r.key(), EventJson.read(r.value(), AgentSpecResolved.class).spec());
                unreadable.remove(r.key());
            } catch (MalformedEventException e) {
                agents.remove(r.key());
                unreadable.add(r.key());
            }
        });
        unreadable.forEach(name -> agents.put(name, null));
        Map<String, String> revisions = new HashMap<>();
        readToEnd(Topics.FLEET_REVISIONS, r -> {
            try {
                revisions.put(r.key(), EventJson.read(r.value(), FleetRevisionEvaluated.class).revision());
            } catch (MalformedEventException e) {
                revisions.remove(r.key());
            }
        });
        return new Published(agents, revisions);
    }

    private void readToEnd(String topic, java.util.function.Consumer<ConsumerRecord<String, String>> each) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "config-service-snapshot-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " to its end took over 60 s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() != null) {
                        each.accept(r);
                    }
                }
            }
        }
    }
}
