package io.herdctl.runner.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.herdctl.events.EventJson;
import io.herdctl.events.JobRequested;
import io.herdctl.events.MalformedEventException;
import io.herdctl.runner.service.JobRunner;

/**
 * Takes job requests from the shared consumer group: the partitions (agents)
 * are spread over the runner replicas. Requests are taken one at a time: a
 * request is acknowledged once its job is claimed (or found to be someone
 * else's), and the next one is asked for only then. A request whose agent is
 * at {@code instances.max_concurrent} waits unacknowledged in the runner while
 * the next requests are taken. While this runner is full
 * the intake waits, and while it drains the intake never completes, so a
 * request it will not run is never acknowledged and goes to another replica.
 */
@ApplicationScoped
public class JobRequestListener {

    public static final String CHANNEL = "job-requests";
    private static final Logger LOG = Logger.getLogger(JobRequestListener.class);

    private final JobRunner runner;
    private final ExecutorService intake = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "job-intake");
        t.setDaemon(true);
        return t;
    });

    public JobRequestListener(JobRunner runner) {
        this.runner = runner;
    }

    @Incoming(CHANNEL)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public CompletionStage<Void> onJobRequested(Message<String> message) {
        JobRequested job;
        try {
            job = EventJson.read(message.getPayload(), JobRequested.class);
        } catch (MalformedEventException e) {
            LOG.warnf("a malformed job request goes to the dead-letter topic: %s", e.getMessage());
            return message.nack(e);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return runner.take(job, message::ack);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while taking job " + job.jobId(), e);
            }
        }, intake).thenCompose(taken -> taken == JobRunner.Intake.DEFERRED
                ? CompletableFuture.completedFuture(null)
                : message.ack());
    }

    @PreDestroy
    void close() {
        intake.shutdownNow();
    }
}
