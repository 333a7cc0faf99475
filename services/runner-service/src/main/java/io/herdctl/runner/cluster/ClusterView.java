package io.herdctl.runner.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import io.herdctl.events.ConsumerSettings;
import io.herdctl.events.EventJson;
import io.herdctl.events.FleetControl;
import io.herdctl.events.JobCancelRequested;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.MalformedEventException;
import io.herdctl.events.RunnerHeartbeat;
import io.herdctl.events.Topics;
import io.herdctl.runner.config.RunnerSettings;
import io.smallrye.common.annotation.Identifier;

/**
 * Reads the job-status, job-control, runners and fleet-control topics into {@link ClusterState}.
 * Every runner reads every partition (no consumer group: this is a broadcast,
 * not a work queue), starting {@code status-lookback} back in time for jobs and
 * cancels and from the start for the compacted runners and fleet-control tables. The runner takes
 * no job before this view has caught up with the end of the topics as they
 * stood at start, so a redelivered request is recognised.
 */
@ApplicationScoped
public class ClusterView {

    private static final Logger LOG = Logger.getLogger(ClusterView.class);
    private static final List<String> TOPICS = List.of(Topics.JOB_STATUS, Topics.JOB_CONTROL, Topics.RUNNERS,
            Topics.FLEET_CONTROL);
    /** Compacted tables, read from their start; the others from {@code status-lookback} back. */
    private static final List<String> TABLES = List.of(Topics.RUNNERS, Topics.FLEET_CONTROL);

    private final ClusterState state = new ClusterState();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Map<String, Object> kafka;
    private final RunnerSettings settings;
    private final Clock clock = Clock.systemUTC();
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean closed;
    private Thread thread;

    public ClusterView(@Identifier("default-kafka-broker") Map<String, Object> kafka, RunnerSettings settings) {
        this.kafka = kafka;
        this.settings = settings;
    }

    public ClusterState state() {
        return state;
    }

    /** Starts reading; idempotent. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::run, "cluster-view");
        thread.setDaemon(true);
        thread.start();
    }

    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    /** Waits until the view has read what the topics held at start. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        start();
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized void close() {
        closed = true;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void run() {
        while (!closed) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(properties())) {
                consumer = c;
                Map<TopicPartition, Long> ends = assign(c);
                readUntilClosed(c, ends);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warnf("reading the cluster topics failed (%s); retrying in 2 s", e.getMessage());
                sleep(2_000);
            }
        }
    }

    private Map<TopicPartition, Long> assign(KafkaConsumer<String, String> c) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist");
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        c.assign(partitions);
        long since = clock.millis() - settings.statusLookback().toMillis();
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.stream().filter(p -> !TABLES.contains(p.topic())).forEach(p -> times.put(p, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = c.offsetsForTimes(times, Duration.ofSeconds(30));
        Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(30));
        for (TopicPartition p : partitions) {
            if (TABLES.contains(p.topic())) {
                c.seekToBeginning(List.of(p));
            } else {
                OffsetAndTimestamp at = offsets.get(p);
                c.seek(p, at != null ? at.offset() : ends.get(p));
            }
        }
        return ends;
    }

    private void readUntilClosed(KafkaConsumer<String, String> c, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> remaining = new HashMap<>(ends);
        while (!closed) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                apply(r);
            }
            if (!remaining.isEmpty()) {
                remaining.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
                if (remaining.isEmpty()) {
                    LOG.debug("cluster view caught up");
                    caughtUp.countDown();
                }
            }
        }
    }

    private void apply(ConsumerRecord<String, String> r) {
        if (r.value() == null) {
            return;
        }
        try {
            switch (r.topic()) {
                case Topics.JOB_STATUS -> state.apply(EventJson.read(r.value(), JobStatusChanged.class));
                case Topics.JOB_CONTROL -> state.apply(EventJson.read(r.value(), JobCancelRequested.class));
                case Topics.RUNNERS -> state.apply(EventJson.read(r.value(), RunnerHeartbeat.class), clock.instant());
                case Topics.FLEET_CONTROL -> state.apply(EventJson.read(r.value(), FleetControl.class));
                default -> {
                }
            }
        } catch (MalformedEventException e) {
            LOG.warnf("skipping a malformed record on %s (partition %d, offset %d): %s", r.topic(), r.partition(),
                    r.offset(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "applying a record of %s (partition %d, offset %d) failed", r.topic(), r.partition(), r.offset());
        }
    }

    private Properties properties() {
        Properties p = ConsumerSettings.of(kafka, "runner-cluster-view", null);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        return p;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Instant now() {
        return clock.instant();
    }
}
