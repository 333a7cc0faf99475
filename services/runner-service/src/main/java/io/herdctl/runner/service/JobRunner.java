package io.herdctl.runner.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.herdctl.events.EventIds;
import io.herdctl.events.ExitReason;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.JobUsage;
import io.herdctl.events.KeyedSend;
import io.herdctl.events.OutputStream;
import io.herdctl.runner.config.RunnerSettings;
import io.herdctl.runner.docker.ContainerEngine;
import io.herdctl.runner.docker.ContainerPlan;
import io.herdctl.runner.docker.ContainerSpecFactory;
import io.herdctl.runner.docker.DuplicateJobException;
import io.herdctl.runner.docker.JobRejectedException;
import io.herdctl.runner.messaging.JobEvents;
import io.herdctl.runner.output.ParsedLine;
import io.herdctl.runner.output.SecretRedactor;
import io.herdctl.runner.output.StreamJsonParser;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Runs one job from request to terminal status: hardened container, every
 * output line published with its sequence number, the outcome read from
 * Claude's result message, the container removed. Every path ends in exactly
 * one terminal status that says what happened.
 */
@ApplicationScoped
public class JobRunner {

    private static final Logger LOG = Logger.getLogger(JobRunner.class);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(60);
    private static final int TERMINAL_ATTEMPTS = 3;

    private final RunnerSettings settings;
    private final ContainerEngine engine;
    private final JobEvents events;
    private final ContainerSpecFactory plans;
    private final EnvResolver envResolver;
    private final String runnerId;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, String> running = new ConcurrentHashMap<>();
    private final Map<String, Boolean> seen = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 10_000;
        }
    });
    private volatile boolean stopping;

    public JobRunner(RunnerSettings settings, ContainerEngine engine, JobEvents events) {
        this.settings = settings;
        this.engine = engine;
        this.events = events;
        this.runnerId = settings.id().orElseGet(RunnerIdentity::randomId);
        this.plans = new ContainerSpecFactory(settings.defaultUser().orElseGet(RunnerIdentity::defaultUser),
                settings.defaultPidsLimit(), settings.tmpfsSize(), runnerId, settings.stackLabel().orElse(null));
        this.envResolver = new EnvResolver(System.getenv(), settings.envFile());
    }

    public String runnerId() {
        return runnerId;
    }

    public void run(JobRequested job) {
        if (seen.put(job.jobId(), Boolean.TRUE) != null) {
            LOG.infof("job %s was delivered again; this runner already took it", job.jobId());
            return;
        }
        Instant started = clock.instant();
        Outcome outcome;
        String containerId = null;
        try {
            if (!job.spec().docker().enabled()) {
                throw new JobRejectedException("docker.enabled is false for agent " + job.agent() + ": this runner only "
                        + "runs jobs in containers; set docker.enabled: true in the agent file");
            }
            EnvResolver.Resolved resolved = envResolver.resolve(job);
            ContainerPlan plan = plans.plan(job, resolved.containerEnv(), resolved.prompt(), resolved.systemPrompt());
            containerId = engine.start(plan);
            running.put(job.jobId(), containerId);
            LOG.infof("job %s (%s) started in container %s", job.jobId(), job.agent(), containerId.substring(0, 12));
            await(events.status(status(job, JobStatus.RUNNING, started, null, containerId, null)));
            Collector collector = new Collector(job, new SecretRedactor(resolved.secrets()));
            int exitCode = engine.follow(containerId, collector::line);
            outcome = collector.outcome(exitCode, stopping);
        } catch (DuplicateJobException e) {
            LOG.infof("job %s is already being run (%s); not starting it twice", job.jobId(), e.getMessage());
            return;
        } catch (JobRejectedException e) {
            outcome = Outcome.failed(ExitReason.ERROR, null, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = Outcome.cancelled("the runner was interrupted while the job was running");
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s failed in the runner", job.jobId());
            outcome = Outcome.failed(ExitReason.ERROR, null, "Docker execution failed: " + e.getMessage());
        } finally {
            if (containerId != null) {
                running.remove(job.jobId());
                try {
                    engine.remove(containerId);
                } catch (RuntimeException e) {
                    LOG.warnf("could not remove container %s of job %s: %s", containerId, job.jobId(), e.getMessage());
                }
            }
        }
        publishTerminal(job, status(job, outcome.status, started, outcome, containerId, clock.instant()));
        LOG.infof("job %s %s%s", job.jobId(), outcome.status.wire(), outcome.error == null ? "" : ": " + outcome.error);
    }

    /**
     * The terminal status is what tells everyone the job is over, so it is tried
     * again while the broker is away. If it still cannot be published, the
     * exception fails the request, which then goes to the dead-letter topic with
     * the reason: the job is not silently forgotten.
     */
    private void publishTerminal(JobRequested job, JobStatusChanged terminal) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= TERMINAL_ATTEMPTS; attempt++) {
            try {
                await(events.status(terminal));
                return;
            } catch (RuntimeException e) {
                last = e;
                LOG.warnf("publishing the %s status of job %s failed (attempt %d of %d): %s", terminal.status().wire(),
                        job.jobId(), attempt, TERMINAL_ATTEMPTS, e.getMessage());
            }
        }
        throw new IllegalStateException("job " + job.jobId() + " ended " + terminal.status().wire()
                + " but its status could not be published", last);
    }

    /** Stops this runner's containers on shutdown; each job then ends as cancelled. */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        running.forEach((job, container) -> {
            LOG.infof("stopping job %s (container %s) because the runner is shutting down", job, container);
            engine.stop(container, settings.stopGracePeriod());
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private JobStatusChanged status(JobRequested job, JobStatus status, Instant started, Outcome outcome,
            String containerId, Instant finished) {
        return new JobStatusChanged(EventIds.random(), clock.instant(), JobStatusChanged.SCHEMA_VERSION, job.jobId(),
                job.agent(), job.schedule(), job.triggerType(), status,
                outcome == null ? null : outcome.reason, outcome == null ? null : outcome.exitCode, started, finished,
                finished == null ? null : Duration.between(started, finished).toMillis(), containerId, runnerId,
                outcome == null ? null : outcome.sessionId, outcome == null ? null : outcome.summary,
                outcome == null ? null : outcome.usage, outcome == null ? null : outcome.error);
    }

    private static void await(CompletableFuture<Void> ack) {
        KeyedSend.awaitAll(List.of(ack), PUBLISH_TIMEOUT, "a job status");
    }

    /** How a job ended. */
    record Outcome(JobStatus status, ExitReason reason, Integer exitCode, String error, String sessionId, String summary,
            JobUsage usage) {

        static Outcome failed(ExitReason reason, Integer exitCode, String error) {
            return new Outcome(JobStatus.FAILED, reason, exitCode, error, null, null, null);
        }

        static Outcome cancelled(String why) {
            return new Outcome(JobStatus.CANCELLED, ExitReason.CANCELLED, null, why, null, null, null);
        }
    }

    /** Numbers, redacts, parses and publishes a job's lines, and remembers what the run reported. */
    private final class Collector {
        private final JobRequested job;
        private final SecretRedactor redactor;
        private final List<CompletableFuture<Void>> acks = new ArrayList<>();
        private final AtomicInteger lost = new AtomicInteger();
        private long seq;
        private String sessionId;
        private ParsedLine.RunResult result;
        private String lastAssistantText;

        Collector(JobRequested job, SecretRedactor redactor) {
            this.job = job;
            this.redactor = redactor;
        }

        void line(OutputStream stream, String rawLine) {
            String line = redactor.redact(rawLine);
            ParsedLine parsed = StreamJsonParser.parse(stream, line);
            if (parsed.sessionId() != null) {
                sessionId = parsed.sessionId();
            }
            if (parsed.result() != null) {
                result = parsed.result();
            }
            boolean truncated = line.length() > JobOutputEmitted.MAX_RAW_CHARS;
            String raw = truncated ? line.substring(0, JobOutputEmitted.MAX_RAW_CHARS) : line;
            Instant now = clock.instant();
            for (Map<String, Object> entry : parsed.entries()) {
                String type = (String) entry.get("type");
                if ("assistant".equals(type) && entry.get("content") instanceof String text && !text.isBlank()) {
                    lastAssistantText = text;
                }
                seq++;
                JobOutputEmitted event = new JobOutputEmitted(EventIds.derived(job.jobId(), Long.toString(seq)), now,
                        JobOutputEmitted.SCHEMA_VERSION, job.jobId(), job.agent(), seq, stream, type, raw, truncated, entry);
                try {
                    CompletableFuture<Void> ack = events.output(event);
                    acks.add(ack.whenComplete((ok, failure) -> {
                        if (failure != null) {
                            lost.incrementAndGet();
                        }
                    }));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    lost.incrementAndGet();
                }
            }
        }

        Outcome outcome(int exitCode, boolean cancelled) {
            try {
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                        .get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // Counted in lost below.
            }
            long unacked = acks.stream().filter(a -> !a.isDone() || a.isCompletedExceptionally()).count();
            JobUsage usage = result == null ? null : usage(result);
            String summary = result != null && result.text() != null ? result.text() : lastAssistantText;
            if (cancelled) {
                return new Outcome(JobStatus.CANCELLED, ExitReason.CANCELLED, exitCode,
                        "the runner stopped while the job was running", sessionId, summary, usage);
            }
            String error = null;
            ExitReason reason = ExitReason.SUCCESS;
            if (exitCode != 0) {
                reason = maxTurns() ? ExitReason.MAX_TURNS : ExitReason.ERROR;
                error = "Claude CLI exited with code " + exitCode + resultErrors();
            } else if (result == null) {
                reason = ExitReason.ERROR;
                error = "the run ended without a result message (" + seq + " output lines)";
            } else if (result.isError()) {
                reason = maxTurns() ? ExitReason.MAX_TURNS : ExitReason.ERROR;
                error = "Claude reported an error" + resultErrors();
            }
            if (unacked > 0) {
                reason = ExitReason.ERROR;
                error = (error == null ? "" : error + "; ") + unacked + " of " + seq
                        + " output lines were not acknowledged by the broker";
            }
            return new Outcome(error == null ? JobStatus.COMPLETED : JobStatus.FAILED, reason, exitCode, error, sessionId,
                    summary, usage);
        }

        private boolean maxTurns() {
            return result != null && "error_max_turns".equals(result.subtype());
        }

        private String resultErrors() {
            if (result == null) {
                return "";
            }
            if (!result.errors().isEmpty()) {
                return ": " + String.join("; ", result.errors());
            }
            return result.isError() && result.text() != null ? ": " + result.text() : "";
        }

        private JobUsage usage(ParsedLine.RunResult r) {
            Map<String, JobUsage.ModelUsage> perModel = new LinkedHashMap<>();
            r.modelUsage().forEach((model, u) -> perModel.put(model, new JobUsage.ModelUsage(
                    (Long) u.get("input_tokens"), (Long) u.get("output_tokens"), (Long) u.get("cache_creation_input_tokens"),
                    (Long) u.get("cache_read_input_tokens"), (Double) u.get("cost_usd"))));
            return new JobUsage(r.inputTokens(), r.outputTokens(), r.cacheCreationInputTokens(), r.cacheReadInputTokens(),
                    r.numTurns(), r.totalCostUsd(), perModel);
        }
    }
}
