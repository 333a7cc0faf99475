package io.herdctl.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herdctl.events.JobIds;

/**
 * {@code ./herdctl jobs}, {@code job}, {@code logs} and {@code alerts}: the
 * job history, job logs and detection alerts the audit service keeps
 * ({@code HERDCTL_AUDIT_URL}, default {@value #DEFAULT_URL}). Exit codes are
 * those of {@link Client}: 0 ok; 1 for an unknown job, or with
 * {@code logs --follow} a job that failed or was cancelled; 2 for a usage,
 * API or connection error. Errors go to the error stream as
 * {@code herdctl: ...}; with {@code --json} the API's answer is printed as it
 * came.
 */
final class JobsClient {

    static final String DEFAULT_URL = "http://127.0.0.1:3244";
    static final Duration POLL = Duration.ofMillis(500);
    /** How long {@code logs --follow} waits, once the job has ended, for its last lines to be recorded. */
    static final Duration TAIL_WAIT = Duration.ofSeconds(90);
    /** How long {@code logs --follow} waits for a job the audit service does not know yet (just triggered). */
    static final Duration APPEAR_WAIT = Duration.ofSeconds(10);

    static final String JOBS_USAGE = "herdctl jobs [-a|--agent A] [-S|--status S[,S]] [-t|--trigger T] [-l|--limit N] [--json]";
    static final String JOB_USAGE = "herdctl job <id> [--json]";
    static final String LOGS_USAGE = "herdctl logs <id> [-f|--follow] [-n|--lines N] [--json]";
    static final String ALERTS_USAGE = "herdctl alerts [--job J] [-a|--agent A] [--severity S] [-l|--limit N] [--json]";

    private static final List<String> STATUSES = List.of("pending", "running", "completed", "failed", "cancelled");
    private static final List<String> TERMINAL = List.of("completed", "failed", "cancelled");
    private static final List<String> SEVERITIES = List.of("info", "low", "medium", "high", "critical");
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int MAX_LIMIT = 500;
    private static final int PAGE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String audit;
    private final PrintStream out;
    private final PrintStream err;
    private final ZoneId zone;

    JobsClient(String audit, PrintStream out, PrintStream err, ZoneId zone) {
        this.audit = audit.endsWith("/") ? audit.substring(0, audit.length() - 1) : audit;
        this.out = out;
        this.err = err;
        this.zone = zone;
    }

    static JobsClient fromEnvironment(PrintStream out, PrintStream err) {
        return new JobsClient(System.getenv().getOrDefault("HERDCTL_AUDIT_URL", DEFAULT_URL), out, err,
                ZoneId.systemDefault());
    }

    /** Runs one of the commands and returns its exit code; every error is printed, none is thrown. */
    int run(String command, Deque<String> args) throws InterruptedException {
        try {
            return switch (command) {
                case "jobs" -> jobs(args);
                case "job" -> job(args);
                case "logs" -> logs(args);
                case "alerts" -> alerts(args);
                default -> throw new IllegalArgumentException("unknown command '" + command + "'");
            };
        } catch (Failure e) {
            err.println("herdctl: " + e.getMessage());
            return e.exitCode;
        } catch (IllegalArgumentException e) {
            err.println("herdctl: " + e.getMessage());
            return Client.USAGE;
        }
    }

    // ---- jobs -----------------------------------------------------------------------------------------------

    private int jobs(Deque<String> args) throws InterruptedException {
        Map<String, String> query = new LinkedHashMap<>();
        int limit = 20;
        boolean json = false;
        while (!args.isEmpty()) {
            String a = args.pop();
            switch (a) {
                case "-a", "--agent" -> query.put("agent", Client.value(a, args));
                case "-S", "--status" -> query.put("status", statuses(Client.value(a, args)));
                case "-t", "--trigger" -> query.put("triggerType", Client.value(a, args));
                case "-l", "--limit" -> limit = number(a, Client.value(a, args), MAX_LIMIT);
                case "--json" -> json = true;
                default -> throw unknown(a, JOBS_USAGE);
            }
        }
        query.put("limit", Integer.toString(limit));
        return list("/api/jobs", query, json, "jobs", new TextTable("JOB ID", "AGENT", "STATUS", "TRIGGER", "STARTED",
                "DURATION", "COST", "ALERTS"), j -> new String[] {text(j.path("jobId")), text(j.path("agentName")),
                        text(j.path("status")), text(j.path("triggerType")), localTime(j.path("startedAt")),
                        duration(j.path("durationSeconds")), cost(j.path("costUsd")), text(j.path("alerts"))});
    }

    /** A list command's answer: as JSON, or as a table of its rows and an "N of TOTAL" line. */
    private int list(String path, Map<String, String> query, boolean json, String field, TextTable table,
            java.util.function.Function<JsonNode, String[]> row) throws InterruptedException {
        HttpResponse<String> r = get(path + query(query), Client.USAGE);
        if (json) {
            return raw(r.body());
        }
        JsonNode page = tree(r);
        int shown = 0;
        for (JsonNode item : page.path(field)) {
            table.row(row.apply(item));
            shown++;
        }
        if (shown > 0) {
            table.print(out);
        }
        out.println(shown + " of " + page.path("total").asLong(shown) + " " + field);
        return Client.OK;
    }

    private static String statuses(String list) {
        for (String s : list.split(",", -1)) {
            if (!STATUSES.contains(s)) {
                throw new IllegalArgumentException("invalid status '" + s + "' (" + String.join(", ", STATUSES) + ")");
            }
        }
        return list;
    }

    // ---- job ------------------------------------------------------------------------------------------------

    private int job(Deque<String> args) throws InterruptedException {
        String id = null;
        boolean json = false;
        while (!args.isEmpty()) {
            String a = args.pop();
            if (a.equals("--json")) {
                json = true;
            } else if (a.startsWith("-") || id != null) {
                throw unknown(a, JOB_USAGE);
            } else {
                id = a;
            }
        }
        id = jobId(id, JOB_USAGE);
        HttpResponse<String> r = get("/api/jobs/" + id, Client.JOB_FAILED);
        if (json) {
            return raw(r.body());
        }
        JsonNode job = tree(r);
        JsonNode alerts = tree(get("/api/alerts" + query(Map.of("job", id)), Client.USAGE));
        details(job);
        jobAlerts(id, alerts);
        return Client.OK;
    }

    private void details(JsonNode j) {
        JsonNode usage = j.path("usage");
        field("id", text(j.path("jobId")));
        field("agent", text(j.path("agentName")));
        field("schedule", text(j.path("schedule")));
        field("trigger", text(j.path("triggerType")));
        field("status", text(j.path("status")));
        field("exit reason", text(j.path("exitReason")));
        field("session", text(j.path("sessionId")));
        field("started", localTime(j.path("startedAt")));
        field("finished", localTime(j.path("completedAt")));
        field("duration", duration(j.path("durationSeconds")));
        field("cost", cost(j.path("costUsd").isNumber() ? j.path("costUsd") : usage.path("total_cost_usd")));
        field("turns", text(usage.path("num_turns")));
        field("tokens", tokens(usage.path("per_model")));
        field("prompt", text(j.path("prompt")));
        field("summary", text(j.path("summary")));
        field("error", text(j.path("error")));
        field("output file", text(j.path("outputFile")));
        field("lines", text(j.path("lines")));
    }

    /** {@code label: value}, the values aligned; the lines of a multi-line value are indented under the first. */
    private void field(String label, String value) {
        String shown = value == null || value.isBlank() ? "-" : TextTable.clean(value.strip());
        out.printf("%-13s%s%n", label + ":", shown.replace("\n", "\n" + " ".repeat(13)));
    }

    private static String tokens(JsonNode perModel) {
        if (!perModel.isObject() || perModel.isEmpty()) {
            return null;
        }
        StringJoiner lines = new StringJoiner("\n");
        perModel.fields().forEachRemaining(m -> lines.add(m.getKey() + ": "
                + m.getValue().path("input_tokens").asLong() + " in, "
                + m.getValue().path("output_tokens").asLong() + " out, "
                + m.getValue().path("cache_creation_input_tokens").asLong() + " cache write, "
                + m.getValue().path("cache_read_input_tokens").asLong() + " cache read"));
        return lines.toString();
    }

    private void jobAlerts(String id, JsonNode page) {
        JsonNode alerts = page.path("alerts");
        long total = page.path("total").asLong(alerts.size());
        if (alerts.isEmpty()) {
            out.println("alerts:      none");
            return;
        }
        out.println("alerts (" + total + "):");
        for (JsonNode a : alerts) {
            out.println("  [" + text(a.path("severity")) + "] " + TextTable.oneLine(text(a.path("ruleId")))
                    + ", line " + orDash(text(a.path("seq"))) + ": " + TextTable.oneLine(text(a.path("title"))));
            String excerpt = text(a.path("excerpt"));
            if (excerpt != null && !excerpt.isBlank()) {
                out.println("      " + TextTable.oneLine(excerpt.strip()));
            }
        }
        if (total > alerts.size()) {
            out.println("  ... " + (total - alerts.size()) + " more: herdctl alerts --job " + id + " -l " + total);
        }
    }

    // ---- logs -----------------------------------------------------------------------------------------------

    /** One answer of the output endpoint: its lines, where to go on from, and the job's status then. */
    /** {@code complete}: the audit service has every line the job wrote (false while its last lines may still come). */
    private record Page(List<String> lines, long next, String status, boolean complete) {
    }

    private int logs(Deque<String> args) throws InterruptedException {
        String id = null;
        boolean follow = false;
        boolean json = false;
        int last = 0;
        while (!args.isEmpty()) {
            String a = args.pop();
            switch (a) {
                case "-f", "--follow" -> follow = true;
                case "-n", "--lines" -> last = number(a, Client.value(a, args), Integer.MAX_VALUE);
                case "--json" -> json = true;
                default -> {
                    if (a.startsWith("-") || id != null) {
                        throw unknown(a, LOGS_USAGE);
                    }
                    id = a;
                }
            }
        }
        String job = jobId(id, LOGS_USAGE);
        Consumer<String> print = json ? out::println : line -> out.println(JobLogLine.render(line));
        Deque<String> tail = new ArrayDeque<>();
        int keep = last;
        Page page = catchUp(job, follow, last == 0 ? print : line -> {
            tail.add(line);
            if (tail.size() > keep) {
                tail.remove();
            }
        });
        tail.forEach(print);
        if (!follow) {
            return Client.OK;
        }
        long endedAt = 0;
        while (!TERMINAL.contains(status(page)) || !page.complete()) {
            if (TERMINAL.contains(page.status())) {
                endedAt = endedAt == 0 ? System.nanoTime() : endedAt;
                if (System.nanoTime() - endedAt > TAIL_WAIT.toNanos()) {
                    err.println("herdctl: job " + job + " ended but its last lines have not reached the audit log after "
                            + TAIL_WAIT.toSeconds() + " s; they will be marked missing there");
                    break;
                }
            }
            Thread.sleep(POLL.toMillis());
            page = drain(job, page.next(), print);
        }
        if (page.status().equals("completed")) {
            return Client.OK;
        }
        err.println("herdctl: job " + job + " " + page.status());
        return Client.JOB_FAILED;
    }

    /** Everything logged so far; when following, a job the audit service has not seen yet is waited for a while. */
    private Page catchUp(String id, boolean follow, Consumer<String> sink) throws InterruptedException {
        long giveUp = System.nanoTime() + APPEAR_WAIT.toNanos();
        while (true) {
            try {
                return drain(id, 1, sink);
            } catch (Failure e) {
                if (!follow || e.status != 404 || System.nanoTime() > giveUp) {
                    throw e;
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }

    /** Reads pages from sequence number {@code from} until one comes back empty, and returns that empty page. */
    private Page drain(String id, long from, Consumer<String> sink) throws InterruptedException {
        Page page = output(id, from);
        while (!page.lines().isEmpty()) {
            page.lines().forEach(sink);
            page = output(id, page.next());
        }
        return page;
    }

    private Page output(String id, long from) throws InterruptedException {
        HttpResponse<String> r = get("/api/jobs/" + id + "/output?from=" + from + "&limit=" + PAGE, Client.JOB_FAILED);
        List<String> lines = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (!l.isBlank()) {
                lines.add(l);
            }
        }
        long next = nextSeq(r.headers().firstValue("X-Herdctl-Next-Seq").orElse(null), from + lines.size());
        if (!lines.isEmpty() && next <= from) {
            throw new Failure(Client.USAGE, 200, "the audit service sent lines from " + from
                    + " but X-Herdctl-Next-Seq " + next + " does not move on");
        }
        return new Page(lines, next, r.headers().firstValue("X-Herdctl-Job-Status").orElse(null),
                !"false".equals(r.headers().firstValue("X-Herdctl-Log-Complete").orElse("true")));
    }

    private static long nextSeq(String header, long otherwise) {
        if (header == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw new Failure(Client.USAGE, 200, "the audit service sent X-Herdctl-Next-Seq '"
                    + TextTable.oneLine(header) + "', not a sequence number");
        }
    }

    private static String status(Page page) {
        if (page.status() == null) {
            throw new Failure(Client.USAGE, 200,
                    "the audit service did not say the job's status (no X-Herdctl-Job-Status header); cannot follow");
        }
        return page.status();
    }

    // ---- alerts ---------------------------------------------------------------------------------------------

    private int alerts(Deque<String> args) throws InterruptedException {
        Map<String, String> query = new LinkedHashMap<>();
        int limit = 20;
        boolean json = false;
        while (!args.isEmpty()) {
            String a = args.pop();
            switch (a) {
                case "--job" -> query.put("job", jobId(Client.value(a, args), ALERTS_USAGE));
                case "-a", "--agent" -> query.put("agent", Client.value(a, args));
                case "--severity" -> query.put("severity", severity(Client.value(a, args)));
                case "-l", "--limit" -> limit = number(a, Client.value(a, args), MAX_LIMIT);
                case "--json" -> json = true;
                default -> throw unknown(a, ALERTS_USAGE);
            }
        }
        query.put("limit", Integer.toString(limit));
        return list("/api/alerts", query, json, "alerts", new TextTable("TIME", "SEVERITY", "RULE", "JOB", "LINE",
                "TITLE"), a -> new String[] {localTime(a.path("time")), text(a.path("severity")), text(a.path("ruleId")),
                        text(a.path("jobId")), text(a.path("seq")), text(a.path("title"))});
    }

    private static String severity(String s) {
        if (!SEVERITIES.contains(s)) {
            throw new IllegalArgumentException("invalid severity '" + s + "' (" + String.join(", ", SEVERITIES) + ")");
        }
        return s;
    }

    // ---- HTTP -----------------------------------------------------------------------------------------------

    /** An error to print and the exit code it ends the command with. */
    private static final class Failure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        final int exitCode;
        final int status;

        Failure(int exitCode, int status, String message) {
            super(message);
            this.exitCode = exitCode;
            this.status = status;
        }
    }

    /**
     * GETs a path of the audit API and returns the answer when it is a 200. A
     * 404 ends the command with {@code notFound}, any other answer with 2; the
     * message printed is the API's own when it sent one.
     */
    private HttpResponse<String> get(String pathAndQuery, int notFound) throws InterruptedException {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(audit + pathAndQuery)).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure(Client.USAGE, 0, "cannot reach the audit service at " + audit + " ("
                    + Client.reason(e) + "); is the stack running? Start it with `./herdctl up`");
        }
        if (r.statusCode() == 200) {
            return r;
        }
        String message = apiMessage(r.body());
        throw new Failure(r.statusCode() == 404 ? notFound : Client.USAGE, r.statusCode(), message != null ? message
                : "the audit service answered " + r.statusCode() + " to GET " + pathAndQuery + ": "
                        + TextTable.oneLine(abbreviate(r.body())));
    }

    /** The {@code error.message} of an API error answer, or null when the body is not one. */
    private static String apiMessage(String body) {
        try {
            JsonNode message = JSON.readTree(body).path("error").path("message");
            return message.isTextual() ? TextTable.clean(message.asText()) : null;
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    private static JsonNode tree(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (JsonProcessingException e) {
            throw new Failure(Client.USAGE, r.statusCode(), "the audit service sent something that is not JSON for "
                    + r.uri().getPath() + ": " + TextTable.oneLine(abbreviate(r.body())));
        }
    }

    private int raw(String body) {
        out.print(body);
        if (!body.endsWith("\n")) {
            out.println();
        }
        out.flush();
        return Client.OK;
    }

    private static String query(Map<String, String> params) {
        StringJoiner q = new StringJoiner("&", "?", "");
        params.forEach((k, v) -> q.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20")));
        return params.isEmpty() ? "" : q.toString();
    }

    // ---- arguments and formatting ---------------------------------------------------------------------------

    private static String jobId(String id, String usage) {
        if (id == null) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        if (!JobIds.isValid(id)) {
            throw new IllegalArgumentException("'" + TextTable.oneLine(id) + "' is not a job id (job-YYYY-MM-DD-xxxxxx)");
        }
        return id;
    }

    private static int number(String flag, String value, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + " " + value + " is not a number from 1"
                + (max == Integer.MAX_VALUE ? " up" : " to " + max));
    }

    private static IllegalArgumentException unknown(String arg, String usage) {
        return new IllegalArgumentException("unknown argument " + arg + "; usage: " + usage);
    }

    /** A field as text, or null when it is missing or null. */
    private static String text(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? null : JobLogLine.text(value);
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    /** An ISO-8601 time in this machine's zone as {@code yyyy-MM-dd HH:mm:ss}; a time without offset is taken as local. */
    String localTime(JsonNode value) {
        if (!value.isTextual()) {
            return null;
        }
        String s = value.asText();
        try {
            return LOCAL.format(OffsetDateTime.parse(s).atZoneSameInstant(zone));
        } catch (DateTimeParseException e) {
            try {
                return LOCAL.format(LocalDateTime.parse(s));
            } catch (DateTimeParseException notLocalEither) {
                return s;
            }
        }
    }

    /** Seconds as {@code 4s}, {@code 2m05s} or {@code 1h02m}. */
    static String duration(JsonNode seconds) {
        if (!seconds.isNumber()) {
            return null;
        }
        long s = Math.round(seconds.asDouble());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }

    static String cost(JsonNode usd) {
        return usd.isNumber() ? String.format(Locale.ROOT, "$%.4f", usd.asDouble()) : null;
    }

    private static String abbreviate(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }
}
