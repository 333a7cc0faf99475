package io.herdctl.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code ./herdctl trigger} and {@code ./herdctl schedules}: the running
 * system's scheduler and dashboard APIs from the command line. With
 * {@code --wait}, trigger follows the job to its end and its exit code is the
 * job's outcome: 0 completed, 1 failed or cancelled, 2 for a usage or
 * connection error, 3 when the wait timed out.
 */
final class Client {

    static final int OK = 0;
    static final int JOB_FAILED = 1;
    static final int USAGE = 2;
    static final int TIMED_OUT = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String scheduler;
    private final String dashboard;
    private final PrintStream out;
    private final java.util.Optional<String> serviceToken;

    /** @param serviceToken what the scheduler's write endpoints ask for, when the stack has one */
    Client(String scheduler, String dashboard, java.util.Optional<String> serviceToken, PrintStream out) {
        this.scheduler = scheduler;
        this.dashboard = dashboard;
        this.serviceToken = serviceToken;
        this.out = out;
    }

    static Client fromEnvironment(PrintStream out) {
        String scheduler = System.getenv().getOrDefault("HERDCTL_SCHEDULER_URL", "http://127.0.0.1:3241");
        return new Client(scheduler, System.getenv().getOrDefault("HERDCTL_DASHBOARD_URL", "http://127.0.0.1:3232"),
                ServiceTokens.forCommands(System.getenv(), ServiceTokens.file(), scheduler), out);
    }

    /** A change to the fleet: it carries the service token, which the scheduler asks of every write. */
    private HttpRequest.Builder write(String path, Object body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(scheduler + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        serviceToken.ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    int trigger(Deque<String> args) throws IOException, InterruptedException {
        String agent = null;
        Map<String, Object> body = new LinkedHashMap<>();
        boolean wait = false;
        Duration timeout = Duration.ofHours(1);
        while (!args.isEmpty()) {
            String a = args.pop();
            switch (a) {
                case "--prompt" -> body.put("prompt", value(a, args));
                case "--schedule" -> body.put("schedule", value(a, args));
                case "--wait" -> wait = true;
                case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value(a, args)));
                default -> {
                    if (a.startsWith("--") || agent != null) {
                        throw new IllegalArgumentException("unknown argument " + a
                                + "; usage: herdctl trigger <agent> [--prompt P] [--schedule S] [--wait [--timeout SECS]]");
                    }
                    agent = a;
                }
            }
        }
        if (agent == null) {
            throw new IllegalArgumentException("usage: herdctl trigger <agent> [--prompt P] [--schedule S] [--wait]");
        }
        HttpResponse<String> r = send(write("/api/agents/"
                + java.net.URLEncoder.encode(agent, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")
                + "/trigger", body));
        JsonNode answer = JSON.readTree(r.body());
        if (r.statusCode() != 202) {
            out.println("herdctl: " + answer.path("error").path("message").asText(r.body()));
            return r.statusCode() == 409 ? JOB_FAILED : USAGE;
        }
        String jobId = answer.path("jobId").asText();
        out.println("job " + jobId + " requested for " + answer.path("agentName").asText());
        if (!wait) {
            return OK;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "pending";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> job = send(HttpRequest.newBuilder(URI.create(dashboard + "/api/jobs/" + jobId)).GET());
            if (job.statusCode() == 200) {
                JsonNode j = JSON.readTree(job.body());
                String status = j.path("status").asText();
                if (!status.equals(last)) {
                    out.println("job " + jobId + " " + status);
                    last = status;
                }
                switch (status) {
                    case "completed" -> {
                        if (!j.path("summary").isMissingNode() && !j.path("summary").isNull()) {
                            out.println(j.path("summary").asText());
                        }
                        return OK;
                    }
                    case "failed", "cancelled" -> {
                        out.println("herdctl: job " + jobId + " " + status + " (" + j.path("exitReason").asText("error")
                                + "): " + j.path("error").asText(""));
                        return JOB_FAILED;
                    }
                    default -> {
                    }
                }
            }
            Thread.sleep(500);
        }
        out.println("herdctl: job " + jobId + " was still " + last + " after " + timeout.toSeconds() + " s");
        return TIMED_OUT;
    }

    /**
     * {@code stop --all}: the kill switch. Engages it on the scheduler (schedules and triggers off, every
     * runner cancels what it holds), then waits until no job is open, saying how long that took.
     */
    int stop(Deque<String> args) throws IOException, InterruptedException {
        boolean all = false;
        String reason = null;
        String by = null;
        Duration timeout = Duration.ofSeconds(30);
        while (!args.isEmpty()) {
            String a = args.pop();
            switch (a) {
                case "--all" -> all = true;
                case "--reason" -> reason = value(a, args);
                case "--by" -> by = value(a, args);
                case "--timeout" -> timeout = Duration.ofSeconds(Long.parseLong(value(a, args)));
                default -> throw new IllegalArgumentException("unknown argument " + a + "; " + STOP_USAGE);
            }
        }
        if (!all) {
            throw new IllegalArgumentException("stop needs --all: it stops the whole fleet; " + STOP_USAGE);
        }
        long start = System.nanoTime();
        JsonNode state = change("stop", by, reason);
        if (state == null) {
            return USAGE;
        }
        out.println("fleet stopped by " + state.path("changedBy").asText() + " at " + state.path("changedAt").asText()
                + ": schedules and triggers are off, every runner cancels its jobs");
        int open = state.path("activeJobs").size();
        long deadline = start + timeout.toNanos();
        while (state.path("activeJobs").size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(scheduler + "/api/fleet")).GET());
            state = r.statusCode() == 200 ? JSON.readTree(r.body()) : state;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (state.path("activeJobs").size() > 0) {
            out.printf("herdctl: %d job(s) still open after %.1f s: %s%n", state.path("activeJobs").size(), seconds,
                    state.path("activeJobs"));
            return TIMED_OUT;
        }
        out.printf("%d job(s) open at the stop; none open %.1f s later. ./herdctl resume turns schedules back on.%n",
                open, seconds);
        return OK;
    }

    /** {@code resume}: schedules and triggers on again; what the stop cancelled stays cancelled. */
    int resume(Deque<String> args) throws IOException, InterruptedException {
        String reason = null;
        String by = null;
        while (!args.isEmpty()) {
            String a = args.pop();
            switch (a) {
                case "--reason" -> reason = value(a, args);
                case "--by" -> by = value(a, args);
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + "; usage: herdctl resume [--reason R] [--by NAME]");
            }
        }
        JsonNode state = change("resume", by, reason);
        if (state == null) {
            return USAGE;
        }
        out.println("fleet resumed by " + state.path("changedBy").asText() + " at " + state.path("changedAt").asText()
                + " (stopped at " + state.path("lastStop").asText() + "): schedules and triggers are on again");
        return OK;
    }

    private static final String STOP_USAGE = "usage: herdctl stop --all [--reason R] [--by NAME] [--timeout SECS]";

    private JsonNode change(String action, String by, String reason) throws IOException, InterruptedException {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("requestedBy", by != null ? by : operator());
        if (reason != null) {
            body.put("reason", reason);
        }
        HttpResponse<String> r = send(write("/api/fleet/" + action, body));
        JsonNode answer = JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            out.println("herdctl: " + answer.path("error").path("message").asText(r.body()));
            return null;
        }
        return answer;
    }

    /** Who runs this command, as the audit trail records it: the login and the machine. */
    static String operator() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return "cli:" + System.getProperty("user.name", "unknown") + "@" + host;
    }

    int schedules() throws IOException, InterruptedException {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(scheduler + "/api/schedules")).GET());
        if (r.statusCode() != 200) {
            out.println("herdctl: the scheduler answered " + r.statusCode() + ": " + r.body());
            return USAGE;
        }
        String format = "%-28s %-16s %-9s %-22s %-4s %-27s %s%n";
        out.printf(format, "AGENT", "SCHEDULE", "TYPE", "WHEN", "ON", "NEXT (local)", "LAST / NOTE");
        for (JsonNode s : JSON.readTree(r.body())) {
            String when = s.path("expression").asText("") + (s.path("type").asText().equals("cron")
                    ? " " + s.path("timezone").asText() : "");
            String note = s.path("waiting").isTextual() ? s.path("waiting").asText()
                    : s.path("lastSkip").isTextual() ? s.path("lastSkip").asText()
                    : s.path("lastFire").isTextual() ? s.path("lastFire").asText() : "";
            out.printf(format, s.path("agent").asText(), s.path("schedule").asText(), s.path("type").asText(), when,
                    s.path("enabledAtRuntime").asBoolean() ? "yes" : "no",
                    s.path("nextFireLocal").isTextual() ? s.path("nextFireLocal").asText() : "-", note);
        }
        return OK;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws InterruptedException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach " + request.build().uri().getHost() + ":"
                    + request.build().uri().getPort() + " (is `./herdctl up` running?): " + reason(e));
        }
    }

    /** What went wrong on the wire, in words: the JDK's HTTP client leaves the message of a refused connection empty. */
    static String reason(IOException e) {
        if (e instanceof java.net.http.HttpConnectTimeoutException) {
            return "no connection within 3 s";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer within 10 s";
        }
        if (e instanceof java.net.ConnectException) {
            return e.getMessage() != null ? e.getMessage() : "connection refused";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    static String value(String flag, Deque<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args.pop();
    }
}
