package io.herdctl.runner.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.herdctl.events.JobRequested;
import io.herdctl.runner.docker.ContainerEngine;
import io.herdctl.runner.docker.ContainerPlan;
import io.herdctl.runner.docker.ContainerSpecFactory;
import io.herdctl.runner.docker.JobRejectedException;
import io.herdctl.runner.docker.Labels;

/**
 * {@code ephemeral: false}: up to {@code max_containers} hardened containers per
 * agent are kept running (idle on {@code sleep infinity}) and each job runs in a
 * free one through {@code docker exec}, with its own environment. A container
 * that was killed (cancel, timeout) or stopped is dropped, never reused. A
 * container runs one job at a time; the hardening is that of the container, the
 * same as for a fresh one.
 */
public final class WarmPoolRuntime implements JobRuntime {

    private static final Logger LOG = Logger.getLogger(WarmPoolRuntime.class);
    /** Label on warm containers (they carry no job id: jobs come and go). */
    public static final String WARM = "io.herdctl.warm";
    private static final List<String> IDLE = List.of("sleep", "infinity");

    private final ContainerEngine engine;
    private final ContainerSpecFactory plans;
    private final ContainerRuntime sessions;
    private final Map<String, Pool> pools = new HashMap<>();

    /** One agent's containers. */
    private static final class Pool {
        final Deque<String> idle = new ArrayDeque<>();
        final List<String> all = new ArrayList<>();
        /** Each container's address on its network (it keeps it while it runs), or null. */
        final Map<String, String> addresses = new HashMap<>();
        String specKey;
    }

    public WarmPoolRuntime(ContainerEngine engine, ContainerSpecFactory plans, ContainerRuntime sessions) {
        this.engine = engine;
        this.plans = plans;
        this.sessions = sessions;
    }

    @Override
    public Execution start(Launch launch) {
        JobRequested job = launch.job();
        String claudeHome = sessions.claudeHome(job.agent());
        ContainerPlan plan = plans.plan(job, IDLE, Map.of(), claudeHome,
                "herdctl-" + job.agent().replaceAll("[^A-Za-z0-9_.-]", "_") + "-warm-"
                        + UUID.randomUUID().toString().substring(0, 8), Map.of(WARM, "true"));
        ContainerRuntime.ownSessions(plan);
        String container = acquire(job, plan);
        String address;
        synchronized (pools) {
            Pool pool = pools.get(job.agent());
            address = pool == null ? null : pool.addresses.get(container);
        }
        List<String> env = plans.environment(job, launch.env());
        return new WarmExecution(job.agent(), container, address, launch.argv(), env, plan.user(), plan.workingDir());
    }

    /**
     * A free container of the agent whose settings match the job's, or a new
     * one while the agent has fewer than {@code max_containers}.
     */
    private String acquire(JobRequested job, ContainerPlan plan) {
        String key = specKey(plan);
        List<String> stale = new ArrayList<>();
        String chosen = null;
        synchronized (pools) {
            Pool pool = pools.computeIfAbsent(job.agent(), a -> new Pool());
            if (!key.equals(pool.specKey)) {
                // The agent's settings changed: its idle containers no longer match.
                stale.addAll(pool.idle);
                pool.all.removeAll(pool.idle);
                pool.idle.forEach(pool.addresses::remove);
                pool.idle.clear();
                pool.specKey = key;
            }
            while (chosen == null && !pool.idle.isEmpty()) {
                String candidate = pool.idle.poll();
                if (engine.isRunning(candidate)) {
                    chosen = candidate;
                } else {
                    pool.all.remove(candidate);
                    pool.addresses.remove(candidate);
                    stale.add(candidate);
                }
            }
            if (chosen == null && pool.all.size() >= job.spec().docker().maxContainers()) {
                stale.forEach(this::removeQuietly);
                throw new JobRejectedException("agent " + job.agent() + " already has docker.max_containers ("
                        + job.spec().docker().maxContainers() + ") containers, all busy; raise max_containers or "
                        + "lower instances.max_concurrent");
            }
            if (chosen == null) {
                pool.all.add(plan.name());
            }
        }
        stale.forEach(this::removeQuietly);
        if (chosen != null) {
            return chosen;
        }
        try {
            String id = engine.start(plan);
            String address = ContainerRuntime.addressOf(engine, id, plan.networkMode());
            synchronized (pools) {
                Pool pool = pools.get(job.agent());
                pool.all.remove(plan.name());
                pool.all.add(id);
                pool.addresses.put(id, address);
            }
            LOG.infof("agent %s: warm container %s started", job.agent(), id.substring(0, 12));
            return id;
        } catch (RuntimeException e) {
            synchronized (pools) {
                pools.get(job.agent()).all.remove(plan.name());
            }
            throw e;
        }
    }

    private static String specKey(ContainerPlan plan) {
        Map<String, String> labels = new LinkedHashMap<>(plan.labels());
        labels.remove(Labels.RUNNER);
        return plan.image() + "|" + plan.user() + "|" + plan.memoryBytes() + "|" + plan.pidsLimit() + "|" + plan.cpuShares()
                + "|" + plan.cpuPeriod() + "|" + plan.cpuQuota() + "|" + plan.networkMode() + "|" + plan.binds() + "|"
                + plan.tmpfs() + "|" + plan.ports() + "|" + labels + "|" + plan.hostConfig();
    }

    private void giveBack(String agent, String container, boolean reusable) {
        synchronized (pools) {
            Pool pool = pools.get(agent);
            if (pool != null && reusable && pool.all.contains(container)) {
                pool.idle.push(container);
                return;
            }
            if (pool != null) {
                pool.all.remove(container);
                pool.idle.remove(container);
                pool.addresses.remove(container);
            }
        }
        removeQuietly(container);
    }

    /** Removes every warm container (shutdown). */
    public void close() {
        List<String> all = new ArrayList<>();
        synchronized (pools) {
            pools.values().forEach(p -> all.addAll(p.all));
            pools.clear();
        }
        all.forEach(this::removeQuietly);
    }

    private void removeQuietly(String container) {
        try {
            engine.remove(container);
        } catch (RuntimeException e) {
            LOG.warnf("could not remove warm container %s: %s", container, e.getMessage());
        }
    }

    /** One job exec'd in a warm container. */
    private final class WarmExecution implements Execution {
        private final String agent;
        private final String container;
        private final String address;
        private final List<String> argv;
        private final List<String> env;
        private final String user;
        private final String workingDir;
        private final AtomicBoolean killed = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile boolean ended;

        WarmExecution(String agent, String container, String address, List<String> argv, List<String> env, String user,
                String workingDir) {
            this.agent = agent;
            this.container = container;
            this.address = address;
            this.argv = argv;
            this.env = env;
            this.user = user;
            this.workingDir = workingDir;
        }

        @Override
        public String id() {
            return container;
        }

        @Override
        public String address() {
            return address;
        }

        @Override
        public int follow(OutputSink sink) throws InterruptedException {
            try {
                return engine.exec(container, argv, env, user, workingDir, sink);
            } finally {
                ended = true;
            }
        }

        /** An exec cannot be stopped alone: the container goes, and is not reused. */
        @Override
        public void kill(Duration grace) {
            // The first stop wins, except that an immediate kill (the kill switch) is never held back by a
            // graceful stop already under way.
            if (killed.compareAndSet(false, true) || grace.isZero()) {
                engine.stop(container, grace);
            }
        }

        @Override
        public void release() {
            if (released.compareAndSet(false, true)) {
                giveBack(agent, container, ended && !killed.get() && engine.isRunning(container));
            }
        }
    }
}
