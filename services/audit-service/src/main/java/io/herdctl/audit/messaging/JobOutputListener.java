package io.herdctl.audit.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import io.herdctl.audit.config.AuditSettings;
import io.herdctl.audit.domain.DetectionRules;
import io.herdctl.audit.domain.JobLogWriter;
import io.herdctl.audit.domain.ReorderBuffer;
import io.herdctl.audit.service.AuditRecord;
import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobLogAppended;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.KeyedSend;
import io.herdctl.events.MalformedEventException;
import io.herdctl.events.Topics;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Writes each output line to its job's log, masked, and raises alerts for it.
 * All writing happens on one thread, in order. A line that arrives ahead of its
 * turn waits a few seconds for the lines before it ({@link ReorderBuffer}); a line
 * that turns up after its place was marked missing fills that place. Alerts are
 * on the broker (as OCSF Detection Findings) and in the alert files before the
 * line is written, and the record is acknowledged only after: a crash between
 * the two redelivers the line, which raises the same alerts again (same ids) and
 * is written once. A record that is not an output line, or names a job id that
 * is not herdctl's, goes to the dead-letter topic and the stream goes on. When
 * the disk or the broker fails, the line is retried until it can be written: the
 * log stalls rather than skips.
 * <p>
 * Every line written (gap markers and late lines included) then goes on the
 * job-log topic, the live feed, exactly as it stands in the file. The feed is
 * best effort and never holds the log up: the writer does not wait for its
 * acknowledgements, and a line the broker does not take is only logged, since
 * the file has it and a consumer reads what it missed from the output API.
 */
@ApplicationScoped
public class JobOutputListener {

    public static final String OUTPUT_CHANNEL = "job-output";
    public static final String ALERTS_CHANNEL = AlertPublisher.ALERTS_CHANNEL;
    public static final String JOB_LOG_CHANNEL = "job-log";
    /**
     * How much of the feed (characters of record values) may wait for the broker:
     * room for two of the largest records. While the broker is away this, not the
     * emitter's buffer, bounds the memory the feed holds; lines beyond it are left off.
     */
    private static final int FEED_MAX_WAITING_CHARS = 2 * Topics.MAX_OUTPUT_RECORD_BYTES;
    private static final Logger LOG = Logger.getLogger(JobOutputListener.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final AuditRecord record;
    private final AlertPublisher alerts;
    private final Emitter<Record<String, String>> feed;
    private final Semaphore feedRoom = new Semaphore(FEED_MAX_WAITING_CHARS);
    private final ReorderBuffer<Message<String>> buffer;
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "audit-writer");
        t.setDaemon(true);
        return t;
    });

    public JobOutputListener(AuditRecord record, AuditSettings settings, AlertPublisher alerts,
            @Channel(JOB_LOG_CHANNEL) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
            Emitter<Record<String, String>> feed) {
        this.record = record;
        this.alerts = alerts;
        this.feed = feed;
        this.buffer = new ReorderBuffer<>(settings.reorderWindow(), settings.reorderMaxHeld());
        long tick = Math.max(100, settings.reorderWindow().toMillis() / 4);
        writer.scheduleWithFixedDelay(this::releaseExpired, tick, tick, TimeUnit.MILLISECONDS);
    }

    @Incoming(OUTPUT_CHANNEL)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public CompletionStage<Void> onOutput(Message<String> message) {
        JobOutputEmitted line;
        try {
            line = EventJson.read(message.getPayload(), JobOutputEmitted.class);
            if (!JobIds.isValid(line.jobId())) {
                throw new MalformedEventException(JobOutputEmitted.class,
                        "job id '" + line.jobId() + "' is not a herdctl job id; " + JobIds.FORMAT_MESSAGE);
            }
        } catch (MalformedEventException | IllegalArgumentException e) {
            LOG.warnf("an output record goes to the dead-letter topic: %s", e.getMessage());
            return message.nack(e);
        }
        return CompletableFuture.runAsync(() -> {
            long next = record.logs().lastWritten(line.jobId()) + 1;
            ReorderBuffer.Released<Message<String>> released = buffer.offer(line, message, next, Instant.now());
            released.repeats().forEach(Message::ack);
            if (released.ready().isEmpty()) {
                LOG.debugf("job %s line %d waits for line %d", line.jobId(), line.seq(), next);
            }
            released.ready().forEach(this::writeUntilDone);
        }, writer);
    }

    /** Whether writing is failing right now (the disk or the broker); the log waits and retries. */
    public boolean stalled() {
        return stalled.get();
    }

    /**
     * Lines held past the window are written now (the log marks what is still
     * missing before them); a finished job whose last lines have not come within
     * the tail wait gets them marked missing, with an alert.
     */
    private void releaseExpired() {
        try {
            Instant now = Instant.now();
            buffer.expired(now).forEach(this::writeUntilDone);
            for (AuditRecord.Tail tail : List.copyOf(record.tails().values())) {
                long last = record.logs().lastWritten(tail.jobId());
                if (last >= tail.lines()) {
                    record.tails().remove(tail.jobId());
                } else if (!now.isBefore(tail.deadline())) {
                    publish(List.of(DetectionRules.tailGap(tail.jobId(), tail.agent(), last + 1, tail.lines(), now)),
                            "error");
                    feed(tail.jobId(), record.logs().markMissing(tail.jobId(), tail.lines(), now));
                    LOG.errorf("job %s ended with %d output lines but lines %d to %d never arrived; the log marks them"
                            + " missing", tail.jobId(), tail.lines(), last + 1, tail.lines());
                    record.tails().remove(tail.jobId());
                }
            }
        } catch (RuntimeException e) {
            LOG.error("cannot release held output lines", e);
        }
    }

    private void writeUntilDone(ReorderBuffer.Held<Message<String>> held) {
        Duration backoff = Duration.ofSeconds(1);
        while (true) {
            try {
                write(held.line());
                stalled.set(false);
                held.token().ack();
                return;
            } catch (RuntimeException e) {
                if (stalled.compareAndSet(false, true) || backoff.equals(MAX_BACKOFF)) {
                    LOG.errorf("job %s line %d cannot be recorded yet (retrying in %d s): %s", held.line().jobId(),
                            held.line().seq(), backoff.toSeconds(), e.getMessage());
                }
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return; // stopping: the line is not acknowledged and is delivered again
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void write(JobOutputEmitted line) {
        long last = record.logs().lastWritten(line.jobId());
        if (line.seq() <= last) {
            if (record.logs().isGap(line.jobId(), line.seq())) {
                DetectionRules.Inspection seen = record.rules().inspect(line);
                publish(seen.alerts(), line.type());
                List<JobLogWriter.Line> filled = record.logs().fill(seen.line());
                if (!filled.isEmpty()) {
                    LOG.infof("job %s line %d arrived late and took its place in the log", line.jobId(), line.seq());
                    feed(line.jobId(), filled);
                }
            }
            return;
        }
        DetectionRules.Inspection seen = record.rules().inspect(line);
        List<AuditAlertRaised> raised = new ArrayList<>(seen.alerts());
        if (line.seq() > last + 1) {
            raised.add(DetectionRules.gap(line, last + 1));
            LOG.errorf("job %s: output lines %d to %d never arrived; the log marks them missing", line.jobId(), last + 1,
                    line.seq() - 1);
        }
        publish(raised, line.type());
        feed(line.jobId(), record.logs().append(seen.line()));
    }

    /**
     * Puts lines just written on the live feed, in the order written (one key per
     * job, so one partition). Returns at once: a send that fails, or that finds too
     * much already waiting, is logged and the log goes on.
     */
    private void feed(String jobId, List<JobLogWriter.Line> lines) {
        for (JobLogWriter.Line line : lines) {
            String value = EventJson.write(new JobLogAppended(jobId, line.seq(), line.text()));
            int size = value.length();
            if (!feedRoom.tryAcquire(size)) {
                LOG.warnf("job %s line %d is left off %s: too much of the feed waits for the broker", jobId, line.seq(),
                        Topics.JOB_LOG);
                continue;
            }
            KeyedSend.send(feed, jobId, value).whenComplete((sent, failure) -> {
                feedRoom.release(size);
                if (failure != null) {
                    LOG.warnf("job %s line %d is not on %s: %s", jobId, line.seq(), Topics.JOB_LOG,
                            failure.getMessage());
                }
            });
        }
    }

    private void publish(List<AuditAlertRaised> raised, String lineType) {
        alerts.publish(raised, lineType);
    }

    @PreDestroy
    void close() {
        writer.shutdownNow();
    }
}
