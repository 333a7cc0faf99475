package io.herdctl.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.herdctl.launcher.FakeAudit.Reply;

class JobsClientTest {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final String ID = "job-2026-03-05-abc123";

    private static final String JOBS = """
            {"jobs":[
              {"jobId":"job-2026-03-05-abc123","agentName":"demo.reviewer","schedule":"hourly","triggerType":"schedule",
               "status":"completed","exitReason":"success","prompt":"Review","createdAt":"2026-03-05T00:59:59Z",
               "startedAt":"2026-03-05T01:00:00Z","completedAt":"2026-03-05T01:02:05Z","durationSeconds":125,
               "exitCode":0,"sessionId":"s-1","costUsd":0.0123,"alerts":2},
              {"jobId":"job-2026-03-05-zz9999","agentName":"demo.a-much-longer-agent-name","schedule":null,
               "triggerType":"manual","status":"running","exitReason":null,"prompt":"x","createdAt":"2026-03-05T02:00:00Z",
               "startedAt":"2026-03-05T03:00:01.250+01:00","completedAt":null,"durationSeconds":null,"exitCode":null,
               "sessionId":null,"costUsd":null,"alerts":0},
              {"jobId":"job-2026-03-04-long01","agentName":"ops","schedule":"nightly","triggerType":"schedule",
               "status":"failed","exitReason":"error","prompt":"y","createdAt":"2026-03-04T15:30:00Z",
               "startedAt":"2026-03-04T15:30:00Z","completedAt":"2026-03-04T16:32:00Z","durationSeconds":3720.4,
               "exitCode":1,"sessionId":"s-3","costUsd":1.5,"alerts":0}
            ],"total":37,"limit":20,"offset":0}""";

    private static final String JOB = """
            {"jobId":"job-2026-03-05-abc123","agentName":"demo.reviewer","schedule":"hourly","triggerType":"schedule",
             "status":"completed","exitReason":"success","prompt":"Review the open pull requests.\\nBe brief.",
             "createdAt":"2026-03-05T00:59:59Z","startedAt":"2026-03-05T01:00:00Z","completedAt":"2026-03-05T01:02:05Z",
             "durationSeconds":125,"exitCode":0,"sessionId":"sess-42","costUsd":0.0123,"alerts":1,
             "summary":"Two PRs reviewed.","error":null,
             "usage":{"per_model":{"claude-sonnet-4-5":{"input_tokens":1200,"output_tokens":300,
               "cache_creation_input_tokens":50,"cache_read_input_tokens":5000}},"num_turns":7,"total_cost_usd":0.0123},
             "outputFile":"/fleet/.herdctl/jobs/job-2026-03-05-abc123.jsonl","lines":42}""";

    private static final String ALERTS = """
            {"alerts":[{"id":7,"time":"2026-03-05T01:01:00Z","jobId":"job-2026-03-05-abc123","agent":"demo.reviewer",
              "seq":12,"ruleId":"secret-in-output","title":"Secret in tool output","severity":"high",
              "excerpt":"AWS_KEY=AKIA...","lineTime":"2026-03-05T01:00:59Z"}],"total":1,"limit":50,"offset":0}""";

    private static final List<String> LOG = List.of(
            "{\"type\":\"system\",\"subtype\":\"init\",\"content\":\"Session started\",\"timestamp\":\"2026-03-05T01:00:00.000Z\"}",
            "{\"type\":\"assistant\",\"content\":\"Looking at the PRs.\",\"timestamp\":\"2026-03-05T01:00:01.000Z\"}",
            "{\"type\":\"tool_use\",\"tool_name\":\"Bash\",\"input\":{\"command\":\"gh pr list\"},\"timestamp\":\"2026-03-05T01:00:02.000Z\"}",
            "{\"type\":\"tool_result\",\"result\":\"#12 Fix the parser\",\"success\":true,\"timestamp\":\"2026-03-05T01:00:03.000Z\"}",
            "{\"type\":\"tool_result\",\"result\":\"\",\"success\":false,\"error\":\"exit status 1\",\"timestamp\":\"2026-03-05T01:00:04.000Z\"}",
            "{\"type\":\"error\",\"message\":\"rate limited\",\"code\":\"429\",\"timestamp\":\"2026-03-05T01:00:05.000Z\"}");

    private static final List<String> RENDERED = List.of(
            "[2026-03-05T01:00:00.000Z] [SYSTEM] Session started",
            "[2026-03-05T01:00:01.000Z] [ASSISTANT] Looking at the PRs.",
            "[2026-03-05T01:00:02.000Z] [TOOL] Bash {\"command\":\"gh pr list\"}",
            "[2026-03-05T01:00:03.000Z] [TOOL_RESULT] (OK) #12 Fix the parser",
            "[2026-03-05T01:00:04.000Z] [TOOL_RESULT] (FAILED) exit status 1",
            "[2026-03-05T01:00:05.000Z] [ERROR] rate limited");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private FakeAudit audit;

    @BeforeEach
    void start() throws IOException {
        audit = new FakeAudit();
    }

    @AfterEach
    void stop() {
        audit.close();
    }

    private int run(String... args) throws InterruptedException {
        return runAgainst(audit.url(), args);
    }

    private int runAgainst(String url, String... args) throws InterruptedException {
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        return new JobsClient(url, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), TOKYO).run(rest.pop(), rest);
    }

    private List<String> outLines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Serves {@code lines} as the output endpoint does, at most {@code cap} per answer. */
    private static Function<URI, Reply> pages(List<String> lines, int cap, AtomicReference<String> status) {
        return uri -> {
            Map<String, String> p = FakeAudit.params(uri);
            int from = Integer.parseInt(p.get("from"));
            int limit = Math.min(cap, Integer.parseInt(p.get("limit")));
            int start = Math.min(from - 1, lines.size());
            int end = Math.min(lines.size(), start + limit);
            return Reply.ndjson(new ArrayList<>(lines.subList(start, end)), from + (end - start), status.get());
        };
    }

    // ---- jobs -----------------------------------------------------------------------------------------------

    @Test
    void jobsPrintsATableInLocalTimeAndTheTotalsLine() throws InterruptedException {
        audit.on("/api/jobs", Reply.json(200, JOBS));
        assertEquals(0, run("jobs", "-a", "demo.reviewer", "-S", "completed,failed", "-t", "schedule"));

        List<String> lines = outLines();
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertArrayEquals(new String[] {"JOB ID", "AGENT", "STATUS", "TRIGGER", "STARTED", "DURATION", "COST", "ALERTS"},
                lines.get(0).split(" {2,}"));
        assertArrayEquals(new String[] {ID, "demo.reviewer", "completed", "schedule", "2026-03-05 10:00:00", "2m05s",
            "$0.0123", "2"}, lines.get(1).split(" {2,}"));
        assertArrayEquals(new String[] {"job-2026-03-05-zz9999", "demo.a-much-longer-agent-name", "running", "manual",
            "2026-03-05 11:00:01", "-", "-", "0"}, lines.get(2).split(" {2,}"));
        assertArrayEquals(new String[] {"job-2026-03-04-long01", "ops", "failed", "schedule", "2026-03-05 00:30:00",
            "1h02m", "$1.5000", "0"}, lines.get(3).split(" {2,}"));
        assertEquals("3 of 37 jobs", lines.get(4));
        int started = lines.get(0).indexOf("STARTED");
        assertEquals(started, lines.get(1).indexOf("2026-03-05 10:00:00"), "column STARTED is aligned");
        assertEquals(started, lines.get(2).indexOf("2026-03-05 11:00:01"), "column STARTED is aligned");
        assertEquals(started, lines.get(3).indexOf("2026-03-05 00:30:00"), "column STARTED is aligned");

        Map<String, String> asked = FakeAudit.params(audit.requests.get(0));
        assertEquals(Map.of("agent", "demo.reviewer", "status", "completed,failed", "triggerType", "schedule",
                "limit", "20"), asked);
        assertEquals("", err());
    }

    @Test
    void jobsWithNoJobsPrintsOnlyTheTotals() throws InterruptedException {
        audit.on("/api/jobs", Reply.json(200, "{\"jobs\":[],\"total\":0,\"limit\":5,\"offset\":0}"));
        assertEquals(0, run("jobs", "--limit", "5"));
        assertEquals(List.of("0 of 0 jobs"), outLines());
        assertEquals("5", FakeAudit.params(audit.requests.get(0)).get("limit"));
    }

    @Test
    void jobsJsonPrintsTheApiAnswerAsItCame() throws InterruptedException {
        audit.on("/api/jobs", Reply.json(200, JOBS));
        assertEquals(0, run("jobs", "--json"));
        assertEquals(JOBS + "\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anInvalidStatusIsRefusedBeforeAnyRequest() throws InterruptedException {
        assertEquals(2, run("jobs", "-S", "completed,done"));
        assertEquals("herdctl: invalid status 'done' (pending, running, completed, failed, cancelled)\n", err());
        assertTrue(audit.requests.isEmpty(), "no request: " + audit.requests);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aLimitOutsideTheApiRangeAndUnknownFlagsAreRefused() throws InterruptedException {
        assertEquals(2, run("jobs", "-l", "501"));
        assertTrue(err().contains("-l 501 is not a number from 1 to 500"), err());
        err.reset();
        assertEquals(2, run("jobs", "--since"));
        assertTrue(err().startsWith("herdctl: unknown argument --since; usage: herdctl jobs "), err());
        assertTrue(audit.requests.isEmpty());
    }

    @Test
    void aBadRequestAnswerIsPrintedWithTheApiMessage() throws InterruptedException {
        audit.on("/api/jobs", Reply.error(400, "invalid triggerType 'bogus'"));
        assertEquals(2, run("jobs", "-t", "bogus"));
        assertEquals("herdctl: invalid triggerType 'bogus'\n", err());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aServerErrorWithoutApiMessageShowsStatusAndBody() throws InterruptedException {
        audit.on("/api/jobs", new Reply(500, "text/plain", Map.of(), "boom"));
        assertEquals(2, run("jobs"));
        assertEquals("herdctl: the audit service answered 500 to GET /api/jobs?limit=20: boom\n", err());
    }

    @Test
    void aRefusedConnectionNamesTheUrlAndHowToStartTheStack() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        assertEquals(2, runAgainst(url, "jobs"));
        assertEquals("herdctl: cannot reach the audit service at " + url
                + " (connection refused); is the stack running? Start it with `./herdctl up`\n", err());
    }

    // ---- job ------------------------------------------------------------------------------------------------

    @Test
    void jobPrintsItsDetailsAndItsAlerts() throws InterruptedException {
        audit.on("/api/jobs/" + ID, Reply.json(200, JOB)).on("/api/alerts", Reply.json(200, ALERTS));
        assertEquals(0, run("job", ID));

        assertEquals(List.of(
                "id:          job-2026-03-05-abc123",
                "agent:       demo.reviewer",
                "schedule:    hourly",
                "trigger:     schedule",
                "status:      completed",
                "exit reason: success",
                "session:     sess-42",
                "started:     2026-03-05 10:00:00",
                "finished:    2026-03-05 10:02:05",
                "duration:    2m05s",
                "cost:        $0.0123",
                "turns:       7",
                "tokens:      claude-sonnet-4-5: 1200 in, 300 out, 50 cache write, 5000 cache read",
                "prompt:      Review the open pull requests.",
                "             Be brief.",
                "summary:     Two PRs reviewed.",
                "error:       -",
                "output file: /fleet/.herdctl/jobs/job-2026-03-05-abc123.jsonl",
                "lines:       42",
                "alerts (1):",
                "  [high] secret-in-output, line 12: Secret in tool output",
                "      AWS_KEY=AKIA..."), outLines());
        assertEquals(Map.of("job", ID), FakeAudit.params(audit.requests.get(1)));
    }

    @Test
    void jobJsonPrintsTheApiAnswer() throws InterruptedException {
        audit.on("/api/jobs/" + ID, Reply.json(200, JOB));
        assertEquals(0, run("job", ID, "--json"));
        assertEquals(JOB + "\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(1, audit.requests.size(), "--json asks for the job only");
    }

    @Test
    void anUnknownJobPrintsTheApiMessageAndExitsOne() throws InterruptedException {
        audit.on("/api/jobs/job-2026-03-05-nope00", Reply.error(404, "Job not found: job-2026-03-05-nope00"));
        assertEquals(1, run("job", "job-2026-03-05-nope00"));
        assertEquals("herdctl: Job not found: job-2026-03-05-nope00\n", err());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMalformedJobIdIsRefusedLocally() throws InterruptedException {
        assertEquals(2, run("job", "../../etc/passwd"));
        assertEquals("herdctl: '../../etc/passwd' is not a job id (job-YYYY-MM-DD-xxxxxx)\n", err());
        err.reset();
        assertEquals(2, run("logs", "job-2026-03-05-ABC123"));
        assertTrue(err().contains("is not a job id"), err());
        err.reset();
        assertEquals(2, run("job"));
        assertEquals("herdctl: usage: herdctl job <id> [--json]\n", err());
        assertTrue(audit.requests.isEmpty(), "no request: " + audit.requests);
    }

    // ---- logs -----------------------------------------------------------------------------------------------

    @Test
    void logsRendersEveryLineTypeLikeOutputLog() throws InterruptedException {
        audit.on("/api/jobs/" + ID + "/output", pages(LOG, 1000, new AtomicReference<>("completed")));
        assertEquals(0, run("logs", ID));
        assertEquals(RENDERED, outLines());
        assertEquals(List.of("1", "7"), audit.requests.stream().map(u -> FakeAudit.params(u).get("from")).toList());
        assertEquals("1000", FakeAudit.params(audit.requests.get(0)).get("limit"));
    }

    @Test
    void logsJsonPrintsTheRawLines() throws InterruptedException {
        audit.on("/api/jobs/" + ID + "/output", pages(LOG, 1000, new AtomicReference<>("completed")));
        assertEquals(0, run("logs", ID, "--json"));
        assertEquals(LOG, outLines());
    }

    @Test
    void logsPagesThroughAndLinesKeepsTheLastOnes() throws InterruptedException {
        audit.on("/api/jobs/" + ID + "/output", pages(LOG, 4, new AtomicReference<>("running")));
        assertEquals(0, run("logs", ID, "-n", "2"));
        assertEquals(RENDERED.subList(4, 6), outLines());
        assertEquals(List.of("1", "5", "7"), audit.requests.stream().map(u -> FakeAudit.params(u).get("from")).toList());
    }

    @Test
    void logsOfAnUnknownJobExitOne() throws InterruptedException {
        audit.on("/api/jobs/" + ID + "/output", Reply.error(404, "Job not found: " + ID));
        assertEquals(1, run("logs", ID));
        assertEquals("herdctl: Job not found: " + ID + "\n", err());
    }

    @Test
    void followExitsZeroWhenTheJobCompletes() throws InterruptedException {
        assertEquals(0, follow("completed"));
        assertEquals(List.of(RENDERED.get(0), RENDERED.get(1)), outLines());
        assertEquals("", err());
    }

    @Test
    void followExitsOneWhenTheJobFails() throws InterruptedException {
        assertEquals(1, follow("failed"));
        assertEquals(List.of(RENDERED.get(0), RENDERED.get(1)), outLines());
        assertEquals("herdctl: job " + ID + " failed\n", err());
    }

    /**
     * The job is running with one line; the first poll finds nothing new, the
     * second finds a line and the job ended, and the next answer is empty.
     */
    private int follow(String end) throws InterruptedException {
        List<String> lines = new CopyOnWriteArrayList<>(List.of(LOG.get(0)));
        AtomicReference<String> status = new AtomicReference<>("running");
        AtomicInteger emptyAnswers = new AtomicInteger();
        Function<URI, Reply> served = pages(lines, 1000, status);
        audit.on("/api/jobs/" + ID + "/output", uri -> {
            int from = Integer.parseInt(FakeAudit.params(uri).get("from"));
            if (from > lines.size() && emptyAnswers.incrementAndGet() == 2) {
                lines.add(LOG.get(1));
                status.set(end);
            }
            return served.apply(uri);
        });
        long started = System.nanoTime();
        int code = run("logs", ID, "-f");
        assertEquals(List.of("1", "2", "2", "3"),
                audit.requests.stream().map(u -> FakeAudit.params(u).get("from")).toList());
        assertTrue(System.nanoTime() - started >= JobsClient.POLL.toNanos(), "it waited between polls");
        return code;
    }

    @Test
    void followWaitsForTheLastLinesOfAnEndedJobUntilTheLogIsComplete() throws InterruptedException {
        List<String> lines = new CopyOnWriteArrayList<>(List.of(LOG.get(0)));
        AtomicInteger asked = new AtomicInteger();
        audit.on("/api/jobs/" + ID + "/output", uri -> {
            int from = Integer.parseInt(FakeAudit.params(uri).get("from"));
            if (asked.incrementAndGet() == 3) {
                lines.add(LOG.get(1)); // the last line reaches the audit log after the job's end
            }
            List<String> page = from > lines.size() ? List.of() : lines.subList(from - 1, lines.size());
            return Reply.ndjson(List.copyOf(page), from + page.size(), "completed", lines.size() == 2);
        });
        assertEquals(0, run("logs", ID, "-f"));
        assertEquals(List.of(RENDERED.get(0), RENDERED.get(1)), outLines());
    }

    @Test
    void followWaitsForAJobTheAuditServiceHasNotSeenYet() throws InterruptedException {
        AtomicInteger asked = new AtomicInteger();
        Function<URI, Reply> served = pages(LOG.subList(0, 1), 1000, new AtomicReference<>("completed"));
        audit.on("/api/jobs/" + ID + "/output",
                uri -> asked.incrementAndGet() == 1 ? Reply.error(404, "Job not found: " + ID) : served.apply(uri));
        assertEquals(0, run("logs", ID, "--follow"));
        assertEquals(List.of(RENDERED.get(0)), outLines());
    }

    @Test
    void followRefusesAnAnswerWithoutJobStatus() throws InterruptedException {
        audit.on("/api/jobs/" + ID + "/output", new Reply(200, "application/x-ndjson", Map.of(), ""));
        assertEquals(2, run("logs", ID, "-f"));
        assertTrue(err().contains("no X-Herdctl-Job-Status header"), err());
    }

    // ---- alerts ---------------------------------------------------------------------------------------------

    @Test
    void alertsPrintsATableAndTheTotals() throws InterruptedException {
        audit.on("/api/alerts", Reply.json(200, ALERTS.replace("\"total\":1", "\"total\":9")));
        assertEquals(0, run("alerts", "--severity", "medium", "-a", "demo.reviewer", "--job", ID, "-l", "1"));
        List<String> lines = outLines();
        assertArrayEquals(new String[] {"TIME", "SEVERITY", "RULE", "JOB", "LINE", "TITLE"}, lines.get(0).split(" {2,}"));
        assertArrayEquals(new String[] {"2026-03-05 10:01:00", "high", "secret-in-output", ID, "12",
            "Secret in tool output"}, lines.get(1).split(" {2,}"));
        assertEquals("1 of 9 alerts", lines.get(2));
        assertEquals(Map.of("severity", "medium", "agent", "demo.reviewer", "job", ID, "limit", "1"),
                FakeAudit.params(audit.requests.get(0)));
    }

    @Test
    void anInvalidSeverityIsRefusedBeforeAnyRequest() throws InterruptedException {
        assertEquals(2, run("alerts", "--severity", "urgent"));
        assertEquals("herdctl: invalid severity 'urgent' (info, low, medium, high, critical)\n", err());
        assertTrue(audit.requests.isEmpty());
    }

    // ---- formatting -----------------------------------------------------------------------------------------

    @Test
    void durationsAndCosts() {
        com.fasterxml.jackson.databind.node.JsonNodeFactory n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        assertEquals("4s", JobsClient.duration(n.numberNode(4.4)));
        assertEquals("59s", JobsClient.duration(n.numberNode(59)));
        assertEquals("1m00s", JobsClient.duration(n.numberNode(60)));
        assertEquals("2m05s", JobsClient.duration(n.numberNode(125)));
        assertEquals("1h02m", JobsClient.duration(n.numberNode(3725)));
        assertEquals(null, JobsClient.duration(n.nullNode()));
        assertEquals("$0.0123", JobsClient.cost(n.numberNode(0.01234)));
        assertEquals(null, JobsClient.cost(n.nullNode()));
    }
}
