package io.herdctl.runner.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import io.herdctl.events.JobRequested;
import io.herdctl.runner.docker.ContainerEngine;
import io.herdctl.runner.docker.ContainerPlan;
import io.herdctl.runner.docker.ContainerSpecFactory;
import io.herdctl.runner.docker.JobRejectedException;
import io.herdctl.runner.docker.Labels;

/**
 * {@code ephemeral: true}: a fresh hardened container per job, named after the
 * job (so the engine itself refuses to start a job twice), removed once its
 * output has been read.
 */
public final class ContainerRuntime implements JobRuntime {

    private static final Logger LOG = Logger.getLogger(ContainerRuntime.class);

    private final ContainerEngine engine;
    private final ContainerSpecFactory plans;
    private final Path sessionsDir;

    /**
     * @param sessionsDir where each agent's {@code ~/.claude} is kept between containers
     *                    ({@code <dir>/<agent>}), or null to keep nothing
     */
    public ContainerRuntime(ContainerEngine engine, ContainerSpecFactory plans, Path sessionsDir) {
        this.engine = engine;
        this.plans = plans;
        this.sessionsDir = sessionsDir;
    }

    @Override
    public Execution start(Launch launch) {
        JobRequested job = launch.job();
        ContainerPlan plan = plans.plan(job, launch.argv(), launch.env(), claudeHome(job.agent()),
                ContainerSpecFactory.containerName(job.agent(), job.jobId()), Map.of(Labels.JOB_ID, job.jobId()));
        ownSessions(plan);
        String id = engine.start(plan);
        return new ContainerExecution(engine, id, addressOf(engine, id, plan.networkMode()));
    }

    /**
     * The started container's address on its network, or null: it only labels the
     * job's status for the proxy's log, so a failed look-up never fails the job.
     */
    static String addressOf(ContainerEngine engine, String containerId, String network) {
        try {
            return engine.address(containerId, network);
        } catch (RuntimeException e) {
            LOG.debugf("the address of container %s on %s is not known: %s", containerId, network, e.getMessage());
            return null;
        }
    }

    /** The agent's session directory on the host, created on first use. */
    String claudeHome(String agent) {
        if (sessionsDir == null) {
            return null;
        }
        Path dir = io.herdctl.events.skills.SkillScanner.keptHome(sessionsDir, agent);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new JobRejectedException("cannot create the session directory " + dir + ": " + e.getMessage());
        }
        return dir.toString();
    }

    /**
     * Hands the session directory to the container's user, so Claude Code can
     * write its transcripts there when the runner itself runs as root. A runner
     * that is not root leaves it alone: the default user is then its own.
     */
    static void ownSessions(ContainerPlan plan) {
        plan.binds().stream().filter(m -> m.containerPath().equals(ContainerSpecFactory.HOME + "/.claude")).findFirst()
                .ifPresent(m -> ownBy(Path.of(m.hostPath()), plan.user()));
    }

    private static void ownBy(Path dir, String user) {
        String[] ids = user.split(":");
        try {
            if (!Integer.valueOf(ids[0]).equals(Files.getAttribute(dir, "unix:uid"))) {
                Files.setAttribute(dir, "unix:uid", Integer.valueOf(ids[0]));
                Files.setAttribute(dir, "unix:gid", Integer.valueOf(ids[ids.length - 1]));
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.debugf("session directory %s stays with its owner (%s)", dir, e.getMessage());
        }
    }

    /** A container that runs exactly one job and is removed after it. */
    static final class ContainerExecution implements Execution {
        private final ContainerEngine engine;
        private final String id;
        private final String address;
        private final AtomicBoolean released = new AtomicBoolean();

        ContainerExecution(ContainerEngine engine, String id, String address) {
            this.engine = engine;
            this.id = id;
            this.address = address;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String address() {
            return address;
        }

        @Override
        public int follow(OutputSink sink) throws InterruptedException {
            return engine.follow(id, sink);
        }

        @Override
        public void kill(Duration grace) {
            try {
                engine.stop(id, grace);
            } catch (RuntimeException e) {
                LOG.warnf("stopping container %s failed: %s", id, e.getMessage());
            }
        }

        @Override
        public void release() {
            if (released.compareAndSet(false, true)) {
                try {
                    engine.remove(id);
                } catch (RuntimeException e) {
                    LOG.warnf("could not remove container %s: %s", id, e.getMessage());
                }
            }
        }
    }
}
