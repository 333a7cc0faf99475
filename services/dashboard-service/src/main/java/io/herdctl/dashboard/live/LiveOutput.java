package io.herdctl.dashboard.live;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.herdctl.dashboard.service.AuditReader;
import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.JobLogAppended;
import io.herdctl.events.JobStatusChanged;

/**
 * The job pages' live output. Each browser watching a job is a {@link Viewer}
 * fed from three topics (the stored log, statuses, alerts) and, for what it
 * missed, from audit-service's output API: a viewer that connects (or
 * reconnects with {@code Last-Event-ID}) first reads the log from the line after
 * the last one it has, then follows the feed; a line that skips ahead of what
 * it has sent (a feed record lost, a broker hiccup) makes it read the gap from
 * the record. So every viewer gets every line once, in order, whatever the feed
 * did. A slow browser holds up only itself.
 */
@ApplicationScoped
public class LiveOutput {

    private static final Logger LOG = Logger.getLogger(LiveOutput.class);

    private final AuditReader audit;
    private final int maxViewers;
    private final Map<String, Set<Viewer>> viewers = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("live-output"));
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("live-heartbeat"));

    /**
     * @param every how often each stream gets a keep-alive comment (which also
     *              notices browsers that left, and lets a finished job's stream
     *              read any last lines the feed did not bring)
     */
    public LiveOutput(AuditReader audit,
            @ConfigProperty(name = "herdctl.live.max-viewers", defaultValue = "500") int maxViewers,
            @ConfigProperty(name = "herdctl.live.heartbeat", defaultValue = "15s") Duration every) {
        this.audit = audit;
        this.maxViewers = maxViewers;
        heartbeat.scheduleAtFixedRate(this::beat, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts streaming a job's log to a browser from line {@code from}. False
     * (and nothing started) when this instance already serves its limit of viewers.
     */
    public boolean open(String jobId, long from, SseEventSink sink, Sse sse) {
        if (open.incrementAndGet() > maxViewers) {
            open.decrementAndGet();
            return false;
        }
        Viewer viewer = new Viewer(jobId, Math.max(1, from), sink, sse, audit, workers, this::closed);
        viewers.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(viewer);
        viewer.start();
        return true;
    }

    /** How many browsers are watching a job now. */
    public int viewers(String jobId) {
        Set<Viewer> of = viewers.get(jobId);
        return of == null ? 0 : of.size();
    }

    public void appended(JobLogAppended line) {
        Viewer.Line shared = new Viewer.Line(line.seq(), line.line());
        forEach(line.jobId(), v -> v.offer(shared));
    }

    public void statusChanged(JobStatusChanged status) {
        forEach(status.jobId(), v -> v.offer(new Viewer.Status(status.status(), status.outputLines())));
    }

    public void alertRaised(AuditAlertRaised alert) {
        AuditReader.LineAlert shown = AuditReader.LineAlert.of(alert);
        forEach(alert.jobId(), v -> v.offer(new Viewer.Alert(shown.id(), shown.seq(), shown.text())));
    }

    private void forEach(String jobId, java.util.function.Consumer<Viewer> action) {
        Set<Viewer> of = viewers.get(jobId);
        if (of != null) {
            of.forEach(action);
        }
    }

    private void beat() {
        viewers.values().forEach(set -> set.forEach(v -> v.offer(Viewer.Ping.INSTANCE)));
    }

    private void closed(Viewer viewer) {
        open.decrementAndGet();
        viewers.computeIfPresent(viewer.jobId(), (id, set) -> {
            set.remove(viewer);
            return set.isEmpty() ? null : set;
        });
        LOG.debugf("a viewer of %s left at line %d", viewer.jobId(), viewer.next() - 1);
    }

    @PreDestroy
    void close() {
        heartbeat.shutdownNow();
        viewers.values().forEach(set -> set.forEach(Viewer::close));
        workers.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
