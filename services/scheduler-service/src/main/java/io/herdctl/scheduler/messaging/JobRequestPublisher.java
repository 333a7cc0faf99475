package io.herdctl.scheduler.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import io.herdctl.events.JobRequested;
import io.herdctl.events.KeyedSend;
import io.smallrye.reactive.messaging.kafka.Record;

/** Sends job requests keyed by agent; completes when the broker has the record. */
@ApplicationScoped
public class JobRequestPublisher {

    public static final String CHANNEL = "job-requests-out";

    private final Emitter<Record<String, JobRequested>> emitter;

    public JobRequestPublisher(@Channel(CHANNEL) Emitter<Record<String, JobRequested>> emitter) {
        this.emitter = emitter;
    }

    public CompletionStage<Void> publish(JobRequested request) {
        return KeyedSend.send(emitter, request.agent(), request);
    }
}
