package io.herdctl.dashboard.messaging;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import io.herdctl.events.JobCancelRequested;
import io.herdctl.events.KeyedSend;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Sends cancel requests keyed by job id and waits until the broker has them, so
 * an accepted answer means every runner will see the request.
 */
@ApplicationScoped
public class JobControlPublisher {

    public static final String CHANNEL = "job-control-out";
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final Emitter<Record<String, JobCancelRequested>> emitter;

    public JobControlPublisher(@Channel(CHANNEL) Emitter<Record<String, JobCancelRequested>> emitter) {
        this.emitter = emitter;
    }

    /** Throws {@link IllegalStateException}, saying why, when the broker did not take the request in time. */
    public void publish(JobCancelRequested request) {
        KeyedSend.awaitAll(List.of(KeyedSend.send(emitter, request.jobId(), request)), SEND_TIMEOUT,
                "the cancel request for " + request.jobId());
    }
}
