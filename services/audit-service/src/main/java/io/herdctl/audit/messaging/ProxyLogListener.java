package io.herdctl.audit.messaging;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.herdctl.audit.config.AuditSettings;
import io.herdctl.audit.domain.EgressAlerts;
import io.herdctl.audit.domain.JobAddresses;
import io.herdctl.audit.domain.ProxyAccess;
import io.herdctl.audit.domain.ProxyLogFollower;
import io.herdctl.audit.service.AuditRecord;
import io.herdctl.events.AuditAlertRaised;
import io.quarkus.runtime.StartupEvent;

/**
 * Turns the egress proxy's refusals into {@code egress-denied} alerts, when
 * {@code herdctl.audit.proxy-log} names its access log. One background thread
 * follows the file ({@link ProxyLogFollower}); the Kafka consumers never wait for it.
 * <p>
 * Each refusal is the job's whose container had the client address at the
 * request's time ({@link JobAddresses}). The proxy may log a request before the
 * job's {@code running} status has been read, so a refusal no job matches waits
 * up to the grace for it, then is raised as unattributed. Refusals wait in file
 * order, and the offset kept for a restart is that of the first one not yet
 * raised: a restart reads the lines from there again, and a refusal whose alert
 * is already in the store is not raised twice. When the broker does not take
 * the alerts, they wait and are tried again; once {@value #MAX_WAITING} wait, the
 * file is not read further: egress alerts stall rather than skip.
 */
@ApplicationScoped
public class ProxyLogListener {

    /** Longest line read; Squid's URLs are shorter by far, so a longer line is not one of its. */
    static final int MAX_LINE_BYTES = 64 * 1024;
    static final int MAX_LINES_PER_POLL = 10_000;
    static final int MAX_WAITING = 10_000;
    /** Most alerts sent to the broker at once. */
    static final int MAX_BATCH = 500;
    private static final Logger LOG = Logger.getLogger(ProxyLogListener.class);

    /** A refusal read from the log (which file, where), and until when it may wait for its job. */
    private record Waiting(ProxyAccess access, long generation, long offset, Instant deadline) {
    }

    private final AuditRecord record;
    private final AlertPublisher alerts;
    private final Optional<Path> file;
    private final Path offsetFile;
    private final Duration pollInterval;
    private final Duration grace;
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final AtomicLong linesRead = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong unattributed = new AtomicLong();
    private ProxyLogFollower follower;
    private ScheduledExecutorService reader;
    private volatile boolean failing;
    private volatile int waitingCount;

    public ProxyLogListener(AuditRecord record, AlertPublisher alerts, AuditSettings settings) {
        this.record = record;
        this.alerts = alerts;
        this.file = settings.proxyLog();
        this.offsetFile = settings.stateDir().resolve("egress").resolve("proxy-log.offset");
        this.pollInterval = settings.proxyLogPollInterval();
        this.grace = settings.proxyLogGrace();
        if (pollInterval.toMillis() < 1) {
            throw new IllegalArgumentException("herdctl.audit.proxy-log-poll-interval must be at least 1ms, was "
                    + pollInterval);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("herdctl.audit.proxy-log-grace must not be negative, was " + grace);
        }
    }

    void onStart(@Observes StartupEvent start) {
        if (file.isEmpty()) {
            LOG.info("egress is not watched: herdctl.audit.proxy-log is not set");
            return;
        }
        follower = new ProxyLogFollower(file.get(), offsetFile, MAX_LINE_BYTES, MAX_LINES_PER_POLL);
        reader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-proxy-log");
            t.setDaemon(true);
            return t;
        });
        reader.scheduleWithFixedDelay(this::tick, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("following the egress proxy's log %s (every %d ms; an unmatched refusal waits %d ms for its job)",
                file.get(), pollInterval.toMillis(), grace.toMillis());
    }

    /** One round: raise what may be raised, read the new lines, raise again, note the offset. */
    private void tick() {
        if (!record.indexed()) {
            return; // the alert store is read back first, so a line read again is recognised
        }
        try {
            raiseReady(Instant.now());
            if (waiting.size() < MAX_WAITING) {
                Instant now = Instant.now();
                List<ProxyLogFollower.Line> lines = follower.poll();
                for (ProxyLogFollower.Line line : lines) {
                    read(line, follower.generation(), now);
                }
                raiseReady(now);
            }
            follower.commit(committable());
            waitingCount = waiting.size();
            if (failing) {
                LOG.infof("following %s again", follower.file());
                failing = false;
            }
        } catch (IOException | RuntimeException e) {
            waitingCount = waiting.size();
            if (!failing) {
                LOG.errorf("egress alerts from %s are held up (retrying every %d ms): %s", follower.file(),
                        pollInterval.toMillis(), e.getMessage());
                failing = true;
            } else {
                LOG.debugf("egress alerts still held up: %s", e.getMessage());
            }
        }
    }

    /**
     * Where a restart goes on from: the first refusal still waiting in the open
     * file, else all that was read. Refusals of a file read before (rotated away)
     * cannot be read again and do not hold the offset back.
     */
    private long committable() {
        for (Waiting w : waiting) {
            if (w.generation() == follower.generation()) {
                return w.offset();
            }
        }
        return follower.position();
    }

    private void read(ProxyLogFollower.Line line, long generation, Instant now) {
        linesRead.incrementAndGet();
        if (line.text().isBlank()) {
            return;
        }
        ProxyAccess access;
        try {
            access = ProxyAccess.parse(line.text());
        } catch (IllegalArgumentException e) {
            malformed.incrementAndGet();
            LOG.warnf("%s: the line at byte %d is not a proxy log entry and is left out: %s", follower.file(),
                    line.offset(), e.getMessage());
            return;
        }
        if (access.refused()) {
            waiting.addLast(new Waiting(access, generation, line.offset(), now.plus(grace)));
        }
    }

    /**
     * Raises, in one batch, the waiting refusals whose job is known or whose grace
     * is over. They leave the queue only once the broker took them.
     */
    private void raiseReady(Instant now) {
        boolean full = true;
        while (full && !waiting.isEmpty()) {
            List<AuditAlertRaised> batch = new ArrayList<>();
            Set<Waiting> done = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Iterator<Waiting> it = waiting.iterator(); it.hasNext() && batch.size() < MAX_BATCH;) {
                Waiting w = it.next();
                Optional<JobAddresses.Window> job = record.addresses().at(w.access().client(), w.access().time());
                if (job.isEmpty() && now.isBefore(w.deadline())) {
                    continue;
                }
                done.add(w);
                AuditAlertRaised alert = EgressAlerts.denied(w.access(), w.offset(), job.orElse(null),
                        record.rules()::redact, now);
                if (!record.alerts().contains(alert.eventId())) {
                    batch.add(alert); // else raised before a restart, and read again
                }
            }
            full = batch.size() >= MAX_BATCH;
            alerts.publish(batch, EgressAlerts.LINE_TYPE, EgressAlerts.DATA_SOURCE);
            waiting.removeIf(done::contains);
            refusals.addAndGet(batch.size());
            unattributed.addAndGet(batch.stream().filter(a -> EgressAlerts.UNATTRIBUTED_JOB.equals(a.jobId())).count());
        }
    }

    /** For readiness: off, or what was read and raised since the start. */
    public String state() {
        if (file.isEmpty()) {
            return "off";
        }
        return String.format("%s: %d lines read, %d refusals raised (%d unattributed), %d malformed lines, %d waiting%s",
                file.get(), linesRead.get(), refusals.get(), unattributed.get(), malformed.get(), waitingCount,
                failing ? "; held up, retrying" : "");
    }

    @PreDestroy
    void close() {
        if (reader != null) {
            reader.shutdownNow();
            try {
                reader.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (follower != null) {
            follower.close();
        }
    }
}
