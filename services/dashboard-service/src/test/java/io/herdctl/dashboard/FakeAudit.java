package io.herdctl.dashboard;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.herdctl.events.EventJson;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in audit-service with the read API the dashboard uses: job logs (as
 * stored JSONL lines), job metadata, the job list, alerts and stats, all set by
 * the test. It records each request's path and query. Use with
 * {@code @QuarkusTestResource(FakeAudit.Resource.class)}; a field of this type
 * in the test receives it.
 */
public final class FakeAudit implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, List<String>> logs = new ConcurrentHashMap<>();
    private final Map<String, String> statuses = new ConcurrentHashMap<>();
    private final Map<String, Boolean> complete = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> stored = new ConcurrentHashMap<>();
    private final List<Map<String, Object>> jobs = new CopyOnWriteArrayList<>();
    private final List<Map<String, Object>> alerts = new CopyOnWriteArrayList<>();
    private volatile String stats = "{\"days\":[],\"jobsPerDay\":[],\"agents\":[],\"alertsPerDay\":[],\"rules\":[]}";
    private final BlockingQueue<String> requests = new LinkedBlockingQueue<>();

    private FakeAudit() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/", this::handle);
        server.start();
    }

    /** Appends lines (stored JSONL text) to a job's log. */
    public void append(String jobId, String... lines) {
        logs.computeIfAbsent(jobId, id -> new CopyOnWriteArrayList<>()).addAll(List.of(lines));
    }

    public void status(String jobId, String status, boolean logComplete) {
        statuses.put(jobId, status);
        complete.put(jobId, logComplete);
    }

    /** A job as audit-service's {@code GET /api/jobs/{id}} answers for it. */
    public void stored(String jobId, Map<String, Object> metadata) {
        stored.put(jobId, metadata);
    }

    /** An entry of the job list, in herdctl's list shape. */
    public void listed(Map<String, Object> job) {
        jobs.add(job);
    }

    public void alert(String id, String jobId, long seq, String ruleId, String title, String severity) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", id);
        a.put("time", "2026-03-04T05:06:07Z");
        a.put("jobId", jobId);
        a.put("agent", "hello");
        a.put("seq", seq);
        a.put("ruleId", ruleId);
        a.put("title", title);
        a.put("severity", severity);
        a.put("excerpt", "excerpt of " + ruleId);
        alerts.add(a);
    }

    public void stats(String json) {
        stats = json;
    }

    /** The next request's path and query, or null after 10 s. */
    public String nextRequest() throws InterruptedException {
        return requests.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    public void forgetRequests() {
        requests.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        requests.add(path + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        String[] parts = path.split("/");
        if (path.equals("/api/jobs")) {
            List<Map<String, Object>> matching = jobs.stream()
                    .filter(j -> query.get("agent") == null || query.get("agent").equals(j.get("agentName"))).toList();
            int limit = Integer.parseInt(query.getOrDefault("limit", "50"));
            int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
            if ("exploded".equals(query.get("status"))) {
                json(exchange, 400, Map.of("error", Map.of("code", "BAD_REQUEST", "message",
                        "status \"exploded\" is not one of pending, running, completed, failed, cancelled")));
                return;
            }
            json(exchange, 200, Map.of("jobs", matching.stream().skip(offset).limit(limit).toList(), "total",
                    matching.size(), "limit", limit, "offset", offset, "errors", List.of()));
        } else if (parts.length == 5 && parts[2].equals("jobs") && parts[4].equals("output")) {
            String id = parts[3];
            List<String> log = logs.get(id);
            if (log == null && !statuses.containsKey(id)) {
                json(exchange, 404, Map.of("error", Map.of("code", "JOB_NOT_FOUND", "message", "not found")));
                return;
            }
            List<String> all = log == null ? List.of() : new ArrayList<>(log);
            int from = Integer.parseInt(query.getOrDefault("from", "1"));
            int limit = Integer.parseInt(query.getOrDefault("limit", "1000"));
            List<String> chunk = all.subList(Math.min(all.size(), from - 1), Math.min(all.size(), from - 1 + limit));
            StringBuilder body = new StringBuilder();
            chunk.forEach(l -> body.append(l).append('\n'));
            exchange.getResponseHeaders().add("X-Herdctl-Next-Seq", String.valueOf(from + chunk.size()));
            exchange.getResponseHeaders().add("X-Herdctl-Job-Status", statuses.getOrDefault(id, "running"));
            exchange.getResponseHeaders().add("X-Herdctl-Log-Complete", String.valueOf(complete.getOrDefault(id, false)));
            send(exchange, 200, "application/x-ndjson", body.toString());
        } else if (parts.length == 4 && parts[2].equals("jobs")) {
            Map<String, Object> m = stored.get(parts[3]);
            if (m == null) {
                json(exchange, 404, Map.of("error", Map.of("code", "JOB_NOT_FOUND", "message", "not found")));
            } else {
                json(exchange, 200, m);
            }
        } else if (path.equals("/api/alerts")) {
            List<Map<String, Object>> matching = alerts.stream()
                    .filter(a -> query.get("job") == null || query.get("job").equals(a.get("jobId")))
                    .filter(a -> query.get("severity") == null || query.get("severity").equals(a.get("severity")))
                    .toList();
            json(exchange, 200, Map.of("alerts", matching, "total", matching.size(), "limit", 50, "offset", 0));
        } else if (path.equals("/api/stats")) {
            send(exchange, 200, "application/json", stats);
        } else {
            json(exchange, 404, Map.of("error", Map.of("code", "NOT_FOUND", "message", path)));
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", EventJson.write(body));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public static class Resource implements QuarkusTestResourceLifecycleManager {

        private FakeAudit audit;

        @Override
        public Map<String, String> start() {
            try {
                audit = new FakeAudit();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the fake audit-service: " + e.getMessage(), e);
            }
            return Map.of("quarkus.rest-client.audit.url", audit.url());
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(audit, new TestInjector.MatchesType(FakeAudit.class));
        }

        @Override
        public void stop() {
            if (audit != null) {
                audit.close();
            }
        }
    }
}
