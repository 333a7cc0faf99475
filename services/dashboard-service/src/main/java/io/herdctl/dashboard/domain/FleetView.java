package io.herdctl.dashboard.domain;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.JobCancelRequested;
import io.herdctl.events.FleetRevisionEvaluated;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatusChanged;

/**
 * The dashboard's read model of what is happening now, built from the topics:
 * agents, the fleet's last evaluated revision, recent jobs, cancel requests and
 * alerts. Memory is bounded: the newest {@link #MAX_JOBS} jobs, the latest
 * {@link #MAX_JOBS} cancel requests, and the newest {@link #MAX_ALERTS} alerts.
 * The history (every job, its log, every alert) is audit-service's, read through
 * its API.
 *
 * <p>Cancel requests are kept apart from the jobs: they come on their own topic,
 * so one may be read before the request of its job.
 */
@ApplicationScoped
public class FleetView {

    static final int MAX_JOBS = 5_000;
    static final int MAX_ALERTS = 2_000;

    private final Map<String, AgentSpec> agents = new TreeMap<>();
    private final Map<String, JobView> jobs = new HashMap<>();
    private final Map<String, JobCancelRequested> cancels = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobCancelRequested> eldest) {
            return size() > MAX_JOBS;
        }
    };
    private final Deque<AuditAlertRaised> alerts = new ArrayDeque<>();
    private FleetRevisionEvaluated lastRevision;
    private FleetRevisionEvaluated lastAccepted;
    private final Instant since = Instant.now();

    public synchronized void agentResolved(AgentSpec spec) {
        agents.put(spec.qualifiedName(), spec);
    }

    public synchronized void agentRemoved(String qualifiedName) {
        agents.remove(qualifiedName);
    }

    public synchronized void jobRequested(JobRequested r) {
        JobView existing = jobs.get(r.jobId());
        jobs.put(r.jobId(), existing == null ? JobView.requested(r) : existing.withRequest(r));
        trimJobs();
    }

    public synchronized void jobStatusChanged(JobStatusChanged s) {
        JobView existing = jobs.get(s.jobId());
        jobs.put(s.jobId(), existing == null ? JobView.fromStatus(s) : existing.with(s));
        trimJobs();
    }

    /** The newest evaluation wins; an accepted one is also kept apart, as the revision in force. */
    public synchronized void revisionEvaluated(FleetRevisionEvaluated r) {
        if (lastRevision == null || !r.time().isBefore(lastRevision.time())) {
            lastRevision = r;
        }
        if (r.accepted() && (lastAccepted == null || !r.time().isBefore(lastAccepted.time()))) {
            lastAccepted = r;
        }
    }

    /** The last revision config-service evaluated, accepted or not. */
    public synchronized Optional<FleetRevisionEvaluated> lastRevision() {
        return Optional.ofNullable(lastRevision);
    }

    /** The revision in force: the last one accepted. */
    public synchronized Optional<FleetRevisionEvaluated> acceptedRevision() {
        return Optional.ofNullable(lastAccepted);
    }

    /** When this read model started (the dashboard's uptime). */
    public Instant since() {
        return since;
    }

    /** Remembers the first request to cancel a job; asking again changes nothing that is shown. */
    public synchronized void cancelRequested(JobCancelRequested request) {
        cancels.putIfAbsent(request.jobId(), request);
    }

    public synchronized void alertRaised(AuditAlertRaised alert) {
        if (alerts.stream().noneMatch(a -> a.eventId().equals(alert.eventId()))) {
            alerts.addFirst(alert);
            if (alerts.size() > MAX_ALERTS) {
                alerts.removeLast();
            }
        }
    }

    public synchronized List<AgentSpec> agents() {
        return List.copyOf(agents.values());
    }

    public synchronized Optional<AgentSpec> agent(String qualifiedName) {
        return Optional.ofNullable(agents.get(qualifiedName));
    }

    /** Newest first. */
    public synchronized List<JobView> jobs(Predicate<JobView> filter) {
        return jobs.values().stream().filter(filter)
                .sorted(Comparator.comparing(JobView::createdAt).thenComparing(JobView::jobId).reversed())
                .toList();
    }

    /** Every agent's jobs, newest first, in one pass over the jobs. */
    public synchronized Map<String, List<JobView>> jobsByAgent() {
        Map<String, List<JobView>> byAgent = new HashMap<>();
        for (JobView j : jobs(j -> true)) {
            byAgent.computeIfAbsent(j.agent(), a -> new ArrayList<>()).add(j);
        }
        return byAgent;
    }

    public synchronized Optional<JobView> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    public synchronized Optional<JobCancelRequested> cancelRequest(String jobId) {
        return Optional.ofNullable(cancels.get(jobId));
    }

    /** How many alerts the read model holds (the newest {@link #MAX_ALERTS}), without copying them. */
    public synchronized int alertCount() {
        return alerts.size();
    }

    public synchronized List<AuditAlertRaised> alerts(Predicate<AuditAlertRaised> filter) {
        return alerts.stream().filter(filter).toList();
    }

    private void trimJobs() {
        if (jobs.size() <= MAX_JOBS) {
            return;
        }
        jobs.values().stream().min(Comparator.comparing(JobView::createdAt))
                .ifPresent(oldest -> jobs.remove(oldest.jobId()));
    }
}
