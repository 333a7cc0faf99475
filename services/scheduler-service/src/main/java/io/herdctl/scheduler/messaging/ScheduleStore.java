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
import io.herdctl.events.FleetControl;
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
 * update the local table at once and the topic with an acknowledged send. The
 * fleet's kill switch ({@link FleetControl}, its own compacted topic) is read
 * and written the same way.
 */
@ApplicationScoped
public class ScheduleStore {

    public static final String CHANNEL = "schedules-out";
    public static final String FLEET_CHANNEL = "fleet-control-out";
    private static final Logger LOG = Logger.getLogger(ScheduleStore.class);

    private final Map<String, ScheduleState> states = new ConcurrentHashMap<>();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final Emitter<Record<String, ScheduleState>> emitter;
    private final Emitter<Record<String, FleetControl>> fleetEmitter;
    private volatile FleetControl fleet;
    private final Map<String, Object> kafka;
    private volatile boolean closed;
    private volatile KafkaConsumer<String, String> consumer;

    public ScheduleStore(@Channel(CHANNEL) Emitter<Record<String, ScheduleState>> emitter,
            @Channel(FLEET_CHANNEL) Emitter<Record<String, FleetControl>> fleetEmitter,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.emitter = emitter;
        this.fleetEmitter = fleetEmitter;
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

    /** The kill switch as last set, if it ever was. */
    public Optional<FleetControl> fleetControl() {
        return Optional.ofNullable(fleet);
    }

    /** Whether the kill switch is engaged: nothing fires and no trigger is taken. */
    public boolean fleetStopped() {
        FleetControl f = fleet;
        return f != null && f.stopped();
    }

    /** Sets the kill switch here at once and on the topic; completes when the broker has it. */
    public CompletableFuture<Void> put(FleetControl control) {
        applyFleet(control);
        return KeyedSend.send(fleetEmitter, FleetControl.KEY, control);
    }

    private synchronized void applyFleet(FleetControl control) {
        FleetControl old = fleet;
        if (old == null || !control.time().isBefore(old.time())) {
            fleet = control;
        }
    }

    private void follow() {
        Properties p = ConsumerSettings.of(kafka, "scheduler-schedule-store", null);
        while (!closed) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
                consumer = c;
                List<TopicPartition> partitions = List.of(new TopicPartition(Topics.SCHEDULES, 0),
                        new TopicPartition(Topics.FLEET_CONTROL, 0));
                c.assign(partitions);
                c.seekToBeginning(partitions);
                Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(30));
                while (!closed) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                        apply(r);
                    }
                    if (loaded.getCount() > 0 && partitions.stream().allMatch(tp -> c.position(tp) >= ends.get(tp))) {
                        LOG.infof("schedule state loaded: %d schedules%s", states.size(),
                                fleetStopped() ? "; the fleet is stopped (" + fleet.whyHeldBack(null) + ")" : "");
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
        if (r.topic().equals(Topics.FLEET_CONTROL)) {
            try {
                if (r.value() != null) {
                    applyFleet(EventJson.read(r.value(), FleetControl.class));
                }
            } catch (MalformedEventException e) {
                LOG.warnf("skipping a malformed fleet-control record at offset %d: %s", r.offset(), e.getMessage());
            }
            return;
        }
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
