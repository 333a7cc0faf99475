package io.herdctl.runner.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.herdctl.events.EventIds;
import io.herdctl.events.ExitReason;
import io.herdctl.events.FleetControl;
import io.herdctl.events.JobCancelRequested;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.JobUsage;
import io.herdctl.events.KeyedSend;
import io.herdctl.events.OutputStream;
import io.herdctl.runner.cluster.ClusterState;
import io.herdctl.runner.cluster.ClusterView;
import io.herdctl.runner.config.RunnerSettings;
import io.herdctl.runner.docker.ContainerEngine;
import io.herdctl.runner.docker.ContainerSpecFactory;
import io.herdctl.runner.docker.DuplicateJobException;
import io.herdctl.runner.docker.EgressPolicy;
import io.herdctl.runner.docker.HostPaths;
import io.herdctl.runner.docker.JobRejectedException;
import io.herdctl.runner.docker.StateGuard;
import io.herdctl.runner.messaging.JobEvents;
import io.herdctl.runner.output.ParsedLine;
import io.herdctl.runner.output.SecretRedactor;
import io.herdctl.runner.output.StreamJsonParser;
import io.herdctl.runner.runtime.ClaudeCommand;
import io.herdctl.runner.runtime.ContainerRuntime;
import io.herdctl.runner.runtime.Execution;
import io.herdctl.runner.runtime.JobRuntime;
import io.herdctl.runner.runtime.WarmPoolRuntime;
import io.herdctl.runner.runtime.host.BypassWithoutDocker;
import io.herdctl.runner.runtime.host.HostProcessRuntime;
import io.herdctl.runner.workspace.GitWorkspace;

/**
 * Takes jobs and runs each from claim to terminal status.
 *
 * <p>Intake ({@link #take}) claims a job by publishing its first status with this
 * runner's id and reading it back: the first status of a job on the log names
 * its owner, so two runners handed the same request (a rebalance, a redelivery)
 * never both run it, and a request whose job already has a status is ignored.
 * The request is acknowledged once the claim is settled; from then on the
 * heartbeats say the job is held, and if this runner dies another one ends it
 * as "runner lost".
 *
 * <p>Each claimed job runs on its own thread: hardened container (or host
 * process), every output line published with its sequence number, the outcome
 * read from Claude's result message, then exactly one terminal status. Cancel
 * and timeout kill the process; shutdown drains, then cancels.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(30);
    private static final int TERMINAL_ATTEMPTS = 3;
    static final String NO_SESSION = "No valid session found (expired or missing). Starting fresh session.";
    static final String SESSION_NOT_FOUND = "Session not found. Retrying with fresh session.";

    private final RunnerSettings settings;
    private final JobEvents events;
    private final ClusterView cluster;
    private final EnvResolver envResolver;
    private final SkillGate skills;
    private final JobRuntime containers;
    private final WarmPoolRuntime warm;
    private final JobRuntime hostProcesses;
    private final WorkspaceRecorder workspace;
    private final String runnerId;
    private final Clock clock = Clock.systemUTC();
    private final Semaphore capacity;
    private final Map<String, HeldJob> held = new ConcurrentHashMap<>();
    /**
     * Jobs that ended here lately, and when: the sweep reads job ends from the status topic,
     * which may not show one yet when the job has already left {@link #held}.
     */
    private final Map<String, Instant> endedHere = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean draining;
    private final Object intakeLock = new Object();
    private final Map<String, java.util.Deque<Deferred>> deferred = new java.util.HashMap<>();

    public JobRunner(RunnerSettings settings, ContainerEngine engine, JobEvents events, ClusterView cluster) {
        this.settings = settings;
        this.events = events;
        this.cluster = cluster;
        this.runnerId = RunnerIdentity.incarnationId(settings.id());
        EgressPolicy egress = EgressPolicy.of(settings.egress());
        if (egress.isSet()) {
            LOG.infof("job containers: network %s (agents' own networks %s), proxy %s",
                    egress.network() == null ? "as the agent sets it" : egress.network(),
                    egress.allowAgentNetworks() ? "allowed" : "refused", egress.proxy() == null ? "not set" : egress.proxy());
        }
        HostPaths hostPaths = HostPaths.resolve(settings.hostPaths(), engine);
        try {
            // Resolved once here, so it must exist (with its links) before the guard reads it.
            Files.createDirectories(settings.stateDir().resolve("sessions"));
        } catch (IOException e) {
            LOG.warnf("cannot create %s: %s", settings.stateDir().resolve("sessions"), e.getMessage());
        }
        StateGuard stateGuard = StateGuard.of(settings.stateDir(), hostPaths);
        LOG.infof("job containers never mount herdctl's state: %s", stateGuard);
        ContainerSpecFactory plans = new ContainerSpecFactory(settings.defaultUser().orElseGet(RunnerIdentity::defaultUser),
                settings.defaultPidsLimit(), settings.tmpfsSize(), runnerId, settings.stackLabel().orElse(null), egress,
                hostPaths, stateGuard);
        ContainerRuntime fresh = new ContainerRuntime(engine, plans, settings.stateDir().resolve("sessions"));
        this.containers = fresh;
        this.warm = new WarmPoolRuntime(engine, plans, fresh);
        this.hostProcesses = new HostProcessRuntime(settings.claudeCommand(), System.getenv());
        this.envResolver = new EnvResolver(System.getenv(), settings.envFile());
        RunnerSettings.WorkspaceAudit audit = settings.workspaceAudit();
        this.workspace = audit.enabled() ? new WorkspaceRecorder(new GitWorkspace(audit.gitCommand(),
                audit.commandTimeout(), audit.budget())) : WorkspaceRecorder.OFF;
        this.skills = new SkillGate(settings.stateDir().resolve("sessions"), Path.of(System.getProperty("user.home")));
        this.capacity = new Semaphore(settings.maxParallelJobs());
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> daemon(r, "job-" + n.incrementAndGet()));
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "job-timeouts"));
        cluster.state().onCancel(this::cancel);
        cluster.state().onFleetStopped(this::stopAll);
        cluster.state().onJobEnded(this::jobEnded);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public String runnerId() {
        return runnerId;
    }

    public int capacity() {
        return settings.maxParallelJobs();
    }

    /** The jobs this runner holds now. */
    public List<String> heldJobs() {
        return List.copyOf(held.keySet());
    }

    /** The jobs that ended on this runner within the last few lost-after periods. */
    public java.util.Set<String> recentlyEnded() {
        Instant cutoff = clock.instant().minus(settings.lostAfter().multipliedBy(3));
        endedHere.values().removeIf(t -> t.isBefore(cutoff));
        return java.util.Set.copyOf(endedHere.keySet());
    }

    public boolean isDraining() {
        return draining;
    }

    /** How a request was dealt with at intake. */
    public enum Intake {
        /** Claimed: it runs on this runner. */
        STARTED,
        /** It already had a status: another runner has it, or it ran. */
        ALREADY_TAKEN,
        /** Cancelled before it started; ended here as cancelled. */
        CANCELLED,
        /** The claim could not be confirmed; the job is left to the lost-job sweep. */
        UNCONFIRMED,
        /**
         * The agent already runs {@code instances.max_concurrent} jobs (on any runner): the
         * request waits here, unacknowledged, and is taken when one of them ends.
         */
        DEFERRED
    }

    /** A request waiting for its agent to have a free slot, and how to acknowledge it once taken. */
    private record Deferred(JobRequested job, Runnable acknowledge) {
    }

    /**
     * Claims and starts a job; returns once it is settled whether this runner
     * runs it. Blocks while the runner is full, and for good once it drains, so
     * the request is never acknowledged by a runner that will not run it. The
     * caller acknowledges the request unless the answer is {@link Intake#DEFERRED};
     * a deferred request is acknowledged with {@code acknowledge} when it is taken.
     */
    public Intake take(JobRequested job, Runnable acknowledge) throws InterruptedException {
        if (draining) {
            drained.join();
        }
        capacity.acquire();
        boolean handedOff = false;
        try {
            if (draining) {
                drained.join();
            }
            while (!cluster.awaitCaughtUp(Duration.ofSeconds(30))) {
                LOG.warn("still reading the job-status topic before taking jobs");
            }
            synchronized (intakeLock) {
                Intake intake = claim(job, acknowledge);
                handedOff = intake == Intake.STARTED;
                return intake;
            }
        } finally {
            if (!handedOff) {
                capacity.release();
            }
        }
    }

    private Intake claim(JobRequested job, Runnable acknowledge) throws InterruptedException {
        ClusterState state = cluster.state();
        Optional<ClusterState.JobState> known = state.job(job.jobId());
        if (known.isPresent() || held.containsKey(job.jobId())) {
            LOG.infof("job %s was delivered again; it is already %s (runner %s): not run twice", job.jobId(),
                    known.map(k -> k.status().wire()).orElse("held here"), known.map(k -> k.owner()).orElse(runnerId));
            return Intake.ALREADY_TAKEN;
        }
        Optional<String> cancelled = state.cancelled(job.jobId()).map(c -> cancelMessage(c) + " before it started")
                .or(() -> state.fleetControl().filter(f -> f.holdsBack(job.time()))
                        .map(f -> "not started: " + f.whyHeldBack(job.time())));
        if (cancelled.isEmpty() && mustWait(job)) {
            synchronized (deferred) {
                var queue = deferred.computeIfAbsent(job.agent(), a -> new java.util.ArrayDeque<>());
                if (queue.stream().noneMatch(d -> d.job() == job)) {
                    queue.add(new Deferred(job, acknowledge));
                }
            }
            LOG.infof("job %s waits: agent %s already runs %d of %d allowed jobs", job.jobId(), job.agent(),
                    state.openJobs(job.agent()), job.spec().maxConcurrent());
            return Intake.DEFERRED;
        }
        Instant now = clock.instant();
        JobStatusChanged claim = cancelled
                .map(why -> status(job, JobStatus.CANCELLED, now, new Outcome(JobStatus.CANCELLED, ExitReason.CANCELLED,
                        null, why, null, null, null, 0L), null, now))
                .orElseGet(() -> status(job, JobStatus.PENDING, now, null, null, null));
        CompletableFuture<ClusterState.JobState> readBack = state.claimRead(claim.eventId());
        ClusterState.JobState settled;
        try {
            await(events.status(claim));
            settled = readBack.get(CLAIM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException | RuntimeException e) {
            state.forgetClaim(claim.eventId());
            LOG.errorf("job %s: the claim could not be confirmed (%s); the lost-job sweep will end it", job.jobId(),
                    e.getMessage());
            return Intake.UNCONFIRMED;
        }
        if (!claim.eventId().equals(settled.firstEventId())) {
            LOG.infof("job %s was claimed first by runner %s; not running it here", job.jobId(), settled.owner());
            return Intake.ALREADY_TAKEN;
        }
        if (cancelled.isPresent()) {
            LOG.infof("job %s was cancelled before it started: %s", job.jobId(), cancelled.get());
            return Intake.CANCELLED;
        }
        HeldJob h = new HeldJob(job);
        held.put(job.jobId(), h);
        // A stop read between the check above and now found the job not yet held: it is stopped here instead.
        state.fleetControl().filter(f -> f.holdsBack(job.time())).ifPresent(f -> h.stop(ExitReason.CANCELLED,
                "cancelled: " + f.whyHeldBack(job.time()), Duration.ZERO));
        workers.execute(() -> {
            try {
                execute(h);
            } finally {
                endedHere.put(job.jobId(), clock.instant());
                held.remove(job.jobId());
                capacity.release();
                if (draining && held.isEmpty()) {
                    synchronized (held) {
                        held.notifyAll();
                    }
                }
            }
        });
        return Intake.STARTED;
    }

    /** Whether the agent is at its limit, or has older requests waiting that go first. */
    private boolean mustWait(JobRequested job) {
        synchronized (deferred) {
            var queue = deferred.get(job.agent());
            if (queue != null && !queue.isEmpty() && queue.peek().job() != job) {
                return true;
            }
        }
        return cluster.state().openJobs(job.agent()) >= job.spec().maxConcurrent();
    }

    /** One of the agent's jobs ended somewhere: its oldest waiting request, if any, is taken now. */
    private void jobEnded(String agent) {
        Deferred next;
        synchronized (deferred) {
            var queue = deferred.get(agent);
            if (queue == null || queue.isEmpty() || draining) {
                return;
            }
            next = queue.peek();
        }
        workers.execute(() -> {
            try {
                Intake intake = take(next.job(), next.acknowledge());
                if (intake != Intake.DEFERRED) {
                    synchronized (deferred) {
                        var queue = deferred.get(agent);
                        if (queue != null) {
                            queue.remove(next);
                            if (queue.isEmpty()) {
                                deferred.remove(agent);
                            }
                        }
                    }
                    next.acknowledge().run();
                    jobEnded(agent);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.errorf(e, "taking the waiting job %s failed", next.job().jobId());
            }
        });
    }

    /** A cancel request for any job: acted on when this runner holds it. */
    void cancel(JobCancelRequested c) {
        HeldJob h = held.get(c.jobId());
        if (h != null) {
            LOG.infof("cancelling job %s: %s", c.jobId(), cancelMessage(c));
            h.stop(ExitReason.CANCELLED, cancelMessage(c), settings.cancelGracePeriod());
        }
    }

    /**
     * The kill switch: every job this runner holds is killed at once (SIGKILL, no grace: this is the
     * emergency stop), all in parallel, off the thread that reads the cluster topics, with who stopped
     * the fleet as the reason.
     */
    void stopAll(FleetControl f) {
        String why = "cancelled: " + f.whyHeldBack(null);
        List<HeldJob> jobs = List.copyOf(held.values());
        if (!jobs.isEmpty()) {
            LOG.warnf("fleet stopped by %s: killing the %d job(s) held here", f.changedBy(), jobs.size());
        }
        jobs.forEach(h -> workers.execute(() -> h.stop(ExitReason.CANCELLED, why, Duration.ZERO)));
    }

    private static String cancelMessage(JobCancelRequested c) {
        return "cancelled by " + (c.requestedBy() == null ? "a user" : c.requestedBy())
                + (c.reason() == null || c.reason().isBlank() ? "" : " (" + c.reason() + ")");
    }

    private void execute(HeldJob h) {
        JobRequested job = h.job;
        Instant started = clock.instant();
        Outcome outcome;
        String executionId = null;
        ScheduledFuture<?> timeout = null;
        Collector collector = null;
        SecretRedactor redactor = null;
        WorkspaceRecorder.Before workspaceBefore = null;
        try {
            JobRuntime runtime = runtimeFor(job);
            EnvResolver.Resolved resolved = envResolver.resolve(job);
            redactor = new SecretRedactor(resolved.secrets());
            collector = new Collector(job, redactor, events, clock);
            // A job stopped before it starts (cancel, kill switch) ends at once: no scan, no snapshot.
            String refusal = h.stopped() == null ? skills.check(job, collector) : null;
            if (refusal != null) {
                throw new SkillScanRefusal(refusal);
            }
            workspaceBefore = h.stopped() == null ? workspace.before(job) : null;
            String resume = resumeFor(job, collector);
            if (job.spec().timeoutMillis() != null) {
                long millis = job.spec().timeoutMillis();
                timeout = timers.schedule(() -> h.stop(ExitReason.TIMEOUT, "the job ran longer than its timeout ("
                        + job.spec().timeout() + ") and was stopped", settings.cancelGracePeriod()), millis,
                        TimeUnit.MILLISECONDS);
            }
            boolean first = true;
            while (true) {
                List<String> argv = ClaudeCommand.of(job.spec(), resolved.prompt(), resolved.systemPrompt(),
                        resolved.mcpConfig(), resume);
                if (h.stopped() != null) {
                    outcome = collector.outcome(null, h.stopped());
                    break;
                }
                Execution execution = runtime.start(new JobRuntime.Launch(job, argv, resolved.containerEnv()));
                try {
                    h.running(execution);
                    executionId = execution.id();
                    if (first) {
                        LOG.infof("job %s (%s) started in %s", job.jobId(), job.agent(), shortId(executionId));
                        await(events.status(status(job, JobStatus.RUNNING, started, null, executionId, null,
                                execution.address())));
                    }
                    Integer exitCode = execution.follow(collector::line);
                    outcome = collector.outcome(exitCode, h.stopped());
                } finally {
                    execution.release();
                }
                if (resume != null && first && h.stopped() == null && collector.sessionNotFound()) {
                    collector.note(SESSION_NOT_FOUND);
                    collector.resetRun();
                    resume = null;
                    first = false;
                    continue;
                }
                break;
            }
        } catch (DuplicateJobException e) {
            outcome = Outcome.failed(ExitReason.ERROR, null, "a container for this job already exists ("
                    + e.getMessage() + "); it was not started twice");
        } catch (SkillScanRefusal e) {
            LOG.warnf("job %s (%s) %s", job.jobId(), job.agent(), e.getMessage());
            outcome = collector.refused(e.getMessage());
        } catch (JobRejectedException e) {
            outcome = Outcome.failed(ExitReason.ERROR, null, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = Outcome.cancelled("the runner was interrupted while the job was running");
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s failed in the runner", job.jobId());
            outcome = Outcome.failed(ExitReason.ERROR, null, engineMessage(e));
        } finally {
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
        JobStatusChanged terminal = status(job, outcome.status(), started, outcome, executionId, clock.instant());
        if (workspaceBefore != null) {
            terminal = WorkspaceRecorder.attach(terminal, workspace.after(job, workspaceBefore, redactor));
        }
        publishTerminal(terminal);
        LOG.infof("job %s %s%s", job.jobId(), outcome.status().wire(), outcome.error() == null ? "" : ": " + outcome.error());
    }

    /** A job the skill scan refused under {@code security.skill_scan: block}; never leaves {@link #execute}. */
    private static final class SkillScanRefusal extends RuntimeException {
        SkillScanRefusal(String message) {
            super(message, null, false, false);
        }
    }

    private JobRuntime runtimeFor(JobRequested job) {
        if (job.spec().docker().enabled()) {
            return job.spec().docker().ephemeral() ? containers : warm;
        }
        BypassWithoutDocker.refuseUnlessAllowed(job);
        if (!settings.hostProcesses()) {
            throw new JobRejectedException("agent " + job.agent() + " has docker.enabled: false, and this runner does not "
                    + "run jobs as host processes (herdctl.runner.host-processes=false); set docker.enabled: true");
        }
        return hostProcesses;
    }

    /** The session to continue, or null; says so in the job's output when a wanted session is not there. */
    private String resumeFor(JobRequested job, Collector collector) {
        if (job.resume() == null) {
            return null;
        }
        if (!JobRequested.RESUME_LAST.equals(job.resume())) {
            return job.resume();
        }
        Optional<ClusterState.Session> session = cluster.state().session(job.agent());
        Long ttl = job.spec().sessionTimeoutMillis();
        if (session.isEmpty() || (ttl != null
                && session.get().lastUsed().plusMillis(ttl).isBefore(clock.instant()))) {
            collector.note(NO_SESSION);
            return null;
        }
        return session.get().sessionId();
    }

    private static String engineMessage(RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof java.io.IOException || root instanceof java.net.ConnectException) {
            return "Docker execution failed: the Docker engine is unreachable (" + root.getMessage() + ")";
        }
        return "Docker execution failed: " + e.getMessage();
    }

    private static String shortId(String id) {
        return id.startsWith("host:") || id.length() <= 12 ? id : "container " + id.substring(0, 12);
    }

    /**
     * The terminal status is what tells everyone the job is over, so it is tried
     * again while the broker is away. If it still cannot be published, the job
     * stays open on the status topic and the lost-job sweep ends it.
     */
    private void publishTerminal(JobStatusChanged terminal) {
        for (int attempt = 1; attempt <= TERMINAL_ATTEMPTS; attempt++) {
            try {
                await(events.status(terminal));
                return;
            } catch (RuntimeException e) {
                LOG.warnf("publishing the %s status of job %s failed (attempt %d of %d): %s", terminal.status().wire(),
                        terminal.jobId(), attempt, TERMINAL_ATTEMPTS, e.getMessage());
            }
        }
        LOG.errorf("job %s ended %s but its status could not be published", terminal.jobId(), terminal.status().wire());
    }

    /** Publishes a terminal status for a job this runner does not hold (runner lost, job lost). */
    public void endLostJob(ClusterState.JobState job, String error) {
        Instant now = clock.instant();
        JobStatusChanged lost = new JobStatusChanged(EventIds.derived(job.jobId(), "lost"), now,
                JobStatusChanged.SCHEMA_VERSION, job.jobId(), job.agent(), null, null, JobStatus.FAILED, ExitReason.ERROR,
                null, null, now, null, job.containerId(), runnerId, null, null, null, error);
        publishTerminal(lost);
    }

    /**
     * Shutdown: takes no new job, lets the running ones finish within the drain
     * timeout, then cancels what is left and waits for their final statuses.
     */
    public void drain() {
        draining = true;
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        if (!held.isEmpty()) {
            LOG.infof("draining: %d job(s) running, waiting up to %s", held.size(), settings.drainTimeout());
        }
        waitForNoJobs(deadline);
        if (!held.isEmpty()) {
            held.values().forEach(h -> {
                LOG.infof("stopping job %s because the runner is shutting down", h.job.jobId());
                h.stop(ExitReason.CANCELLED, "the runner shut down while the job was running (drain timeout "
                        + settings.drainTimeout() + ")", settings.stopGracePeriod());
            });
            waitForNoJobs(System.nanoTime() + settings.stopGracePeriod().plusSeconds(10).toNanos());
        }
        workers.shutdown();
        timers.shutdownNow();
        warm.close();
    }

    private void waitForNoJobs(long deadline) {
        synchronized (held) {
            while (!held.isEmpty() && System.nanoTime() < deadline) {
                try {
                    held.wait(Math.max(1, Math.min(200, (deadline - System.nanoTime()) / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private JobStatusChanged status(JobRequested job, JobStatus status, Instant started, Outcome outcome,
            String executionId, Instant finished) {
        return status(job, status, started, outcome, executionId, finished, null);
    }

    /** @param address the job container's IP address on its network (the {@code running} status), or null */
    private JobStatusChanged status(JobRequested job, JobStatus status, Instant started, Outcome outcome,
            String executionId, Instant finished, String address) {
        return new JobStatusChanged(EventIds.random(), clock.instant(), JobStatusChanged.SCHEMA_VERSION, job.jobId(),
                job.agent(), job.schedule(), job.triggerType(), status,
                outcome == null ? null : outcome.reason(), outcome == null ? null : outcome.exitCode(), started, finished,
                finished == null ? null : Duration.between(started, finished).toMillis(), executionId, runnerId,
                outcome == null ? null : outcome.sessionId(), outcome == null ? null : outcome.summary(),
                outcome == null ? null : outcome.usage(), outcome == null ? null : outcome.error(),
                outcome == null ? null : outcome.outputLines(), address);
    }

    private static void await(CompletableFuture<Void> ack) {
        KeyedSend.awaitAll(List.of(ack), PUBLISH_TIMEOUT, "a job status");
    }
}
