package io.herdctl.dashboard.live;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import org.jboss.logging.Logger;

import io.herdctl.dashboard.service.AuditReader;
import io.herdctl.dashboard.web.OutputLines;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobStatus;

/**
 * One browser following one job's log over Server-Sent Events. Everything for
 * it (feed records, reads from the record, heartbeats) goes through one queue
 * worked by one task at a time, so events leave in order and a send that blocks
 * holds up this viewer only. Events: {@code line} (id = sequence number, data
 * {@code {"seq", "html"}}: the line as the page renders it), {@code alert}
 * ({@code {"seq", "id", "text"}}), {@code status} ({@code {"status"}}), and {@code end}
 * once the job is over and its whole log has been sent; then the stream closes.
 */
final class Viewer {

    private static final Logger LOG = Logger.getLogger(Viewer.class);
    static final int READ_BATCH = 1_000;
    /**
     * Feed lines queued for a browser that reads slower than the job writes. More
     * are dropped: the next line it does get is ahead of what it has, so the gap is
     * read from the record, and memory stays bounded however slow the browser.
     */
    static final int MAX_QUEUED_LINES = 5_000;
    private static final long SEND_TIMEOUT_SECONDS = 30;
    static final int MAX_UNCONFIRMED = 256;

    interface Event {
    }

    /**
     * A line from the feed. Every viewer of the job gets the same one, and the
     * first to send it renders it for all ({@link #data}), unless an alert makes
     * a viewer's copy differ.
     */
    static final class Line implements Event {
        private final long seq;
        private final String stored;
        private volatile String data;

        Line(long seq, String stored) {
            this.seq = seq;
            this.stored = stored;
        }

        long seq() {
            return seq;
        }

        String stored() {
            return stored;
        }

        /** The {@code line} event's data, rendered once. */
        String data() {
            String d = data;
            if (d == null) {
                d = Viewer.data(seq, stored, null);
                data = d;
            }
            return d;
        }
    }

    record Status(JobStatus status, Long outputLines) implements Event {
    }

    record Alert(String id, long seq, String text) implements Event {
    }

    enum Ping implements Event {
        INSTANCE
    }

    enum CatchUp implements Event {
        INSTANCE
    }

    private final String jobId;
    private final SseEventSink sink;
    private final Sse sse;
    private final AuditReader audit;
    private final ExecutorService workers;
    private final Consumer<Viewer> onClose;
    private final Queue<Event> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger queuedLines = new AtomicInteger();

    // Touched only by the task working the queue.
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    private int unconfirmed;
    private long next;
    private Long lastLine;
    private boolean ended;
    private final Map<Long, String> alerts = new HashMap<>();
    private final Set<String> alertIds = new HashSet<>();
    private final Set<Long> gapsSent = new HashSet<>();

    Viewer(String jobId, long from, SseEventSink sink, Sse sse, AuditReader audit, ExecutorService workers,
            Consumer<Viewer> onClose) {
        this.jobId = jobId;
        this.next = from;
        this.sink = sink;
        this.sse = sse;
        this.audit = audit;
        this.workers = workers;
        this.onClose = onClose;
    }

    String jobId() {
        return jobId;
    }

    long next() {
        return next;
    }

    /** Registered first, then the catch-up is queued: a feed record that comes meanwhile waits behind it. */
    void start() {
        offer(CatchUp.INSTANCE);
    }

    void offer(Event event) {
        if (closed.get()) {
            return;
        }
        if (event instanceof Line && queuedLines.incrementAndGet() > MAX_QUEUED_LINES) {
            queuedLines.decrementAndGet();
            return;
        }
        queue.add(event);
        if (scheduled.compareAndSet(false, true)) {
            workers.execute(this::drain);
        }
    }

    private void drain() {
        try {
            Event event;
            while (!closed.get() && (event = queue.poll()) != null) {
                handle(event);
            }
            settle();
        } catch (RuntimeException e) {
            LOG.warnf("live output of %s stops for one viewer: %s", jobId, e.getMessage());
            close();
        } finally {
            scheduled.set(false);
            if (!queue.isEmpty() && !closed.get() && scheduled.compareAndSet(false, true)) {
                workers.execute(this::drain);
            }
        }
    }

    private void handle(Event event) {
        if (event instanceof Line l) {
            queuedLines.decrementAndGet();
            line(l);
        } else if (event instanceof Status s) {
            status(s);
        } else if (event instanceof Alert a) {
            alert(a);
        } else if (event == CatchUp.INSTANCE) {
            catchUp(true);
        } else {
            send(sse.newEventBuilder().comment("keep-alive").build());
            if (lastLine != null && next <= lastLine) {
                catchUp(false); // the job is over but its last lines have not come on the feed: read them
            }
        }
        if (!ended && lastLine != null && next > lastLine) {
            end();
        }
    }

    private void line(Line l) {
        if (l.seq() < next) {
            if (gapsSent.remove(l.seq())) {
                sendLine(l); // a late line replacing its gap marker
            }
            return;
        }
        if (l.seq() > next) {
            catchUp(false); // the feed skipped ahead of us: read the lines in between from the record
            if (l.seq() < next) {
                return;
            }
        }
        sendLine(l);
        next = l.seq() + 1;
    }

    /** Reads the log from {@code next} to its current end; the first time, also the alerts raised so far. */
    private void catchUp(boolean first) {
        if (first) {
            loadAlerts();
        }
        while (!closed.get()) {
            AuditReader.Chunk chunk = audit.output(jobId, next, READ_BATCH);
            if (first && !chunk.status().equals("unknown")) {
                send(event("status", Map.of("status", chunk.status())));
            }
            first = false;
            for (String stored : chunk.lines()) {
                sendLine(new Line(next, stored));
                next++;
            }
            if (chunk.complete()) {
                lastLine = next - 1;
            }
            if (chunk.lines().size() < READ_BATCH) {
                return;
            }
        }
    }

    private void loadAlerts() {
        audit.alertsOf(jobId).forEach(a -> remember(a.id(), a.seq(), a.text()));
    }

    private void status(Status s) {
        send(event("status", Map.of("status", s.status().wire())));
        if (s.status().isTerminal()) {
            if (s.outputLines() != null) {
                lastLine = s.outputLines();
            }
            // What the record has now; without a line count, the record also says when the log is complete.
            catchUp(false);
        }
    }

    private void alert(Alert a) {
        if (remember(a.id(), a.seq(), a.text()) && a.seq() < next) {
            send(event("alert", Map.of("seq", a.seq(), "id", a.id(), "text", a.text())));
        }
    }

    private boolean remember(String id, long seq, String text) {
        if (!alertIds.add(id)) {
            return false;
        }
        alerts.merge(seq, text, (x, y) -> x + "; " + y);
        return true;
    }

    private void sendLine(Line line) {
        if (line.stored().contains("\"OUTPUT_GAP\"")) {
            gapsSent.add(line.seq());
        }
        String alert = alerts.get(line.seq());
        send(sse.newEventBuilder().name("line").id(Long.toString(line.seq()))
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(String.class, alert == null ? line.data() : data(line.seq(), line.stored(), alert)).build());
    }

    static String data(long seq, String stored, String alert) {
        return EventJson.write(Map.of("seq", seq, "html", OutputLines.html(seq, stored, alert)));
    }

    private void end() {
        ended = true;
        send(event("end", Map.of("lines", next - 1)));
        settle();
        close();
    }

    private OutboundSseEvent event(String name, Map<String, ?> data) {
        return sse.newEventBuilder().name(name).mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(String.class, EventJson.write(data)).build();
    }

    /**
     * Hands an event to the connection without waiting for it to be written:
     * events go out in the order sent. {@link #settle} waits for them every
     * {@link #MAX_UNCONFIRMED} events and whenever the queue is empty, so a
     * browser that stops reading holds up its stream, not the others.
     */
    private void send(OutboundSseEvent event) {
        if (closed.get() || sink.isClosed()) {
            close();
            return;
        }
        lastSend = sink.send(event).toCompletableFuture();
        if (++unconfirmed >= MAX_UNCONFIRMED) {
            settle();
        }
    }

    /** Waits until the connection has taken every event sent; closes the stream when it does not. */
    private void settle() {
        if (unconfirmed == 0 || closed.get()) {
            return;
        }
        try {
            lastSend.get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            unconfirmed = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        } catch (Exception e) {
            close(); // the browser went away or stopped reading
        }
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                sink.close();
            } catch (RuntimeException ignored) {
                // already closed by the other side
            }
            onClose.accept(this);
        }
    }
}
