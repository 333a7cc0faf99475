package io.herdctl.runner.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.herdctl.events.FleetControl;
import io.herdctl.events.JobCancelRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.RunnerHeartbeat;

/**
 * What every runner knows about the others, folded from the job-status,
 * job-control and runners topics: who took each job first, how it stands, which
 * jobs were cancelled, which runners are alive, and each agent's latest Claude
 * session. Plain state with no Kafka in it, so the rules are testable alone;
 * {@link ClusterView} feeds it from the broker.
 *
 * <p>Ownership is decided by the log: the first status record of a job on its
 * partition names the runner that runs it. A runner publishes its claim and
 * then waits to read it back; if an earlier record of another runner is there,
 * it lost the race and does not start the job.
 */
public final class ClusterState {

    static final int MAX_JOBS = 200_000;

    /** How one job stands, as far as the status topic says. */
    public record JobState(String jobId, String agent, String owner, String firstEventId, JobStatus status,
            String runner, String containerId, Instant since) {

        public boolean terminal() {
            return status.isTerminal();
        }
    }

    /** An agent's latest session and when a job last used it. */
    public record Session(String sessionId, Instant lastUsed) {
    }

    /** A runner's latest heartbeat and when it was last heard from. */
    public record Peer(RunnerHeartbeat heartbeat, Instant lastSeen) {
    }

    private final Map<String, JobState> jobs = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobState> eldest) {
            if (size() <= MAX_JOBS) {
                return false;
            }
            open.remove(eldest.getKey());
            return true;
        }
    });
    private final Map<String, JobCancelRequested> cancels = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobCancelRequested> eldest) {
            return size() > MAX_JOBS;
        }
    });
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    /** The jobs of {@link #jobs} that are not over: few, and read on every intake and sweep. */
    private final Map<String, JobState> open = new HashMap<>();
    private volatile Consumer<String> endListener = agent -> {
    };
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JobState>> claims = new ConcurrentHashMap<>();
    private volatile Consumer<JobCancelRequested> cancelListener = c -> {
    };

    private volatile FleetControl fleet;
    private volatile Consumer<FleetControl> stopListener = f -> {
    };

    public void onCancel(Consumer<JobCancelRequested> listener) {
        this.cancelListener = listener;
    }

    /** Called whenever the fleet's kill switch is engaged. */
    public void onFleetStopped(Consumer<FleetControl> listener) {
        this.stopListener = listener;
    }

    /** The kill switch as last set, if it ever was. */
    public Optional<FleetControl> fleetControl() {
        return Optional.ofNullable(fleet);
    }

    /** A newer kill-switch state replaces the one held; a stop is passed on to the listener. */
    public void apply(FleetControl f) {
        synchronized (this) {
            FleetControl old = fleet;
            if (old != null && f.time().isBefore(old.time())) {
                return;
            }
            fleet = f;
        }
        if (f.stopped()) {
            stopListener.accept(f);
        }
    }

    /** Called with the agent's name whenever one of its jobs ends, on any runner. */
    public void onJobEnded(Consumer<String> listener) {
        this.endListener = listener;
    }

    /** Jobs of the agent that some runner has claimed and not yet ended, across all runners. */
    public int openJobs(String agent) {
        synchronized (jobs) {
            return (int) open.values().stream().filter(j -> j.agent().equals(agent)).count();
        }
    }

    public void apply(JobStatusChanged s) {
        JobState next;
        boolean ended = false;
        synchronized (jobs) {
            JobState prev = jobs.get(s.jobId());
            ended = prev != null && !prev.terminal() && s.status().isTerminal();
            if (prev == null) {
                next = new JobState(s.jobId(), s.agent(), s.runnerId(), s.eventId(), s.status(), s.runnerId(),
                        s.containerId(), s.time());
            } else if (prev.terminal()) {
                next = prev;
            } else {
                next = new JobState(s.jobId(), s.agent(), prev.owner(), prev.firstEventId(), s.status(),
                        s.runnerId() != null ? s.runnerId() : prev.runner(),
                        s.containerId() != null ? s.containerId() : prev.containerId(), s.time());
            }
            jobs.put(s.jobId(), next);
            if (next.terminal()) {
                open.remove(s.jobId());
            } else {
                open.put(s.jobId(), next);
            }
        }
        if (s.status().isTerminal() && s.sessionId() != null) {
            Instant used = s.finishedAt() != null ? s.finishedAt() : s.time();
            sessions.merge(s.agent(), new Session(s.sessionId(), used),
                    (old, now) -> now.lastUsed().isBefore(old.lastUsed()) ? old : now);
        }
        CompletableFuture<JobState> waiting = claims.remove(s.eventId());
        if (waiting != null) {
            waiting.complete(next);
        }
        if (ended) {
            endListener.accept(next.agent());
        }
    }

    public void apply(JobCancelRequested c) {
        cancels.putIfAbsent(c.jobId(), c);
        cancelListener.accept(c);
    }

    /** @param received when this runner read the heartbeat; the earlier of it and the heartbeat's own time counts */
    public void apply(RunnerHeartbeat h, Instant received) {
        Instant seen = h.time().isBefore(received) ? h.time() : received;
        peers.merge(h.runnerId(), new Peer(h, seen),
                (old, now) -> now.lastSeen().isBefore(old.lastSeen()) ? old : now);
    }

    /** Completes when the status record with {@code eventId} has been read, with the job as it then stood. */
    public CompletableFuture<JobState> claimRead(String eventId) {
        return claims.computeIfAbsent(eventId, id -> new CompletableFuture<>());
    }

    public void forgetClaim(String eventId) {
        claims.remove(eventId);
    }

    public Optional<JobState> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    public Optional<JobCancelRequested> cancelled(String jobId) {
        return Optional.ofNullable(cancels.get(jobId));
    }

    public Optional<Session> session(String agent) {
        return Optional.ofNullable(sessions.get(agent));
    }

    public Map<String, Peer> peers() {
        return Map.copyOf(peers);
    }

    /** Jobs that are not over, by the runner that holds them. */
    public Map<String, List<JobState>> openJobsByRunner() {
        Map<String, List<JobState>> byRunner = new HashMap<>();
        synchronized (jobs) {
            for (JobState j : open.values()) {
                if (j.runner() != null) {
                    byRunner.computeIfAbsent(j.runner(), r -> new ArrayList<>()).add(j);
                }
            }
        }
        return byRunner;
    }
}
