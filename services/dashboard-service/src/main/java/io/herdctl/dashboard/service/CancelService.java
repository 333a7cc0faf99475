package io.herdctl.dashboard.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.herdctl.dashboard.domain.FleetView;
import io.herdctl.dashboard.domain.JobView;
import io.herdctl.dashboard.messaging.JobControlPublisher;
import io.herdctl.events.EventIds;
import io.herdctl.events.JobCancelRequested;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobStatus;

/**
 * Asks the runners to stop a job. Only a job the read model knows and that has
 * not finished can be cancelled; the runner holding it kills it, and a runner
 * that takes it later refuses to start it. Asking twice is harmless: both
 * requests name the same job, and the page keeps showing the first.
 */
@ApplicationScoped
public class CancelService {

    /**
     * Who asked when nobody is signed in ({@code herdctl.dashboard.auth=none},
     * loopback only); with authentication, {@code dashboard:<user>}.
     */
    public static final String REQUESTED_BY = "dashboard";

    private final FleetView view;
    private final JobControlPublisher publisher;

    public CancelService(FleetView view, JobControlPublisher publisher) {
        this.view = view;
        this.publisher = publisher;
    }

    public sealed interface Outcome permits Requested, UnknownJob, AlreadyFinished {
    }

    public record Requested(JobCancelRequested request) implements Outcome {
    }

    public record UnknownJob(String jobId) implements Outcome {
    }

    public record AlreadyFinished(String jobId, JobStatus status) implements Outcome {
    }

    /** Publishes the request and waits for the broker; throws {@link IllegalStateException} when it did not take it. */
    public Outcome cancel(String jobId, String reason) {
        return cancel(jobId, reason, REQUESTED_BY);
    }

    /** The same, recording who asked ({@code requestedBy}). */
    public Outcome cancel(String jobId, String reason, String requestedBy) {
        JobView job = JobIds.isValid(jobId) ? view.job(jobId).orElse(null) : null;
        if (job == null) {
            return new UnknownJob(jobId);
        }
        if (job.status().isTerminal()) {
            return new AlreadyFinished(jobId, job.status());
        }
        JobCancelRequested request = new JobCancelRequested(EventIds.random(), Instant.now(),
                JobCancelRequested.SCHEMA_VERSION, jobId, requestedBy, reason);
        publisher.publish(request);
        // This replica shows it at once; the others (and this one again) read it from the topic.
        view.cancelRequested(request);
        return new Requested(request);
    }
}
