package io.herdctl.runner.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.herdctl.events.EventIds;
import io.herdctl.events.KeyedSend;
import io.herdctl.events.RunnerHeartbeat;
import io.herdctl.runner.cluster.ClusterState;
import io.herdctl.runner.cluster.ClusterView;
import io.herdctl.runner.config.RunnerSettings;
import io.herdctl.runner.docker.ContainerEngine;
import io.herdctl.runner.docker.Labels;
import io.herdctl.runner.messaging.JobEvents;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * A runner's life beside its jobs: heartbeats on the runners topic, the sweep
 * that ends the jobs of lost runners and removes containers nobody owns, and
 * the drain on shutdown.
 *
 * <p>The sweep is done by one runner at a time: the alive runner whose id sorts
 * first. A runner is lost when it has not been heard from for {@code lost-after};
 * each job it held then ends as failed with a message that says so, and any
 * container carrying its label is removed. Containers of this runner's own
 * that hold no job it knows of (left by a crash between create and claim
 * bookkeeping) are removed too.
 */
@ApplicationScoped
public class RunnerLifecycle {

    private static final Logger LOG = Logger.getLogger(RunnerLifecycle.class);

    private final RunnerSettings settings;
    private final JobRunner runner;
    private final ClusterView cluster;
    private final JobEvents events;
    private final ContainerEngine engine;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "runner-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> endedLost = new HashSet<>();
    private volatile boolean engineUp = true;

    public RunnerLifecycle(RunnerSettings settings, JobRunner runner, ClusterView cluster, JobEvents events,
            ContainerEngine engine) {
        this.settings = settings;
        this.runner = runner;
        this.cluster = cluster;
        this.events = events;
        this.engine = engine;
    }

    void onStart(@Observes StartupEvent event) {
        // The runner is built first: a bad setting (such as herdctl.runner.egress.proxy) stops the start here.
        String id = runner.runnerId();
        cluster.start();
        long every = settings.heartbeatInterval().toMillis();
        ticks.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
        LOG.infof("runner %s: up to %d jobs at once", id, runner.capacity());
    }

    /** Drains before the messaging connectors close, so final statuses can still be published. */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        heartbeat(RunnerHeartbeat.DRAINING);
        runner.drain();
        ticks.shutdownNow();
        heartbeat(RunnerHeartbeat.STOPPED);
        cluster.close();
    }

    private void tick() {
        try {
            List<ContainerEngine.Owned> owned = ownedContainers();
            heartbeat(runner.isDraining() ? RunnerHeartbeat.DRAINING : RunnerHeartbeat.UP);
            if (cluster.isCaughtUp()) {
                sweep(owned);
            }
        } catch (RuntimeException e) {
            LOG.warnf("runner heartbeat or sweep failed: %s", e.getMessage());
        }
    }

    private void heartbeat(String state) {
        try {
            KeyedSend.awaitAll(List.of(events.heartbeat(new RunnerHeartbeat(EventIds.random(), clock.instant(),
                    RunnerHeartbeat.SCHEMA_VERSION, runner.runnerId(), state, runner.capacity(), engineUp,
                    runner.heldJobs(), settings.heartbeatInterval().toMillis()))), Duration.ofSeconds(10), "a heartbeat");
        } catch (RuntimeException e) {
            LOG.warnf("heartbeat not published: %s", e.getMessage());
        }
    }

    /**
     * The containers of this stack on the engine, listed once per tick: the
     * answer also says whether the engine is up (null when it is not).
     */
    private List<ContainerEngine.Owned> ownedContainers() {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        settings.stackLabel().ifPresent(stack -> labels.put(Labels.STACK, stack));
        try {
            List<ContainerEngine.Owned> owned = engine.list(labels);
            engineUp = true;
            return owned;
        } catch (RuntimeException e) {
            engineUp = false;
            return null;
        }
    }

    void sweep(List<ContainerEngine.Owned> owned) {
        Instant now = clock.instant();
        Instant lostBefore = now.minus(settings.lostAfter());
        ClusterState state = cluster.state();
        Map<String, ClusterState.Peer> peers = state.peers();
        String self = runner.runnerId();
        String sweeper = peers.values().stream()
                .filter(p -> !p.heartbeat().state().equals(RunnerHeartbeat.STOPPED) && p.lastSeen().isAfter(lostBefore))
                .map(p -> p.heartbeat().runnerId())
                .filter(id -> !id.equals(self))
                .min(Comparator.naturalOrder())
                .filter(other -> other.compareTo(self) < 0)
                .orElse(self);
        if (!sweeper.equals(self)) {
            return;
        }
        Set<String> held = new HashSet<>(runner.heldJobs());
        // A job that just ended here is not lost even if its end has not come back on the topic yet.
        Set<String> heldOrJustEnded = new HashSet<>(held);
        heldOrJustEnded.addAll(runner.recentlyEnded());
        state.openJobsByRunner().forEach((owner, jobs) -> {
            ClusterState.Peer peer = peers.get(owner);
            for (ClusterState.JobState job : jobs) {
                String why = lostReason(owner, self, peer, job, heldOrJustEnded, lostBefore);
                if (why != null && endedLost.add(job.jobId())) {
                    LOG.warnf("job %s: %s", job.jobId(), why);
                    removeContainersOf(Map.of(Labels.JOB_ID, job.jobId()));
                    runner.endLostJob(job, why);
                }
            }
        });
        if (owned != null) {
            reapOrphans(owned, peers, self, held, lostBefore);
        }
    }

    /** Why a job that is not over can no longer end by itself, or null while it still can. */
    private static String lostReason(String owner, String self, ClusterState.Peer peer, ClusterState.JobState job,
            Set<String> held, Instant lostBefore) {
        if (job.since().isAfter(lostBefore)) {
            return null;
        }
        if (owner.equals(self)) {
            return held.contains(job.jobId()) ? null
                    : "runner lost: runner " + self + " no longer holds the job (its claim was not confirmed)";
        }
        if (peer == null) {
            return "runner lost: runner " + owner + " was never heard from; the job was " + job.status().wire();
        }
        RunnerHeartbeat last = peer.heartbeat();
        if (last.state().equals(RunnerHeartbeat.STOPPED)) {
            return "runner lost: runner " + owner + " stopped while the job was " + job.status().wire();
        }
        if (peer.lastSeen().isBefore(lostBefore)) {
            return "runner lost: runner " + owner + " stopped sending heartbeats at " + peer.lastSeen()
                    + " while the job was " + job.status().wire() + "; its container was removed";
        }
        if (!last.jobs().contains(job.jobId()) && last.time().isAfter(job.since().plusSeconds(5))) {
            return "runner lost: runner " + owner + " is alive but no longer holds the job";
        }
        return null;
    }

    /** Removes containers whose runner is gone, and this runner's containers that belong to no held job. */
    private void reapOrphans(List<ContainerEngine.Owned> owned, Map<String, ClusterState.Peer> peers, String self,
            Set<String> held, Instant lostBefore) {
        for (ContainerEngine.Owned c : owned) {
            if (c.created().isAfter(lostBefore)) {
                continue;
            }
            String owner = c.labels().get(Labels.RUNNER);
            String job = c.labels().get(Labels.JOB_ID);
            boolean orphan;
            if (self.equals(owner)) {
                orphan = job != null && !held.contains(job);
            } else {
                // A runner never heard from may belong to another stack on the same engine: left alone.
                ClusterState.Peer peer = owner == null ? null : peers.get(owner);
                orphan = peer != null && (peer.heartbeat().state().equals(RunnerHeartbeat.STOPPED)
                        || peer.lastSeen().isBefore(lostBefore));
            }
            if (orphan) {
                LOG.warnf("removing container %s (job %s, runner %s): no live runner owns it", c.id().substring(0, 12),
                        job, owner);
                try {
                    engine.remove(c.id());
                } catch (RuntimeException e) {
                    LOG.warnf("could not remove container %s: %s", c.id(), e.getMessage());
                }
            }
        }
    }

    private void removeContainersOf(Map<String, String> labels) {
        try {
            engine.list(labels).forEach(c -> engine.remove(c.id()));
        } catch (RuntimeException e) {
            LOG.warnf("could not remove the containers of %s: %s", labels, e.getMessage());
        }
    }
}
