package io.herdctl.bench;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.herdctl.audit.domain.DetectionRules;
import io.herdctl.events.EventIds;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.OutputStream;
import io.herdctl.events.Topics;
import io.herdctl.launcher.ServiceProcess;

/**
 * How fast the audit service turns output events into job logs. One
 * audit-service process (the launcher's flags: serial GC, C1 only, at most 384 MB
 * heap) on a fresh state directory and an in-process broker on 127.0.0.1. This
 * process publishes {@code lines} output events (default 200,000) spread over
 * {@code jobs} jobs (default 10), the realistic line mix of {@link JobLogLines}
 * (one generator per job, fixed seeds), seq 1.. per job, keyed by job id, with
 * the runner's producer settings (acks=all, idempotent, linger 5 ms, 256 KB
 * batches), interleaving the jobs at random, as fast as the producer takes them.
 * Every value is serialised before the clock starts.
 *
 * <p>Measured from the first send until every job's {@code <jobId>.jsonl} holds
 * all its lines: this process counts the newlines each file has gained every
 * 100 ms, reading only what was appended since the last look (so the figure has
 * 100 ms resolution). A warm-up job (one tenth of the lines, at most 5,000) runs
 * through the service first and is left out of every figure.
 *
 * <p>Then every file is checked: exactly its lines, line n being seq n exactly as
 * the service should have written it (the entry with what the redacting rules
 * mask masked, plus the event's time as {@code timestamp}), no OUTPUT_GAP marker,
 * no duplicate. The baselines write the same bytes, in the same interleaved
 * order, to files of their own in this process: (1) one buffered stream per job
 * file, closed at the end; (2) open, append, close for every line, which is how
 * the service's JobLogWriter writes. Neither syncs to disk, nor does the service.
 *
 * <p>Run: {@code ./herdctl bench audit-append [lines] [jobs]}. As a diagnostic, the
 * system property {@code bench.audit.rules-file} replaces the service's rules file.
 */
public final class AuditAppend {

    private static final long SEED = 20261129L;
    private static final Instant START = Instant.parse("2026-11-29T08:00:00Z");
    private static final Duration POLL = Duration.ofMillis(100);
    /** A diagnostic: {@code -Dbench.audit.rules-file=PATH} runs the service with those rules instead of the shipped ones. */
    private static final String RULES_FILE = System.getProperty("bench.audit.rules-file");

    private AuditAppend() {
    }

    /** One job's events, serialised, and the lines its log must end up with. */
    private record Job(String id, String agent, List<String> values, List<String> expected, long bytes) {
    }

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int jobCount = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        if (jobCount < 1 || lines < jobCount) {
            throw new IllegalArgumentException("need at least one line per job (lines " + lines + ", jobs " + jobCount + ")");
        }
        DetectionRules rules = new DetectionRules(RULES_FILE == null ? DetectionRules.shipped() : rulesFrom(RULES_FILE));
        long p0 = System.nanoTime();
        List<Job> warm = jobs(SEED - 1, "warmup", 1, Math.max(1, Math.min(5_000, lines / 10)), rules);
        List<Job> jobs = jobs(SEED, "bench", jobCount, lines, rules);
        long prepareMs = Stats.millisSince(p0, System.nanoTime());
        long bytes = jobs.stream().mapToLong(Job::bytes).sum();
        long valueBytes = jobs.stream().flatMap(j -> j.values().stream()).mapToLong(String::length).sum();
        int[] order = interleave(jobs, SEED);

        Path state = Files.createTempDirectory("herdctl-bench-audit-append-");
        Path baseline = Files.createTempDirectory("herdctl-bench-audit-baseline-");
        try {
            RunnerHarness.run("audit-append", h -> {
                long s0 = System.nanoTime();
                Map<String, String> settings = new HashMap<>(Map.of("herdctl.audit.state-dir", state.toString()));
                if (RULES_FILE != null) {
                    settings.put("herdctl.audit.rules-file", RULES_FILE);
                }
                ServiceProcess audit = h.service("audit-service", "audit", settings);
                double startup = (System.nanoTime() - s0) / 1e9;
                Path jobsDir = state.resolve("jobs");
                try (KafkaProducer<String, String> producer = producer(h.bootstrapServers())) {
                    Sent warmSent = send(producer, warm, interleave(warm, SEED - 1));
                    Progress warmDone = awaitLogs(jobsDir, warm, warmSent.first, Duration.ofSeconds(120), audit);
                    if (!warmDone.complete) {
                        throw new IllegalStateException("the warm-up job did not reach its log: " + warmDone.counts);
                    }
                    Sent sent = send(producer, jobs, order);
                    Progress done = awaitLogs(jobsDir, jobs, sent.first,
                            Duration.ofSeconds(120 + lines / 500), audit);
                    Check check = verify(jobsDir, jobs);

                    Files.createDirectories(baseline);
                    long buffered = bufferedBaseline(baseline.resolve("buffered"), jobs, order);
                    long perLine = perLineBaseline(baseline.resolve("per-line"), jobs, order);
                    BenchFiles.deleteRecursively(baseline);

                    report(lines, jobCount, warm.get(0).values().size(), bytes, valueBytes, prepareMs, startup, sent, done,
                            check, buffered, perLine, audit);
                    if (!done.complete || !check.ok()) {
                        throw new IllegalStateException("the job logs are not what was sent: " + check.problems);
                    }
                }
            });
        } finally {
            BenchFiles.deleteRecursively(state);
            BenchFiles.deleteRecursively(baseline);
        }
    }

    private static List<DetectionRules.Rule> rulesFrom(String file) throws IOException {
        try (var in = Files.newInputStream(Path.of(file))) {
            return DetectionRules.parse(in, file);
        }
    }

    // ---------------------------------------------------------------- the workload

    private static List<Job> jobs(long seed, String prefix, int count, int lines, DetectionRules rules) {
        List<Job> out = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            int n = lines / count + (j < lines % count ? 1 : 0);
            String id = "job-2026-11-29-" + prefix.charAt(0) + String.format("%05d", j);
            String agent = "bench-agent-" + j;
            JobLogLines gen = new JobLogLines(seed * 1000 + j, START.plusSeconds(j));
            List<String> values = new ArrayList<>(n);
            List<String> expected = new ArrayList<>(n);
            long bytes = 0;
            for (int seq = 1; seq <= n; seq++) {
                JobLogLines.Line line = gen.next();
                JobOutputEmitted e = new JobOutputEmitted(EventIds.derived(id, Long.toString(seq)), line.time(),
                        JobOutputEmitted.SCHEMA_VERSION, id, agent, seq, OutputStream.STDOUT, line.type(), line.json(), false,
                        line.entry());
                String value = EventJson.write(e);
                values.add(value);
                // what the service makes of it: read back, masked, the entry plus the time as timestamp
                JobOutputEmitted received = rules.redact(EventJson.read(value, JobOutputEmitted.class));
                String stored = EventJson.write(herdctlLine(received));
                expected.add(stored);
                bytes += stored.getBytes(StandardCharsets.UTF_8).length + 1;
            }
            out.add(new Job(id, agent, values, expected, bytes));
        }
        return out;
    }

    /** The line as JobLogWriter stores it: type, the entry's other fields, then the time as timestamp. */
    private static Map<String, Object> herdctlLine(JobOutputEmitted e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", e.type());
        e.entry().forEach((k, v) -> {
            if (!"type".equals(k) && !"timestamp".equals(k)) {
                line.put(k, v);
            }
        });
        line.put("timestamp", e.time().toString());
        return line;
    }

    /** Which job each send goes to: the jobs interleaved at random, each in its own seq order. */
    private static int[] interleave(List<Job> jobs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> left = new ArrayList<>();
        int total = 0;
        for (Job j : jobs) {
            left.add(j.values().size());
            total += j.values().size();
        }
        int[] order = new int[total];
        for (int i = 0; i < total; i++) {
            int pick = random.nextInt(total - i);
            int j = 0;
            while (pick >= left.get(j)) {
                pick -= left.get(j);
                j++;
            }
            left.set(j, left.get(j) - 1);
            order[i] = j;
        }
        return order;
    }

    // ---------------------------------------------------------------- sending

    /** A producer with the runner's settings (acks=all, idempotent, linger 5 ms, 256 KB batches). */
    static KafkaProducer<String, String> producer(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Topics.MAX_OUTPUT_RECORD_BYTES));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(256L << 20));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-audit-append");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** When the sends started, when the last send returned, and when the broker had acknowledged every record. */
    private record Sent(long first, long lastSend, long lastAck) {
    }

    private static Sent send(KafkaProducer<String, String> producer, List<Job> jobs, int[] order)
            throws InterruptedException {
        int[] next = new int[jobs.size()];
        CountDownLatch acked = new CountDownLatch(order.length);
        AtomicLong lastAck = new AtomicLong();
        AtomicReference<Exception> failed = new AtomicReference<>();
        long first = System.nanoTime();
        for (int j : order) {
            Job job = jobs.get(j);
            producer.send(new ProducerRecord<>(Topics.JOB_OUTPUT, job.id(), job.values().get(next[j]++)), (m, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, e);
                }
                lastAck.accumulateAndGet(System.nanoTime(), Math::max);
                acked.countDown();
            });
        }
        long lastSend = System.nanoTime();
        if (!acked.await(Math.max(120, order.length / 1000), TimeUnit.SECONDS) || failed.get() != null) {
            throw new IllegalStateException("the broker did not acknowledge every output record", failed.get());
        }
        return new Sent(first, lastSend, lastAck.get());
    }

    // ---------------------------------------------------------------- watching the logs

    /** Line counts per job as last seen, and when every log was complete (nanoTime), if it was. */
    private static final class Progress {
        final Map<String, Long> counts = new LinkedHashMap<>();
        long completeAt;
        boolean complete;
        int polls;
    }

    /** Counts each log's newlines, reading only what was appended since the previous look. */
    private static Progress awaitLogs(Path jobsDir, List<Job> jobs, long since, Duration timeout, ServiceProcess audit)
            throws IOException, InterruptedException {
        Progress p = new Progress();
        Map<String, long[]> seen = new HashMap<>(); // job -> {offset, newlines}
        byte[] buf = new byte[1 << 20];
        long deadline = since + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Job job : jobs) {
                long[] s = seen.computeIfAbsent(job.id(), k -> new long[2]);
                Path file = jobsDir.resolve(job.id() + ".jsonl");
                if (Files.exists(file)) {
                    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                        f.seek(s[0]);
                        int n;
                        while ((n = f.read(buf)) > 0) {
                            for (int i = 0; i < n; i++) {
                                if (buf[i] == '\n') {
                                    s[1]++;
                                }
                            }
                            s[0] += n;
                        }
                    }
                }
                p.counts.put(job.id(), s[1]);
                all &= s[1] >= job.values().size();
            }
            p.polls++;
            if (all) {
                p.completeAt = System.nanoTime();
                p.complete = true;
                return p;
            }
            if (!audit.handle().isAlive()) {
                throw new IllegalStateException("the audit service exited; lines so far: " + p.counts);
            }
            Thread.sleep(POLL.toMillis());
        }
        return p;
    }

    // ---------------------------------------------------------------- checking

    private record Check(int files, long lines, long mismatches, long gaps, long extra, long missing, List<String> problems) {
        boolean ok() {
            return mismatches == 0 && gaps == 0 && extra == 0 && missing == 0;
        }
    }

    private static Check verify(Path jobsDir, List<Job> jobs) throws IOException {
        long lines = 0;
        long mismatches = 0;
        long gaps = 0;
        long extra = 0;
        long missing = 0;
        List<String> problems = new ArrayList<>();
        for (Job job : jobs) {
            int n = 0;
            try (BufferedReader in = Files.newBufferedReader(jobsDir.resolve(job.id() + ".jsonl"), StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    n++;
                    if (line.contains("\"code\":\"OUTPUT_GAP\"")) {
                        gaps++;
                    }
                    if (n > job.expected().size()) {
                        extra++;
                    } else if (!line.equals(job.expected().get(n - 1))) {
                        if (mismatches++ < 3) {
                            problems.add(job.id() + " line " + n + " is not seq " + n + ": " + cut(line) + " (expected "
                                    + cut(job.expected().get(n - 1)) + ")");
                        }
                    }
                }
            }
            lines += n;
            if (n < job.expected().size()) {
                missing += job.expected().size() - n;
                problems.add(job.id() + ": " + n + " of " + job.expected().size() + " lines");
            }
        }
        return new Check(jobs.size(), lines, mismatches, gaps, extra, missing, problems);
    }

    private static String cut(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    // ---------------------------------------------------------------- baselines

    /** The same lines, same order, one buffered stream per job file; returns ms until every file is closed. */
    private static long bufferedBaseline(Path dir, List<Job> jobs, int[] order) throws IOException {
        List<byte[][]> bytes = encoded(jobs);
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        java.io.OutputStream[] out = new java.io.OutputStream[jobs.size()];
        int[] next = new int[jobs.size()];
        try {
            for (int j : order) {
                if (out[j] == null) {
                    out[j] = new BufferedOutputStream(Files.newOutputStream(dir.resolve(jobs.get(j).id() + ".jsonl")),
                            64 * 1024);
                }
                out[j].write(bytes.get(j)[next[j]++]);
            }
        } finally {
            for (java.io.OutputStream o : out) {
                if (o != null) {
                    o.close();
                }
            }
        }
        return Stats.millisSince(t0, System.nanoTime());
    }

    /** The same lines, same order, each appended by opening the file, writing the line and closing it again. */
    private static long perLineBaseline(Path dir, List<Job> jobs, int[] order) throws IOException {
        List<byte[][]> bytes = encoded(jobs);
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        int[] next = new int[jobs.size()];
        for (int j : order) {
            Files.write(dir.resolve(jobs.get(j).id() + ".jsonl"), bytes.get(j)[next[j]++], StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        return Stats.millisSince(t0, System.nanoTime());
    }

    private static List<byte[][]> encoded(List<Job> jobs) {
        List<byte[][]> out = new ArrayList<>();
        for (Job job : jobs) {
            byte[][] b = new byte[job.expected().size()][];
            for (int i = 0; i < b.length; i++) {
                b[i] = (job.expected().get(i) + "\n").getBytes(StandardCharsets.UTF_8);
            }
            out.add(b);
        }
        return out;
    }

    // ---------------------------------------------------------------- the report

    private static void report(int lines, int jobs, int warmLines, long bytes, long valueBytes, long prepareMs,
            double startup, Sent sent, Progress done, Check check, long buffered, long perLine, ServiceProcess audit) {
        long ms = Stats.millisSince(sent.first, done.completeAt);
        long sendMs = Stats.millisSince(sent.first, sent.lastSend);
        long ackMs = Stats.millisSince(sent.first, sent.lastAck);
        System.out.printf("""
                audit-append: ./herdctl bench audit-append %d %d
                workload: %,d output events over %,d jobs (seq 1.. per job, keyed by job id, interleaved at random), realistic
                  line mix; %s of job log lines to write, %s of record values on the topic (raw line + parsed entry);
                  prepared (serialised, expected lines computed) in %,d ms before the clock started
                audit-service: 1 process (-Xmx384m, serial GC, C1 only), fresh state dir, %s, ready in %.1f s;
                  warmed up first with one job of %,d lines (left out)
                producer (this process, the runner's settings: acks=all, idempotent, linger 5 ms, 256 KB batches):
                  last send returned at %,d ms, broker acknowledged every record at %,d ms (%,.0f records/s)
                herdctl: first send -> every line in its job's .jsonl:   %,7d ms   %,9.0f lines/s   %,7.1f MB/s of log written
                  (polled every %d ms: %d polls; resolution %d ms)
                """, lines, jobs, lines, jobs, BenchFiles.mib(bytes), BenchFiles.mib(valueBytes), prepareMs,
                RULES_FILE == null ? "the shipped detection rules" : "DIAGNOSTIC: rules from " + RULES_FILE, startup,
                warmLines, sendMs, ackMs, lines * 1000.0 / Math.max(1, ackMs),
                ms, lines * 1000.0 / ms, bytes / 1048576.0 * 1000 / ms, POLL.toMillis(), done.polls, POLL.toMillis());
        System.out.printf("""
                baseline (1), this process: the same lines, same order, one buffered stream per file:  %,7d ms   %,9.0f lines/s
                baseline (2), this process: open + append + close per line (as JobLogWriter does):     %,7d ms   %,9.0f lines/s
                ratio herdctl / baseline (1): %.1f    herdctl / baseline (2): %.1f
                check: %d files, %,d lines; line n = seq n exactly as sent (masked where a rule redacts): %s;
                  %,d lines differ, %,d OUTPUT_GAP markers, %,d extra (duplicates), %,d missing%s
                audit-service still running: %s; CPU time used by it (whole JVM, all of its life): %,d ms
                """, buffered, lines * 1000.0 / Math.max(1, buffered), perLine, lines * 1000.0 / Math.max(1, perLine),
                (double) ms / Math.max(1, buffered), (double) ms / Math.max(1, perLine), check.files(), check.lines(),
                check.ok() ? "yes" : "NO", check.mismatches(), check.gaps(), check.extra(), check.missing(),
                check.problems().isEmpty() ? "" : "\n  " + String.join("\n  ", check.problems()),
                audit.handle().isAlive() ? "yes" : "NO", audit.handle().info().totalCpuDuration()
                        .map(Duration::toMillis).orElse(-1L));
    }
}
