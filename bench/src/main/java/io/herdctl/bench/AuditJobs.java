package io.herdctl.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.herdctl.events.EventJson;
import io.herdctl.launcher.ServiceProcess;

/**
 * The job history API of the audit service on a large history. {@code jobs}
 * job metadata files (default 100,000) in herdctl's format, as the service's
 * JobMetadataWriter writes them ({@code <state>/jobs/<jobId>.yaml}: id, agent,
 * schedule, trigger_type, status, exit_reason, session_id, forked_from,
 * started_at, finished_at, duration_seconds, prompt, summary, output_file,
 * usage), are generated with a fixed seed: 20 agents (some busier than others),
 * every status (running and pending only in the last day), triggers schedule,
 * manual and webhook, start times over 90 days, durations and costs spread like
 * real runs. They are written in parallel into a fresh state directory.
 *
 * <p>An audit-service process (the launcher's flags: serial GC, C1 only, at most
 * 384 MB heap) is started twice on an empty state directory first (the second
 * start counts: the first reads the jars from disk), then on the generated one;
 * for each the time from starting the process to
 * {@code /q/health/ready} is printed (readiness waits for the index rebuild), and
 * the service's own log line "job index: N jobs from … in X ms".
 *
 * <p>Then {@code requests} GETs on {@code /api/jobs} (default 2,000) from one
 * java.net.http client, one at a time, after 200 warm-up requests, over nine
 * kinds in turn: the default list (newest 50), one agent, status=failed,
 * triggerType=schedule, a 7-day since/until window, sort=-cost, sort=duration,
 * offset=5000, limit=500. Latency is from sending until the whole body is read;
 * p50/p95/p99/max per kind and overall, against the target p95 under 50 ms. Every
 * answer is checked against the generated data (total, page size, first job id).
 *
 * <p>Run: {@code ./herdctl bench audit-jobs [jobs] [requests]}.
 */
public final class AuditJobs {

    private static final long SEED = 20261129L;
    private static final int WARM_UP = 200;
    private static final long TARGET_P95_MS = 50;
    private static final Duration READY = Duration.ofMinutes(5);
    private static final Pattern INDEX_LOG = Pattern.compile("job index: (\\d+) jobs from (\\S+) in (\\d+) ms");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    static final String[] AGENTS = {"pr-reviewer", "issue-triage", "docs-writer", "dependency-bot",
            "test-fixer", "release-notes", "security-scan", "changelog", "nightly-build", "flaky-hunter",
            "marketing.blog-drafter", "marketing.social", "ops.cost-report", "ops.oncall-digest", "ops.log-summary",
            "data.etl-check", "data.schema-watch", "support.inbox", "support.faq-updater", "research.paper-digest"};
    private static final String[] SCHEDULES = {"hourly", "nightly", "every-15m", "weekly", "morning"};
    private static final String[] MODELS = {"claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001"};
    private static final String[] PROMPTS = {"Review the open pull requests and leave comments.",
            "Triage new issues: label them, ask for reproduction steps where missing, close duplicates.",
            "Update the docs for every public API that changed since the last release, and open a pull request with"
                    + " the changes. Keep the style of the existing pages, link the new sections from the index, and"
                    + " list what you could not document in the pull request's description.",
            "Check the dependencies for updates and security advisories.", "Fix the failing tests on main.",
            "Summarise yesterday's production logs: errors, slow endpoints, anything unusual.",
            "Draft the release notes for the next version from the merged pull requests."};

    private AuditJobs() {
    }

    /** One generated job, as far as the checks need it. */
    record Gen(String id, String agent, String trigger, String status, Instant started, Long duration,
            Double cost) {
    }

    private enum Kind {
        NEWEST("newest 50 (default)"), AGENT("agent=<one of 20>"), FAILED("status=failed"),
        SCHEDULED("triggerType=schedule"), WINDOW("since/until, 7 days"), COST("sort=-cost"),
        DURATION("sort=duration"), DEEP("offset=5000"), BIG("limit=500");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private record Query(Kind kind, String agent, String status, String trigger, Instant since, Instant until,
            String sort, int limit, int offset) {

        String path() {
            StringBuilder q = new StringBuilder();
            param(q, "agent", agent);
            param(q, "status", status);
            param(q, "triggerType", trigger);
            param(q, "since", since == null ? null : since.toString());
            param(q, "until", until == null ? null : until.toString());
            param(q, "sort", sort);
            param(q, "limit", limit == 50 ? null : Integer.toString(limit));
            param(q, "offset", offset == 0 ? null : Integer.toString(offset));
            return "/api/jobs" + (q.isEmpty() ? "" : "?" + q);
        }

        private static void param(StringBuilder q, String name, String value) {
            if (value != null) {
                q.append(q.isEmpty() ? "" : "&").append(name).append('=').append(URLEncoder.encode(value,
                        StandardCharsets.UTF_8));
            }
        }
    }

    /** What an answer must say: how many jobs matched, how many rows the page has, and the page's first job. */
    private record Expected(int total, int rows, String firstId) {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Path root = Files.createTempDirectory("herdctl-bench-audit-jobs-");
        try {
            Path state = root.resolve("state");
            Path jobsDir = Files.createDirectories(state.resolve("jobs"));
            List<Gen> gens = new ArrayList<>(jobs);
            List<Map<String, Object>> docs = generate(jobs, end, jobsDir, gens);
            long w0 = System.nanoTime();
            write(jobsDir, gens, docs);
            long writeMs = Stats.millisSince(w0, System.nanoTime());
            docs.clear();
            long onDisk;
            try (var files = Files.list(jobsDir)) {
                onDisk = files.mapToLong(p -> p.toFile().length()).sum();
            }

            RunnerHarness.run("audit-jobs", h -> {
                // twice on an empty state dir: the first start brings the service's jars into the page cache
                Start empty = null;
                Path emptyState = Files.createDirectories(root.resolve("empty-state"));
                for (int i = 0; i < 2; i++) {
                    try (ServiceProcess audit = start(h, root.resolve("logs-empty-" + i), emptyState)) {
                        empty = awaitStart(audit);
                    }
                }
                ServiceProcess audit = start(h, root.resolve("logs"), state);
                try {
                    Start full = awaitStart(audit);
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(5)).build();
                    Lookup lookup = new Lookup(gens);
                    SplittableRandom warmRandom = new SplittableRandom(SEED + 1);
                    for (int i = 0; i < WARM_UP; i++) {
                        call(http, audit, query(i, warmRandom, end));
                    }
                    SplittableRandom random = new SplittableRandom(SEED);
                    Map<Kind, List<Long>> micros = new EnumMap<>(Kind.class);
                    Map<Kind, long[]> sizes = new EnumMap<>(Kind.class); // rows, bytes
                    List<Long> all = new ArrayList<>();
                    List<String> wrong = new ArrayList<>();
                    int checked = 0;
                    int wrongCount = 0;
                    for (int i = 0; i < requests; i++) {
                        Query q = query(i, random, end);
                        long t0 = System.nanoTime();
                        String body = call(http, audit, q);
                        long us = (System.nanoTime() - t0) / 1_000;
                        micros.computeIfAbsent(q.kind(), k -> new ArrayList<>()).add(us);
                        all.add(us);
                        JsonNode answer = EventJson.mapper().readTree(body);
                        long[] s = sizes.computeIfAbsent(q.kind(), k -> new long[2]);
                        s[0] += answer.path("jobs").size();
                        s[1] += body.length();
                        Expected want = lookup.expected(q);
                        Expected got = new Expected(answer.path("total").asInt(-1), answer.path("jobs").size(),
                                answer.path("jobs").size() == 0 ? null : answer.path("jobs").get(0).path("jobId").asText());
                        checked++;
                        if (!want.equals(got) && wrongCount++ < 5) {
                            wrong.add(q.path() + ": expected " + want + ", got " + got);
                        }
                    }
                    report(jobs, requests, end, gens, writeMs, onDisk, empty, full, micros, sizes, all, checked,
                            wrongCount, wrong, lookup, audit);
                    if (!wrong.isEmpty()) {
                        throw new IllegalStateException("wrong answers: " + wrong);
                    }
                } finally {
                    audit.close();
                }
            });
        } finally {
            BenchFiles.deleteRecursively(root);
        }
    }

    // ---------------------------------------------------------------- the history

    /**
     * The generated history of {@code n} jobs started over the 90 days before {@code end},
     * written into {@code jobsDir}; returns the jobs in the order generated. For benchmarks
     * of services that read this history through audit-service.
     */
    static List<Gen> writeHistory(int n, Instant end, Path jobsDir) {
        List<Gen> gens = new ArrayList<>(n);
        write(jobsDir, gens, generate(n, end, jobsDir, gens));
        return gens;
    }

    /** Writes each job's metadata file ({@code <jobId>.yaml}), in parallel. */
    private static void write(Path jobsDir, List<Gen> gens, List<Map<String, Object>> docs) {
        IntStream.range(0, docs.size()).parallel().forEach(i -> {
            try {
                YAML.writeValue(jobsDir.resolve(gens.get(i).id() + ".yaml").toFile(), docs.get(i));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static List<Map<String, Object>> generate(int n, Instant end, Path jobsDir, List<Gen> gens) {
        SplittableRandom random = new SplittableRandom(SEED);
        double[] weights = new double[AGENTS.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += 1 / Math.pow(i + 1, 0.8);
            weights[i] = sum;
        }
        Set<String> ids = new HashSet<>();
        List<Map<String, Object>> docs = new ArrayList<>(n);
        long span = Duration.ofDays(90).toMillis();
        for (int i = 0; i < n; i++) {
            double a = random.nextDouble() * sum;
            int agentIndex = 0;
            while (weights[agentIndex] < a) {
                agentIndex++;
            }
            String agent = AGENTS[agentIndex];
            Instant started = end.minusMillis(1 + random.nextLong(span));
            String id;
            do {
                StringBuilder suffix = new StringBuilder();
                for (int k = 0; k < 6; k++) {
                    suffix.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(random.nextInt(36)));
                }
                LocalDate day = LocalDate.ofInstant(started, ZoneOffset.UTC);
                id = "job-" + day + "-" + suffix;
            } while (!ids.add(id));
            int t = random.nextInt(100);
            String trigger = t < 60 ? "schedule" : t < 85 ? "manual" : "webhook";
            String status = status(random, started, end);
            boolean terminal = !status.equals("running") && !status.equals("pending");
            Long duration = null;
            Instant finished = null;
            if (terminal) {
                duration = Math.max(1, Math.min(4 * 3600, Math.round(Math.exp(Math.log(120) + 1.2 * random.nextGaussian()))));
                finished = started.plusSeconds(duration);
                if (finished.isAfter(end)) {
                    finished = end;
                    duration = Math.max(0, Duration.between(started, end).toSeconds());
                }
            }
            Double cost = null;
            Map<String, Object> usage = null;
            if (terminal && (!status.equals("cancelled") || random.nextBoolean())) {
                String model = MODELS[random.nextInt(10) < 8 ? 0 : 1];
                long input = 2_000 + (long) (random.nextDouble() * 60_000);
                long output = 200 + (long) (random.nextDouble() * 8_000);
                long cacheRead = (long) (random.nextDouble() * 400_000);
                long cacheWrite = (long) (random.nextDouble() * 40_000);
                cost = Math.round(Math.exp(Math.log(0.25) + 1.0 * random.nextGaussian()) * 10_000) / 10_000.0;
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("input_tokens", input);
                one.put("output_tokens", output);
                one.put("cache_creation_input_tokens", cacheWrite);
                one.put("cache_read_input_tokens", cacheRead);
                Map<String, Object> perModel = new LinkedHashMap<>();
                perModel.put(model, one);
                usage = new LinkedHashMap<>();
                usage.put("per_model", perModel);
                usage.put("num_turns", 1 + random.nextInt(40));
                usage.put("total_cost_usd", cost);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("agent", agent);
            m.put("schedule", trigger.equals("schedule") ? SCHEDULES[agentIndex % SCHEDULES.length] : null);
            m.put("trigger_type", trigger);
            m.put("status", status);
            m.put("exit_reason", switch (status) {
                case "completed" -> "success";
                case "failed" -> random.nextInt(10) < 7 ? "error" : random.nextBoolean() ? "timeout" : "max_turns";
                case "cancelled" -> "cancelled";
                default -> null;
            });
            m.put("session_id", status.equals("pending") ? null : uuid(random));
            m.put("forked_from", null);
            m.put("started_at", started.toString());
            m.put("finished_at", finished == null ? null : finished.toString());
            m.put("duration_seconds", duration);
            m.put("prompt", PROMPTS[random.nextInt(PROMPTS.length)]);
            m.put("summary", status.equals("completed") ? "Done: " + (1 + random.nextInt(9)) + " items handled, "
                    + random.nextInt(5) + " need a human." : null);
            if (status.equals("failed")) {
                m.put("error", "Claude CLI exited with code 1: API Error: 529 Overloaded");
            }
            m.put("output_file", jobsDir.resolve(id + ".jsonl").toAbsolutePath().toString());
            if (usage != null) {
                m.put("usage", usage);
            }
            docs.add(m);
            gens.add(new Gen(id, agent, trigger, status, started, duration, cost));
        }
        return docs;
    }

    /** Mostly completed; running and pending only for jobs of the last day. */
    private static String status(SplittableRandom random, Instant started, Instant end) {
        while (true) {
            int s = random.nextInt(100);
            String status = s < 78 ? "completed" : s < 90 ? "failed" : s < 95 ? "cancelled" : s < 98 ? "running" : "pending";
            boolean open = status.equals("running") || status.equals("pending");
            if (!open || started.isAfter(end.minus(Duration.ofDays(1)))) {
                return status;
            }
        }
    }

    private static String uuid(SplittableRandom random) {
        return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
    }

    // ---------------------------------------------------------------- the service

    /** Readiness: ms from starting the process, and the service's own index log line. */
    private record Start(long readyMs, String indexLine, long indexMs, long indexJobs) {
    }

    private static ServiceProcess start(RunnerHarness h, Path logs, Path state) {
        return ServiceProcess.start(BenchFiles.home(), "audit-service", h.bootstrapServers(), "audit", logs,
                Map.of("herdctl.audit.state-dir", state.toString()));
    }

    private static Start awaitStart(ServiceProcess audit) {
        long t0 = System.nanoTime();
        try {
            audit.awaitReady(READY);
        } catch (RuntimeException e) {
            System.err.println(BenchFiles.tail(audit.log(), 60));
            throw e;
        }
        long ms = Stats.millisSince(t0, System.nanoTime());
        String log = BenchFiles.tail(audit.log(), 400);
        Matcher m = INDEX_LOG.matcher(log);
        if (!m.find()) {
            return new Start(ms, "(no \"job index\" line in the log)", -1, -1);
        }
        return new Start(ms, m.group(), Long.parseLong(m.group(3)), Long.parseLong(m.group(1)));
    }

    // ---------------------------------------------------------------- the requests

    private static Query query(int i, SplittableRandom random, Instant end) {
        Kind kind = Kind.values()[i % Kind.values().length];
        return switch (kind) {
            case NEWEST -> new Query(kind, null, null, null, null, null, null, 50, 0);
            case AGENT -> new Query(kind, AGENTS[random.nextInt(AGENTS.length)], null, null, null, null, null, 50, 0);
            case FAILED -> new Query(kind, null, "failed", null, null, null, null, 50, 0);
            case SCHEDULED -> new Query(kind, null, null, "schedule", null, null, null, 50, 0);
            case WINDOW -> {
                Instant since = end.minus(Duration.ofDays(7 + random.nextInt(83))).truncatedTo(ChronoUnit.HOURS);
                yield new Query(kind, null, null, null, since, since.plus(Duration.ofDays(7)), null, 50, 0);
            }
            case COST -> new Query(kind, null, null, null, null, null, "-cost", 50, 0);
            case DURATION -> new Query(kind, null, null, null, null, null, "duration", 50, 0);
            case DEEP -> new Query(kind, null, null, null, null, null, null, 50, 5000);
            case BIG -> new Query(kind, null, null, null, null, null, null, 500, 0);
        };
    }

    private static String call(HttpClient http, ServiceProcess audit, Query q) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(audit.url() + q.path()))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(q.path() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** The answers the generated data calls for, computed here the way the index defines them. */
    private static final class Lookup {
        private static final Comparator<Gen> NEWEST_FIRST = Comparator.comparing(Gen::started)
                .thenComparing(Gen::id).reversed();
        private static final Comparator<Gen> COST_DESC = Comparator.comparing(Gen::cost,
                Comparator.nullsFirst(Comparator.<Double>naturalOrder())).thenComparing(Gen::started)
                .thenComparing(Gen::id).reversed();
        private static final Comparator<Gen> DURATION_ASC = Comparator.comparing(Gen::duration,
                Comparator.nullsFirst(Comparator.<Long>naturalOrder())).thenComparing(Gen::started)
                .thenComparing(Gen::id);

        final List<Gen> newestFirst;
        final Map<String, Expected> cache = new HashMap<>();

        Lookup(List<Gen> gens) {
            newestFirst = new ArrayList<>(gens);
            newestFirst.sort(NEWEST_FIRST);
        }

        Expected expected(Query q) {
            return cache.computeIfAbsent(q.path(), k -> compute(q));
        }

        private Expected compute(Query q) {
            Predicate<Gen> match = g -> (q.agent() == null || q.agent().equals(g.agent()))
                    && (q.status() == null || q.status().equals(g.status()))
                    && (q.trigger() == null || q.trigger().equals(g.trigger()))
                    && (q.since() == null || !g.started().isBefore(q.since()))
                    && (q.until() == null || g.started().isBefore(q.until()));
            List<Gen> rows = newestFirst.stream().filter(match).toList();
            if ("-cost".equals(q.sort())) {
                rows = rows.stream().sorted(COST_DESC).toList();
            } else if ("duration".equals(q.sort())) {
                rows = rows.stream().sorted(DURATION_ASC).toList();
            }
            int pageRows = Math.max(0, Math.min(q.limit(), rows.size() - q.offset()));
            return new Expected(rows.size(), pageRows, pageRows == 0 ? null : rows.get(q.offset()).id());
        }

        long count(Predicate<Gen> p) {
            return newestFirst.stream().filter(p).count();
        }
    }

    // ---------------------------------------------------------------- the report

    private static void report(int jobs, int requests, Instant end, List<Gen> gens, long writeMs, long onDisk, Start empty,
            Start full, Map<Kind, List<Long>> micros, Map<Kind, long[]> sizes, List<Long> all, int checked,
            int wrongCount, List<String> wrong, Lookup lookup, ServiceProcess audit) {
        Map<String, Long> statuses = new TreeMap<>();
        Map<String, Long> triggers = new TreeMap<>();
        for (Gen g : gens) {
            statuses.merge(g.status(), 1L, Long::sum);
            triggers.merge(g.trigger(), 1L, Long::sum);
        }
        System.out.printf("""
                audit-jobs: ./herdctl bench audit-jobs %d %d
                history: %,d job metadata files (<state>/jobs/<jobId>.yaml, herdctl's fields as JobMetadataWriter writes them),
                  %d agents, started over the 90 days before %s; %s on disk; written in %,d ms (%d threads)
                  statuses %s; triggers %s
                audit-service (1 process: -Xmx384m, serial GC, C1 only; the files were just written, so in the page cache):
                  empty state dir:   process start -> ready %,6d ms   (second start; the first one read the jars from disk)
                  %,d jobs:     process start -> ready %,6d ms   (%+,d ms); its log: "%s"
                requests: %,d GETs /api/jobs, one java.net.http client (HTTP/1.1, keep-alive), one at a time, after %d
                  warm-up requests; the nine kinds in turn; time from sending to the whole body read
                                                  n    p50 ms    p95 ms    p99 ms    max ms   rows/answer   KB/answer
                """, jobs, requests, jobs, AGENTS.length, end, BenchFiles.mib(onDisk), writeMs,
                Runtime.getRuntime().availableProcessors(), statuses, triggers, empty.readyMs(), jobs, full.readyMs(),
                full.readyMs() - empty.readyMs(), full.indexLine(), requests, WARM_UP);
        for (Kind k : Kind.values()) {
            List<Long> us = micros.get(k);
            if (us == null) {
                continue;
            }
            long[] s = sizes.get(k);
            row(k.label, us, (double) s[0] / us.size(), s[1] / 1024.0 / us.size());
        }
        row("all", all, Double.NaN, Double.NaN);
        double p95 = Stats.percentile(all, 95) / 1000.0;
        Kind worst = null;
        for (Kind k : micros.keySet()) {
            if (worst == null || Stats.percentile(micros.get(k), 95) > Stats.percentile(micros.get(worst), 95)) {
                worst = k;
            }
        }
        String rss = rss(audit);
        System.out.printf("""
                target: p95 under %d ms at %,d jobs: %s (all requests p95 %.2f ms; the slowest kind, %s, p95 %.2f ms)
                context: herdctl 1.5.28 `herdctl jobs` (default limit 20) took 8.49 s with 20,000 jobs on this machine class
                  (../shared/reference/herdctl-reference.md: a whole CLI process that stats, reads and parses every job YAML);
                  not like for like: here a warm API on an in-memory index, %,d jobs, the default list p50 %.2f ms
                checks: %,d of %,d answers match the generated data (total, rows on the page, first job id)%s
                  default list total %,d = %,d generated; status=failed total %,d = %,d generated; triggerType=schedule %,d;
                  %s total %,d = %,d generated
                audit-service after the requests: %s; alive %s
                """, TARGET_P95_MS, jobs, p95 < TARGET_P95_MS ? "met" : "MISSED", p95, worst == null ? "-" : worst.label,
                worst == null ? 0 : Stats.percentile(micros.get(worst), 95) / 1000.0, jobs,
                Stats.median(micros.get(Kind.NEWEST)) / 1000.0, checked - wrongCount, checked,
                wrong.isEmpty() ? "" : "\n  WRONG: " + String.join("\n  WRONG: ", wrong),
                lookup.expected(query(0, new SplittableRandom(1), end)).total(), jobs,
                lookup.expected(query(2, new SplittableRandom(1), end)).total(), statuses.getOrDefault("failed", 0L),
                lookup.expected(query(3, new SplittableRandom(1), end)).total(), AGENTS[0],
                lookup.expected(new Query(Kind.AGENT, AGENTS[0], null, null, null, null, null, 50, 0)).total(), lookup.count(g -> g.agent().equals(AGENTS[0])), rss,
                audit.handle().isAlive() ? "yes" : "NO");
    }

    private static void row(String what, List<Long> micros, double rows, double kb) {
        List<Long> s = Stats.sorted(micros);
        System.out.printf("  %-30s %6d %9.2f %9.2f %9.2f %9.2f   %11s   %9s%n", what, s.size(), Stats.median(s) / 1000.0,
                Stats.percentile(s, 95) / 1000.0, Stats.percentile(s, 99) / 1000.0, s.get(s.size() - 1) / 1000.0,
                Double.isNaN(rows) ? "" : String.format("%.1f", rows), Double.isNaN(kb) ? "" : String.format("%.1f", kb));
    }

    /** Resident memory of the service process, from /proc (Linux). */
    private static String rss(ServiceProcess audit) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + audit.handle().pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return "resident memory " + line.substring(6).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "resident memory unknown";
    }
}
