package io.herdctl.scheduler.messaging;

import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import io.herdctl.events.JobCancelRequested;
import io.herdctl.events.KeyedSend;
import io.smallrye.reactive.messaging.kafka.Record;

/** Asks the runners to cancel a job (an {@code overlap: replace} schedule replacing its running job). */
@ApplicationScoped
public class JobControlPublisher {

    public static final String CHANNEL = "job-control-out";

    private final Emitter<Record<String, JobCancelRequested>> emitter;

    public JobControlPublisher(@Channel(CHANNEL) Emitter<Record<String, JobCancelRequested>> emitter) {
        this.emitter = emitter;
    }

    public CompletableFuture<Void> cancel(JobCancelRequested request) {
        return KeyedSend.send(emitter, request.jobId(), request);
    }
}
