package io.herdctl.scheduler.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import io.herdctl.events.ConsumerSettings;
import io.herdctl.events.EventJson;
import io.herdctl.events.KeyedSend;
import io.herdctl.events.MalformedEventException;
import io.herdctl.events.ScheduleState;
import io.herdctl.events.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * The schedules' state, kept on a compacted topic: read whole at start (the
 * scheduler fires nothing before that), then followed, so a restarted or
 * second scheduler knows every schedule's last slot and runtime switch. Writes
 * update the local table at once and the topic with an acknowledged send.
 */
@ApplicationScoped
public class ScheduleStore {

    public static final String CHANNEL = "schedules-out";
    private static final Logger LOG = Logger.getLogger(ScheduleStore.class);

    private final Map<String, ScheduleState> states = new ConcurrentHashMap<>();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final Emitter<Record<String, ScheduleState>> emitter;
    private final Map<String, Object> kafka;
    private volatile boolean closed;
    private volatile KafkaConsumer<String, String> consumer;

    public ScheduleStore(@Channel(CHANNEL) Emitter<Record<String, ScheduleState>> emitter,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.emitter = emitter;
        this.kafka = kafka;
    }

    void onStart(@Observes StartupEvent event) {
        Thread t = new Thread(this::follow, "schedule-store");
        t.setDaemon(true);
        t.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        closed = true;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Whether the topic has been read up to where it stood at start. */
    public boolean isLoaded() {
        return loaded.getCount() == 0;
    }

    public Optional<ScheduleState> get(String agent, String schedule) {
        return Optional.ofNullable(states.get(ScheduleState.key(agent, schedule)));
    }

    public Map<String, ScheduleState> all() {
        return Map.copyOf(states);
    }

    /** Records a schedule's new state here at once and on the topic; completes when the broker has it. */
    public CompletableFuture<Void> put(ScheduleState state) {
        states.merge(state.key(), state, (old, now) -> now.time().isBefore(old.time()) ? old : now);
        return KeyedSend.send(emitter, state.key(), state);
    }

    private void follow() {
        Properties p = ConsumerSettings.of(kafka, "scheduler-schedule-store", null);
        while (!closed) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
                consumer = c;
                TopicPartition partition = new TopicPartition(Topics.SCHEDULES, 0);
                c.assign(List.of(partition));
                c.seekToBeginning(List.of(partition));
                long end = c.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
                while (!closed) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                        apply(r);
                    }
                    if (loaded.getCount() > 0 && c.position(partition) >= end) {
                        LOG.infof("schedule state loaded: %d schedules", states.size());
                        loaded.countDown();
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warnf("reading %s failed (%s); retrying in 2 s", Topics.SCHEDULES, e.getMessage());
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void apply(ConsumerRecord<String, String> r) {
        if (r.value() == null) {
            states.remove(r.key());
            return;
        }
        try {
            ScheduleState s = EventJson.read(r.value(), ScheduleState.class);
            states.merge(s.key(), s, (old, now) -> now.time().isBefore(old.time()) ? old : now);
        } catch (MalformedEventException e) {
            LOG.warnf("skipping a malformed schedule state at offset %d: %s", r.offset(), e.getMessage());
        }
    }
}
