package io.herdctl.dashboard;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in scheduler-service for the trigger proxy and the kill switch: it
 * records each request (path and body) and accepts it, so a test sees exactly what the dashboard sent.
 * Use with {@code @QuarkusTestResource(FakeScheduler.Resource.class)}; a field of
 * this type in the test receives it.
 */
public final class FakeScheduler implements AutoCloseable {

    /** The service token the dashboard under test is given, which it must present on every call here. */
    public static final String TOKEN = "6b1e0c9d8a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918f7e6d5c";

    /** @param authorization the request's {@code Authorization} header, or null */
    public record Received(String path, String body, String authorization) {
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    private FakeScheduler() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/agents/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestURI().getPath(), body, authorization(exchange)));
            byte[] answer = "{\"jobId\":\"job-2026-03-05-fake01\",\"status\":\"pending\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.createContext("/api/schedules", exchange -> {
            received.add(new Received(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath(), "",
                    authorization(exchange)));
            String path = exchange.getRequestURI().getPath();
            int status = 200;
            String json;
            if (path.equals("/api/schedules")) {
                json = "[{\"agent\":\"hello\",\"schedule\":\"tick\",\"enabled\":true}]";
            } else if (path.startsWith("/api/schedules/hello/tick/")) {
                json = "{\"agent\":\"hello\",\"schedule\":\"tick\",\"enabled\":" + path.endsWith("/enable") + "}";
            } else {
                status = 404;
                json = "{\"error\":{\"code\":\"SCHEDULE_NOT_FOUND\",\"message\":\"not found\"}}";
            }
            byte[] answer = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        // config-service's doctor, for the agent page's security checklist
        server.createContext("/api/doctor", exchange -> {
            byte[] answer = ("{\"takenAt\":\"2026-11-29T22:00:00Z\",\"report\":{\"loaded\":true,\"worst\":\"HIGH\","
                    + "\"findings\":[{\"id\":\"network\",\"severity\":\"HIGH\",\"agent\":\"hello\","
                    + "\"file\":\"herdctl.yaml\",\"line\":7,\"field\":\"agents[0].overrides.docker.network\","
                    + "\"message\":\"network: host <shares> the host's network\",\"fix\":\"use bridge\"},"
                    + "{\"id\":\"dotenv-git\",\"severity\":\"LOW\",\"agent\":null,\"file\":\".env\","
                    + "\"message\":\"not ignored by git\",\"fix\":\"add .env to .gitignore\"},"
                    + "{\"id\":\"ephemeral\",\"severity\":\"OK\",\"agent\":\"hello\",\"message\":\"fresh\"}]}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.createContext("/api/fleet", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("POST")) {
                received.add(new Received("POST " + path, body, authorization(exchange)));
            }
            int status = 200;
            if (path.equals("/api/fleet/stop")) {
                stopped = true;
            } else if (path.equals("/api/fleet/resume")) {
                status = stopped ? 200 : 409;
                stopped = false;
            }
            String json = status == 409
                    ? "{\"error\":{\"code\":\"FLEET_NOT_STOPPED\",\"message\":\"The fleet is not stopped\"}}"
                    : "{\"stopped\":" + stopped + ",\"changedBy\":\"dashboard\",\"reason\":\"drill\","
                            + "\"changedAt\":\"2026-11-29T22:00:00Z\",\"lastStop\":\"2026-11-29T22:00:00Z\","
                            + "\"activeJobs\":[\"job-2026-11-29-abc123\"]}";
            byte[] answer = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    private volatile boolean stopped;

    private static String authorization(com.sun.net.httpserver.HttpExchange exchange) {
        return exchange.getRequestHeaders().getFirst("Authorization");
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next request the fake received, or null after 10 s. */
    public Received next() throws InterruptedException {
        return received.poll(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The next request the fake received, or null after {@code wait}. */
    public Received nextWithin(java.time.Duration wait) throws InterruptedException {
        return received.poll(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Drops what was received so far (pages read the schedules on their own). */
    public void forget() {
        received.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    public static class Resource implements QuarkusTestResourceLifecycleManager {

        private FakeScheduler scheduler;

        @Override
        public Map<String, String> start() {
            try {
                scheduler = new FakeScheduler();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the fake scheduler: " + e.getMessage(), e);
            }
            return Map.of("quarkus.rest-client.scheduler.url", scheduler.url(),
                    "quarkus.rest-client.config.url", scheduler.url(), "herdctl.service-token", TOKEN);
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(scheduler, new TestInjector.MatchesType(FakeScheduler.class));
        }

        @Override
        public void stop() {
            if (scheduler != null) {
                scheduler.close();
            }
        }
    }
}
