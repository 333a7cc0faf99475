package io.herdctl.bench;

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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.events.EventJson;
import io.herdctl.launcher.ServiceProcess;

/**
 * The dashboard's jobs page on a large history. {@code jobs} job metadata files
 * (default 10,000), the history {@link AuditJobs} generates (same seed, same
 * fields), are written into a fresh state directory; an audit-service process is
 * started on it, then a dashboard-service process pointing at it (scheduler-service
 * at a closed port, the in-process broker of {@link RunnerHarness}); both with the
 * launcher's flags (serial GC, C1 only, at most 384 MB heap).
 *
 * <p>Then {@code requests} GETs (default 1,000) of the page an operator opens,
 * {@code /jobs} (HTML), one at a time from one java.net.http client after 200
 * warm-up requests, over five kinds in turn: no filter, {@code agent=<one of 20>},
 * {@code status=failed}, {@code page=2..20}, {@code sort=-cost}. Each is followed by
 * the same query on audit-service's {@code /api/jobs} directly (limit 50, the
 * page's offset), so the difference is the page's own cost: the REST client call,
 * the read model, and rendering the Qute template. Latency is from sending until
 * the whole body is read, on 127.0.0.1; p50/p95/p99/max per kind and overall,
 * against the target p95 under 200 ms for the page. Every page must answer 200
 * with as many {@code <tr>} rows in its table body as the generated data calls
 * for (50 on a full page); every API answer the same total and row count.
 *
 * <p>Run: {@code ./herdctl bench dashboard-jobs [jobs] [requests]}.
 */
public final class DashboardJobs {

    private static final long SEED = 20261130L;
    private static final int WARM_UP = 200;
    private static final int PAGE_SIZE = 50;
    private static final long TARGET_P95_MS = 200;

    private DashboardJobs() {
    }

    private enum Kind {
        NONE("no filter"), AGENT("agent=<one of 20>"), FAILED("status=failed"), PAGE("page=2..20"), COST("sort=-cost");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private record Query(Kind kind, String agent, String status, String sort, int page) {

        String pagePath() {
            String q = params(Map.of("agent", nz(agent), "status", nz(status), "sort", nz(sort),
                    "page", page == 1 ? "" : Integer.toString(page)));
            return "/jobs" + (q.isEmpty() ? "" : "?" + q);
        }

        String apiPath() {
            String q = params(Map.of("agent", nz(agent), "status", nz(status), "sort", nz(sort),
                    "limit", Integer.toString(PAGE_SIZE), "offset", Integer.toString((page - 1) * PAGE_SIZE)));
            return "/api/jobs?" + q;
        }

        private static String nz(String s) {
            return s == null ? "" : s;
        }

        private static String params(Map<String, String> values) {
            return values.entrySet().stream().filter(e -> !e.getValue().isEmpty()).sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
        }
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Path root = Files.createTempDirectory("herdctl-bench-dashboard-jobs-");
        try {
            Path state = root.resolve("state");
            long g0 = System.nanoTime();
            List<AuditJobs.Gen> gens = AuditJobs.writeHistory(jobs, end, Files.createDirectories(state.resolve("jobs")));
            long writeMs = Stats.millisSince(g0, System.nanoTime());

            RunnerHarness.run("dashboard-jobs", h -> {
                long a0 = System.nanoTime();
                ServiceProcess audit = h.service("audit-service", "audit",
                        Map.of("herdctl.audit.state-dir", state.toString()));
                long auditMs = Stats.millisSince(a0, System.nanoTime());
                long d0 = System.nanoTime();
                ServiceProcess dashboard = h.service("dashboard-service", "dashboard", Map.of(
                        "quarkus.rest-client.audit.url", audit.url(),
                        "quarkus.rest-client.scheduler.url", "http://127.0.0.1:9"));
                long dashboardMs = Stats.millisSince(d0, System.nanoTime());

                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                SplittableRandom warmRandom = new SplittableRandom(SEED + 1);
                for (int i = 0; i < WARM_UP; i++) {
                    Query q = query(i, warmRandom);
                    get(http, dashboard.url() + q.pagePath());
                    get(http, audit.url() + q.apiPath());
                }
                SplittableRandom random = new SplittableRandom(SEED);
                Map<Kind, List<Long>> pageMicros = new EnumMap<>(Kind.class);
                Map<Kind, List<Long>> apiMicros = new EnumMap<>(Kind.class);
                Map<Kind, long[]> pageBytes = new EnumMap<>(Kind.class);
                List<String> wrong = new ArrayList<>();
                int wrongCount = 0;
                for (int i = 0; i < requests; i++) {
                    Query q = query(i, random);
                    int[] want = expected(gens, q);

                    long t0 = System.nanoTime();
                    String page = get(http, dashboard.url() + q.pagePath());
                    pageMicros.computeIfAbsent(q.kind(), k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1_000);
                    pageBytes.computeIfAbsent(q.kind(), k -> new long[1])[0] += page.length();
                    int rows = tableRows(page);
                    if (rows != want[1] && wrongCount++ < 5) {
                        wrong.add(q.pagePath() + ": " + rows + " <tr> rows, expected " + want[1]);
                    }

                    long t1 = System.nanoTime();
                    String api = get(http, audit.url() + q.apiPath());
                    apiMicros.computeIfAbsent(q.kind(), k -> new ArrayList<>()).add((System.nanoTime() - t1) / 1_000);
                    JsonNode answer = EventJson.mapper().readTree(api);
                    int total = answer.path("total").asInt(-1);
                    int apiRows = answer.path("jobs").size();
                    if ((total != want[0] || apiRows != want[1]) && wrongCount++ < 5) {
                        wrong.add(q.apiPath() + ": total " + total + ", " + apiRows + " rows; expected " + want[0]
                                + ", " + want[1]);
                    }
                }
                report(jobs, requests, writeMs, auditMs, dashboardMs, audit, dashboard, pageMicros, apiMicros,
                        pageBytes, wrongCount, wrong);
                if (!wrong.isEmpty()) {
                    throw new IllegalStateException("wrong answers: " + wrong);
                }
            });
        } finally {
            BenchFiles.deleteRecursively(root);
        }
    }

    private static Query query(int i, SplittableRandom random) {
        Kind kind = Kind.values()[i % Kind.values().length];
        return switch (kind) {
            case NONE -> new Query(kind, null, null, null, 1);
            case AGENT -> new Query(kind, AuditJobs.AGENTS[random.nextInt(AuditJobs.AGENTS.length)], null, null, 1);
            case FAILED -> new Query(kind, null, "failed", null, 1);
            case PAGE -> new Query(kind, null, null, null, 2 + random.nextInt(19));
            case COST -> new Query(kind, null, null, "-cost", 1);
        };
    }

    /** {total matching, rows on the page} for the generated history. */
    private static int[] expected(List<AuditJobs.Gen> gens, Query q) {
        int total = (int) gens.stream().filter(g -> (q.agent() == null || q.agent().equals(g.agent()))
                && (q.status() == null || q.status().equals(g.status()))).count();
        return new int[] {total, Math.max(0, Math.min(PAGE_SIZE, total - (q.page() - 1) * PAGE_SIZE))};
    }

    private static String get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** The rows of the jobs table's body; 0 when the page has no table (no job matched, or an error). */
    static int tableRows(String html) {
        int from = html.indexOf("<tbody>");
        int to = html.indexOf("</tbody>", Math.max(0, from));
        if (from < 0 || to < 0) {
            return 0;
        }
        int n = 0;
        for (int i = html.indexOf("<tr>", from); i >= 0 && i < to; i = html.indexOf("<tr>", i + 4)) {
            n++;
        }
        return n;
    }

    // ---------------------------------------------------------------- the report

    private static void report(int jobs, int requests, long writeMs, long auditMs, long dashboardMs,
            ServiceProcess audit, ServiceProcess dashboard, Map<Kind, List<Long>> page, Map<Kind, List<Long>> api,
            Map<Kind, long[]> pageBytes, int wrongCount, List<String> wrong) {
        System.out.printf("""
                dashboard-jobs: ./herdctl bench dashboard-jobs %d %d
                machine: %d cores; this process %s
                history: %,d job metadata files (AuditJobs' generator: 20 agents, 90 days), written in %,d ms
                audit-service:     %s, ready in %,d ms
                dashboard-service: %s, ready in %,d ms
                  (audit at %s, scheduler at a closed port, broker in this process)
                requests: %,d GETs of the page /jobs (HTML), each followed by the same query on audit's /api/jobs
                  (limit 50, the page's offset); one java.net.http client (HTTP/1.1, keep-alive), one at a time, after
                  %d warm-up pairs; the five kinds in turn; time from sending to the whole body read, on 127.0.0.1
                                         n    p50 ms    p95 ms    p99 ms    max ms   KB/answer
                """, jobs, requests, Runtime.getRuntime().availableProcessors(), Runtime.version(), jobs, writeMs,
                flags(audit), auditMs, flags(dashboard), dashboardMs, audit.url(), requests, WARM_UP);
        List<Long> allPage = new ArrayList<>();
        List<Long> allApi = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (!page.containsKey(k)) {
                continue;
            }
            row("page " + k.label, page.get(k), pageBytes.get(k)[0] / 1024.0 / page.get(k).size());
            row("  api " + k.label, api.get(k), Double.NaN);
            allPage.addAll(page.get(k));
            allApi.addAll(api.get(k));
        }
        row("page, all", allPage, Double.NaN);
        row("api, all", allApi, Double.NaN);
        double p95 = Stats.percentile(allPage, 95) / 1000.0;
        System.out.printf("""
                the page's own cost (page - api): p50 %+.2f ms, p95 %+.2f ms
                target: page p95 under %d ms at %,d jobs: %s (p95 %.2f ms)
                checks: %,d of %,d answers right (page: 200 and its <tr> rows in the table body; api: total and rows)%s
                after the requests: dashboard %s, alive %s; audit %s, alive %s
                """, (Stats.median(allPage) - Stats.median(allApi)) / 1000.0,
                (Stats.percentile(allPage, 95) - Stats.percentile(allApi, 95)) / 1000.0, TARGET_P95_MS, jobs,
                p95 < TARGET_P95_MS ? "met" : "MISSED", p95, 2 * requests - wrongCount, 2 * requests,
                wrong.isEmpty() ? "" : "\n  WRONG: " + String.join("\n  WRONG: ", wrong), rss(dashboard),
                dashboard.handle().isAlive() ? "yes" : "NO", rss(audit), audit.handle().isAlive() ? "yes" : "NO");
    }

    private static void row(String what, List<Long> micros, double kb) {
        List<Long> s = Stats.sorted(micros);
        System.out.printf("  %-28s %5d %9.2f %9.2f %9.2f %9.2f   %9s%n", what, s.size(), Stats.median(s) / 1000.0,
                Stats.percentile(s, 95) / 1000.0, Stats.percentile(s, 99) / 1000.0, s.get(s.size() - 1) / 1000.0,
                Double.isNaN(kb) ? "" : String.format("%.1f", kb));
    }

    /** The JVM flags a service process runs with, as the OS reports its command line. */
    static String flags(ServiceProcess service) {
        return service.handle().info().arguments().map(a -> java.util.Arrays.stream(a)
                .filter(x -> x.startsWith("-X")).collect(Collectors.joining(" "))).orElse("flags unknown");
    }

    /** Resident memory of a service process, from /proc (Linux). */
    static String rss(ServiceProcess service) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + service.handle().pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return "resident " + line.substring(6).trim();
                }
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        return "resident memory unknown";
    }
}
