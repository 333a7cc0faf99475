package io.herdctl.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.herdctl.events.EventIds;
import io.herdctl.events.EventJson;
import io.herdctl.events.ExitReason;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.OutputStream;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.launcher.ServiceProcess;

/**
 * How late the dashboard's live output reaches the browsers following a job. The
 * in-process broker of {@link RunnerHarness}, an audit-service process on a fresh
 * state directory and a dashboard-service process reading from it (scheduler-service
 * at a closed port); both with the launcher's flags (serial GC, C1 only, at most
 * 384 MB heap).
 *
 * <p>A job (a herdctl job id of today) is announced RUNNING on
 * {@code herdctl.job-status.v1}; {@code viewers} SSE clients (default 20, one
 * java.net.http client each, {@code Accept: text/event-stream}) follow
 * {@code GET /jobs/<id>/live?from=1} on the dashboard and wait for its first
 * event. Then this process publishes {@code lines} output events (default 1,000)
 * on {@code herdctl.job-output.v1}, seq 1.. keyed by job id, at {@code rate} lines
 * a second (default 100: far chattier than a Claude Code job, whose stream-json
 * comes a few lines a second; with 20 viewers that is 2,000 events a second out
 * of the dashboard), with the runner's producer settings (acks=all,
 * idempotent, linger 5 ms); each is an assistant line whose text starts with
 * {@code t=<System.nanoTime()>} taken just before the send. Finally a COMPLETED
 * status with {@code outputLines = lines}, so every stream ends with an
 * {@code end} event.
 *
 * <p>The path measured is the whole live path: the output topic, audit-service
 * writing the line to the job's log, its feed on {@code herdctl.job-log.v1}, the
 * dashboard rendering the line and sending it as a {@code line} event. Each client
 * takes the latency of a line as its receive time (nanoTime, when the event's data
 * line was read) minus the time in the text; the figures are p50/p95/p99/max over
 * every (viewer, line) pair against the target p95 under 250 ms. Each viewer must
 * get every line exactly once, in order, then {@code end} with the line count. A
 * warm-up job as long as the measured one, with the same viewers, runs first
 * and is left out.
 *
 * <p>Run: {@code ./herdctl bench dashboard-live [viewers] [lines] [rate/s]}.
 */
public final class DashboardLive {

    private static final long TARGET_P95_MS = 250;
    private static final Pattern SENT = Pattern.compile("t=(\\d+)");
    private static final String AGENT = "bench-live";

    private DashboardLive() {
    }

    /** What one viewer saw of one job. */
    private static final class Seen {
        final List<Long> latencyMicros = new ArrayList<>();
        long lines;
        long outOfOrder;
        long duplicates;
        long lastSeq;
        Long endLines;
        String failure;
        final CountDownLatch connected = new CountDownLatch(1);
    }

    public static void main(String[] args) throws Exception {
        int viewers = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2].replace("/s", "")) : 100;
        Path state = Files.createTempDirectory("herdctl-bench-dashboard-live-");
        try {
            RunnerHarness.run("dashboard-live", h -> {
                ServiceProcess audit = h.service("audit-service", "audit",
                        Map.of("herdctl.audit.state-dir", state.toString()));
                ServiceProcess dashboard = h.service("dashboard-service", "dashboard", Map.of(
                        "quarkus.rest-client.audit.url", audit.url(),
                        "quarkus.rest-client.scheduler.url", "http://127.0.0.1:9"));
                ExecutorService readers = Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "sse-viewer");
                    t.setDaemon(true);
                    return t;
                });
                try (KafkaProducer<String, String> producer = AuditAppend.producer(h.bootstrapServers())) {
                    int warmLines = lines; // as long as the measured job: the JVMs run C1 only and compile as they go
                    Run warm = follow(h, producer, audit, dashboard, readers, viewers, warmLines, rate);
                    if (!warm.problems().isEmpty()) {
                        throw new IllegalStateException("the warm-up job went wrong: " + warm.problems());
                    }
                    Run run = follow(h, producer, audit, dashboard, readers, viewers, lines, rate);
                    report(viewers, lines, rate, warmLines, audit, dashboard, run);
                    if (!run.problems().isEmpty()) {
                        throw new IllegalStateException("viewers did not get every line once and in order: "
                                + run.problems());
                    }
                } finally {
                    readers.shutdownNow();
                }
            });
        } finally {
            BenchFiles.deleteRecursively(state);
        }
    }

    /** One job followed by the viewers: what each saw, how long the sends took, and what went wrong. */
    private record Run(String jobId, List<Seen> seen, List<Long> feedMicros, long sendMs, long endMs,
            List<String> problems) {
    }

    private static Run follow(RunnerHarness h, KafkaProducer<String, String> producer, ServiceProcess audit,
            ServiceProcess dashboard,
            ExecutorService readers, int viewers, int lines, int rate) throws Exception {
        Instant now = Instant.now();
        String jobId = JobIds.random(now, ZoneOffset.UTC);
        h.sendAll(Topics.JOB_STATUS, Map.of(jobId, EventJson.write(new JobStatusChanged(EventIds.random(), now,
                JobStatusChanged.SCHEMA_VERSION, jobId, AGENT, null, TriggerType.MANUAL, JobStatus.RUNNING, null, null,
                now, null, null, null, null, null, null, null, null))));
        // the viewers' first event is the job's status, which the dashboard reads from audit-service
        long known = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (audit.health("/api/jobs/" + jobId + "/output") != 200) {
            if (System.nanoTime() > known) {
                throw new IllegalStateException("audit-service did not learn of " + jobId + " within 30 s");
            }
            Thread.sleep(20);
        }

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<Seen> seen = new ArrayList<>();
        List<Future<?>> done = new ArrayList<>();
        for (int v = 0; v < viewers; v++) {
            Seen s = new Seen();
            seen.add(s);
            done.add(readers.submit(() -> read(http, dashboard.url() + "/jobs/" + jobId + "/live?from=1", s)));
        }
        for (Seen s : seen) {
            if (!s.connected.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a viewer of " + jobId + " got no first event within 30 s");
            }
        }

        FeedWatch feed = new FeedWatch(h.bootstrapServers(), jobId);
        Future<?> watching = readers.submit(feed);
        feed.ready.await(30, TimeUnit.SECONDS);
        long interval = 1_000_000_000L / rate;
        long first = System.nanoTime();
        for (int seq = 1; seq <= lines; seq++) {
            long due = first + (seq - 1) * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long sent = System.nanoTime();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", "assistant");
            entry.put("content", "t=" + sent + " line " + seq + ": checking the open pull requests & their <reviews>.");
            JobOutputEmitted e = new JobOutputEmitted(EventIds.derived(jobId, Long.toString(seq)), Instant.now(),
                    JobOutputEmitted.SCHEMA_VERSION, jobId, AGENT, seq, OutputStream.STDOUT, "assistant",
                    EventJson.write(entry), false, entry);
            producer.send(new ProducerRecord<>(Topics.JOB_OUTPUT, jobId, EventJson.write(e)));
        }
        producer.flush();
        long sendMs = Stats.millisSince(first, System.nanoTime());
        Instant end = Instant.now();
        h.sendAll(Topics.JOB_STATUS, Map.of(jobId, EventJson.write(new JobStatusChanged(EventIds.random(), end,
                JobStatusChanged.SCHEMA_VERSION, jobId, AGENT, null, TriggerType.MANUAL, JobStatus.COMPLETED,
                ExitReason.SUCCESS, 0, now, end, Duration.between(now, end).toMillis(), null, null, null, "done", null,
                null, (long) lines))));
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        long endMs = Stats.millisSince(first, System.nanoTime());
        feed.stop = true;
        watching.get(30, TimeUnit.SECONDS);

        List<String> problems = new ArrayList<>();
        for (int v = 0; v < seen.size(); v++) {
            Seen s = seen.get(v);
            if (s.failure != null || s.lines != lines || s.outOfOrder > 0 || s.duplicates > 0 || s.endLines == null
                    || s.endLines != lines) {
                problems.add("viewer " + v + ": " + s.lines + " lines, " + s.outOfOrder + " out of order, "
                        + s.duplicates + " duplicates, end " + s.endLines + (s.failure == null ? "" : ", " + s.failure));
            }
        }
        return new Run(jobId, seen, feed.micros, sendMs, endMs, problems);
    }

    /**
     * Reads {@code herdctl.job-log.v1} (audit-service's feed, which the dashboard follows)
     * from its end, taking each of the job's lines' latency as it comes: the first half
     * of the path, up to where the dashboard takes over.
     */
    private static final class FeedWatch implements Runnable {
        final List<Long> micros = new ArrayList<>();
        final CountDownLatch ready = new CountDownLatch(1);
        volatile boolean stop;
        private final String bootstrap;
        private final String jobId;

        FeedWatch(String bootstrap, String jobId) {
            this.bootstrap = bootstrap;
            this.jobId = jobId;
        }

        @Override
        public void run() {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
                List<TopicPartition> parts = c.partitionsFor(Topics.JOB_LOG).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                c.assign(parts);
                c.seekToEnd(parts);
                parts.forEach(c::position);
                ready.countDown();
                while (!stop) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(50))) {
                        long received = System.nanoTime();
                        Matcher m = SENT.matcher(r.value());
                        if (jobId.equals(r.key()) && m.find()) {
                            micros.add((received - Long.parseLong(m.group(1))) / 1_000);
                        }
                    }
                }
            } finally {
                ready.countDown();
            }
        }
    }

    /** Follows one stream until it ends, parsing the events as they come. */
    private static void read(HttpClient http, String url, Seen s) {
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                s.failure = url + " answered " + r.statusCode();
                return;
            }
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String event = "message";
                StringBuilder data = new StringBuilder();
                long received = 0;
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            if (event(s, event, data.toString(), received)) {
                                return;
                            }
                        }
                        event = "message";
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        received = System.nanoTime();
                        data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                    }
                }
                s.failure = "the stream closed without an end event";
            }
        } catch (Exception e) {
            s.failure = e.toString();
        } finally {
            s.connected.countDown();
        }
    }

    /** Takes one event in; true at the end of the stream. */
    private static boolean event(Seen s, String name, String data, long received) throws Exception {
        s.connected.countDown();
        switch (name) {
            case "line" -> {
                var json = EventJson.mapper().readTree(data);
                long seq = json.path("seq").asLong();
                if (seq <= s.lastSeq) {
                    s.duplicates++;
                    return false;
                }
                if (seq != s.lastSeq + 1) {
                    s.outOfOrder++;
                }
                s.lastSeq = seq;
                s.lines++;
                Matcher m = SENT.matcher(json.path("html").asText());
                if (m.find()) {
                    s.latencyMicros.add((received - Long.parseLong(m.group(1))) / 1_000);
                } else if (s.failure == null) {
                    s.failure = "line " + seq + " has no send time: " + json.path("html").asText();
                }
            }
            case "end" -> {
                s.endLines = EventJson.mapper().readTree(data).path("lines").asLong();
                return true;
            }
            default -> {
                // status, alert
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- the report

    private static void report(int viewers, int lines, int rate, int warmLines, ServiceProcess audit,
            ServiceProcess dashboard, Run run) {
        List<Long> all = new ArrayList<>();
        long minLines = Long.MAX_VALUE;
        long maxLines = 0;
        for (Seen s : run.seen()) {
            all.addAll(s.latencyMicros);
            minLines = Math.min(minLines, s.lines);
            maxLines = Math.max(maxLines, s.lines);
        }
        List<Long> firstViewer = run.seen().get(0).latencyMicros;
        double p95 = all.isEmpty() ? Double.NaN : Stats.percentile(all, 95) / 1000.0;
        System.out.printf("""
                dashboard-live: ./herdctl bench dashboard-live %d %d %d/s
                machine: %d cores; this process %s
                audit-service:     %s
                dashboard-service: %s
                  (broker in this process; scheduler at a closed port)
                path measured: this process's producer -> herdctl.job-output.v1 -> audit-service writes the line to the
                  job's log -> herdctl.job-log.v1 -> dashboard-service renders it -> SSE `line` event -> this process's
                  viewer (nanoTime when the event's data line was read, minus the nanoTime in the line's text)
                workload: job %s, %,d assistant lines at %d/s (runner's producer settings: acks=all, idempotent,
                  linger 5 ms), %d viewers following /jobs/<id>/live?from=1, connected before the first line; then
                  COMPLETED with outputLines=%d; warm-up job of %,d lines with the same viewers first (left out)
                sending took %,d ms (%.0f lines/s); every stream ended %,d ms after the first send
                                           n    p50 ms    p95 ms    p99 ms    max ms
                """, viewers, lines, rate, Runtime.getRuntime().availableProcessors(), Runtime.version(),
                DashboardJobs.flags(audit), DashboardJobs.flags(dashboard), run.jobId(), lines, rate, viewers, lines,
                warmLines, run.sendMs(), lines * 1000.0 / Math.max(1, run.sendMs()), run.endMs());
        if (!all.isEmpty()) {
            row("all (viewer, line) pairs", all);
        }
        if (!run.feedMicros().isEmpty()) {
            row("herdctl.job-log.v1 (feed)", run.feedMicros());
        }
        if (!firstViewer.isEmpty()) {
            row("viewer 1 alone", firstViewer);
            StringBuilder tenths = new StringBuilder();
            int n = firstViewer.size();
            for (int t = 0; t < 10 && n >= 10; t++) {
                tenths.append(String.format(" %.0f", Stats.median(firstViewer.subList(t * n / 10, (t + 1) * n / 10))
                        / 1000.0));
            }
            System.out.printf("  viewer 1, p50 ms by tenth of the lines sent:%s%n", tenths);
        }
        System.out.printf("""
                target: p95 under %d ms: %s (p95 %.2f ms)
                lines per viewer: min %,d max %,d of %,d; %s
                after the run: dashboard %s, alive %s; audit %s, alive %s
                """, TARGET_P95_MS, p95 < TARGET_P95_MS ? "met" : "MISSED", p95, minLines, maxLines, lines,
                run.problems().isEmpty() ? "every viewer got every line once, in order, then `end` with " + lines
                        : "PROBLEMS:\n  " + String.join("\n  ", run.problems()),
                DashboardJobs.rss(dashboard), dashboard.handle().isAlive() ? "yes" : "NO", DashboardJobs.rss(audit),
                audit.handle().isAlive() ? "yes" : "NO");
    }

    private static void row(String what, List<Long> micros) {
        List<Long> s = Stats.sorted(micros);
        System.out.printf("  %-28s %6d %9.2f %9.2f %9.2f %9.2f%n", what, s.size(), Stats.median(s) / 1000.0,
                Stats.percentile(s, 95) / 1000.0, Stats.percentile(s, 99) / 1000.0, s.get(s.size() - 1) / 1000.0);
    }
}
