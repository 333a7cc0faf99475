package io.herdctl.runner.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.KeyedSend;
import io.herdctl.events.RunnerHeartbeat;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Publishes a job's status changes and output lines, keyed by job id so each
 * job's records stay in order on one partition. Output sends are limited to
 * {@link #MAX_IN_FLIGHT} unacknowledged records: a container that prints faster
 * than the broker takes its lines is slowed down, never dropped.
 */
@ApplicationScoped
public class JobEvents {

    public static final String STATUS_CHANNEL = "job-status";
    public static final String OUTPUT_CHANNEL = "job-output";
    public static final String RUNNERS_CHANNEL = "runners";
    static final int MAX_IN_FLIGHT = 1024;

    private final Emitter<Record<String, JobStatusChanged>> status;
    private final Emitter<Record<String, JobOutputEmitted>> output;
    private final Emitter<Record<String, RunnerHeartbeat>> runners;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    public JobEvents(@Channel(STATUS_CHANNEL) Emitter<Record<String, JobStatusChanged>> status,
            @Channel(OUTPUT_CHANNEL) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2 * MAX_IN_FLIGHT)
            Emitter<Record<String, JobOutputEmitted>> output,
            @Channel(RUNNERS_CHANNEL) Emitter<Record<String, RunnerHeartbeat>> runners) {
        this.status = status;
        this.output = output;
        this.runners = runners;
    }

    public CompletableFuture<Void> heartbeat(RunnerHeartbeat event) {
        return KeyedSend.send(runners, event.runnerId(), event);
    }

    public CompletableFuture<Void> status(JobStatusChanged event) {
        return KeyedSend.send(status, event.jobId(), event);
    }

    /** Blocks while too many lines are unacknowledged. */
    public CompletableFuture<Void> output(JobOutputEmitted event) throws InterruptedException {
        inFlight.acquire();
        return KeyedSend.send(output, event.jobId(), event).whenComplete((ok, failure) -> inFlight.release());
    }
}
