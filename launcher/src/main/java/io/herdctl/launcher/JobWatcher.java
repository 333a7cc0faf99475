package io.herdctl.launcher;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.Topics;

/** Prints job transitions and alerts as they happen, so the terminal shows the fleet working. */
final class JobWatcher implements AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final PrintStream out;

    JobWatcher(String bootstrapServers, PrintStream out) {
        this.out = out;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "launcher-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new StringDeserializer());
        this.thread = new Thread(this::loop, "herdctl-job-watcher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.JOB_STATUS, Topics.ALERTS)) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                    print(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            out.println("job watcher stopped: " + e.getMessage());
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void print(ConsumerRecord<String, String> r) {
        String now = LocalTime.now().format(TIME);
        try {
            if (r.topic().equals(Topics.JOB_STATUS)) {
                JobStatusChanged s = EventJson.read(r.value(), JobStatusChanged.class);
                StringBuilder line = new StringBuilder(now).append("  ").append(s.jobId()).append("  ").append(s.agent())
                        .append("  ").append(s.status().wire());
                if (s.durationMs() != null) {
                    line.append(String.format(" in %.1f s", s.durationMs() / 1000.0));
                }
                if (s.error() != null) {
                    line.append("  (").append(s.error()).append(')');
                }
                out.println(line);
            } else {
                AuditAlertRaised a = OcsfFinding.read(r.value());
                out.println(now + "  " + a.jobId() + "  alert " + a.ruleId() + " (" + a.severity().wire() + ") at line "
                        + a.seq());
            }
        } catch (RuntimeException e) {
            out.println(now + "  unreadable record on " + r.topic() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
