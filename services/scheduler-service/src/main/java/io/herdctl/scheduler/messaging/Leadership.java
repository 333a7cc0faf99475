package io.herdctl.scheduler.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.herdctl.events.ConsumerSettings;
import io.herdctl.events.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Which scheduler instance fires schedules. Every instance joins one consumer
 * group on {@link Topics#SCHEDULER_LEADER}, a topic with one partition that
 * nobody writes to: the broker gives the partition to one member, and that one
 * leads. When it stops, the partition moves at once; when it dies, within the
 * group's session timeout (6 s by default). Should an old leader stall past it,
 * both may fire the same slot for a moment: the slot's derived job id makes the
 * second request a no-op for the runners.
 */
@ApplicationScoped
public class Leadership {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    private final Map<String, Object> kafka;
    private final int sessionTimeoutMs;
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private volatile boolean leader;
    private volatile boolean closed;
    private volatile KafkaConsumer<String, String> consumer;

    public Leadership(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "herdctl.scheduler.leader-session-timeout", defaultValue = "6000") int sessionTimeoutMs) {
        this.kafka = kafka;
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    public boolean isLeader() {
        return leader;
    }

    public String instance() {
        return instance;
    }

    void onStart(@Observes StartupEvent event) {
        Thread t = new Thread(this::campaign, "scheduler-leadership");
        t.setDaemon(true);
        t.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        closed = true;
        leader = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void campaign() {
        Properties p = ConsumerSettings.of(kafka, "scheduler-" + instance, "scheduler-leader");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(sessionTimeoutMs));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(Math.max(500, sessionTimeoutMs / 4)));
        while (!closed) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
                consumer = c;
                c.subscribe(List.of(Topics.SCHEDULER_LEADER), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        if (!partitions.isEmpty()) {
                            step(false);
                        }
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        if (!partitions.isEmpty()) {
                            step(true);
                        }
                    }

                    @Override
                    public void onPartitionsLost(Collection<TopicPartition> partitions) {
                        step(false);
                    }
                });
                while (!closed) {
                    c.poll(Duration.ofMillis(500));
                }
            } catch (WakeupException e) {
                step(false);
                return;
            } catch (RuntimeException e) {
                step(false);
                if (closed) {
                    return;
                }
                LOG.warnf("scheduler leadership: %s; trying again in 2 s", e.getMessage());
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void step(boolean lead) {
        if (leader != lead) {
            leader = lead;
            LOG.infof("scheduler %s %s", instance, lead ? "leads: it fires the schedules" : "follows");
        }
    }
}
