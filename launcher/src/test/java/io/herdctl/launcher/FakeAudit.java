package io.herdctl.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in audit service on 127.0.0.1: each path answers what the test
 * told it to, an unknown path answers 404 as the API does, and every request
 * (path and query) is recorded so a test can see what the CLI asked, or that
 * it asked nothing.
 */
final class FakeAudit implements AutoCloseable {

    /** One canned answer. */
    record Reply(int status, String contentType, Map<String, String> headers, String body) {

        static Reply json(int status, String body) {
            return new Reply(status, "application/json", Map.of(), body);
        }

        static Reply error(int status, String message) {
            return json(status, "{\"error\":{\"message\":\"" + message + "\"}}");
        }

        static Reply ndjson(List<String> lines, long nextSeq, String jobStatus) {
            String body = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
            return new Reply(200, "application/x-ndjson",
                    Map.of("X-Herdctl-Next-Seq", Long.toString(nextSeq), "X-Herdctl-Job-Status", jobStatus), body);
        }

        static Reply ndjson(List<String> lines, long nextSeq, String jobStatus, boolean complete) {
            String body = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
            return new Reply(200, "application/x-ndjson", Map.of("X-Herdctl-Next-Seq", Long.toString(nextSeq),
                    "X-Herdctl-Job-Status", jobStatus, "X-Herdctl-Log-Complete", Boolean.toString(complete)), body);
        }
    }

    final List<URI> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Function<URI, Reply>> routes = new ConcurrentHashMap<>();
    private final HttpServer server;

    FakeAudit() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    FakeAudit on(String path, Function<URI, Reply> answer) {
        routes.put(path, answer);
        return this;
    }

    FakeAudit on(String path, Reply answer) {
        return on(path, uri -> answer);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The decoded query parameters of a request. */
    static Map<String, String> params(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return params;
    }

    private void handle(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        requests.add(uri);
        Function<URI, Reply> route = routes.get(uri.getPath());
        Reply reply = route == null ? Reply.error(404, "no route " + uri.getPath()) : route.apply(uri);
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
