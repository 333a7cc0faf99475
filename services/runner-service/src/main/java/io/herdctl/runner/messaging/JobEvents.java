package io.herdctl.runner.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import io.herdctl.events.EventJson;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.KeyedSend;
import io.herdctl.events.RunnerHeartbeat;
import io.herdctl.events.Topics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Publishes a job's status changes, its output lines and the runner's
 * heartbeats, keyed so each job's records stay in order on one partition.
 *
 * <p>Output lines go through a Kafka producer of their own rather than a
 * messaging channel: a job may print a hundred thousand lines, and handing each
 * one to a channel costs more than the broker does. The producer batches, waits
 * for all replicas, and never reorders (idempotent). Unacknowledged output is
 * limited to {@link #MAX_IN_FLIGHT_BYTES}: a container that prints faster than
 * the broker takes its lines is slowed down, never dropped.
 */
@ApplicationScoped
public class JobEvents {

    public static final String STATUS_CHANNEL = "job-status";
    public static final String RUNNERS_CHANNEL = "runners";
    static final int MAX_IN_FLIGHT_BYTES = 32 * 1024 * 1024;

    private final Emitter<Record<String, JobStatusChanged>> status;
    private final Emitter<Record<String, RunnerHeartbeat>> runners;
    private final KafkaProducer<String, String> output;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT_BYTES);

    public JobEvents(@Channel(STATUS_CHANNEL) Emitter<Record<String, JobStatusChanged>> status,
            @Channel(RUNNERS_CHANNEL) Emitter<Record<String, RunnerHeartbeat>> runners,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.status = status;
        this.runners = runners;
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.MAX_OUTPUT_RECORD_BYTES));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "runner-output");
        this.output = new KafkaProducer<>(p);
    }

    public CompletableFuture<Void> status(JobStatusChanged event) {
        return KeyedSend.send(status, event.jobId(), event);
    }

    public CompletableFuture<Void> heartbeat(RunnerHeartbeat event) {
        return KeyedSend.send(runners, event.runnerId(), event);
    }

    /** Blocks while too much output is unacknowledged; completes when the broker has the line. */
    public CompletableFuture<Void> output(JobOutputEmitted event) throws InterruptedException {
        String value = EventJson.write(event);
        int weight = Math.min(MAX_IN_FLIGHT_BYTES, value.getBytes(StandardCharsets.UTF_8).length + 128);
        inFlight.acquire(weight);
        CompletableFuture<Void> ack = new CompletableFuture<>();
        try {
            output.send(new ProducerRecord<>(Topics.JOB_OUTPUT, event.jobId(), value), (metadata, failure) -> {
                inFlight.release(weight);
                if (failure != null) {
                    ack.completeExceptionally(failure);
                } else {
                    ack.complete(null);
                }
            });
        } catch (RuntimeException e) {
            inFlight.release(weight);
            ack.completeExceptionally(e);
        }
        return ack;
    }

    @PreDestroy
    void close() {
        output.close(java.time.Duration.ofSeconds(10));
    }
}
