package io.herdctl.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herdctl.launcher.FakeAudit.Reply;
import io.herdctl.testsupport.EmbeddedKafkaBroker;

class IncidentTest {

    private static final String ID = "job-2026-03-05-abc123";
    private static final Instant NOW = Instant.parse("2026-03-05T10:15:30Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String JOB = """
            {"jobId":"job-2026-03-05-abc123","agentName":"demo.reviewer","schedule":null,"triggerType":"manual",
             "status":"failed","exitReason":"error","prompt":"Review","startedAt":"2026-03-05T10:00:00Z",
             "completedAt":"2026-03-05T10:02:05Z","durationSeconds":125,"error":"exit 1","lines":2,
             "workspace":{"baseline":"snapshot","headBefore":"1111111","headAfter":"2222222",
               "agentFile":"agents/reviewer.yaml","files":[
                 {"path":"src/App.java","status":" M","sensitive":null,"preexisting":false,"binary":false,
                  "withheld":false,"diffTruncated":false},
                 {"path":".env","status":"??","sensitive":"an environment file","preexisting":false,"binary":false,
                  "withheld":true,"diffTruncated":false},
                 {"path":".git/hooks/pre-commit","status":"GA","sensitive":"git hooks","preexisting":false,
                  "binary":false,"withheld":false,"diffTruncated":false}],
               "filesOmitted":0,"diff":"diff --git a/src/App.java b/src/App.java\\n-old\\n+new\\n","diffTruncated":false,
               "notes":[]}}""";

    private static final String INSPECT = """
            [{"Id":"c0ffee0000000000000000000000000000000000000000000000000000000001",
              "State":{"Status":"exited","ExitCode":1},
              "Args":["-p","review","--mcp-config","{\\"mcpServers\\":{\\"api\\":{\\"env\\":{\\"API_KEY\\":\\"mcp-inspect-secret\\"}}}}"],
              "Config":{"Env":["GITHUB_TOKEN=ghp_TopSecretValue123","HOME=/home/claude","PASSTHROUGH=${SOME_VAR}","EMPTY="],
                        "Cmd":["claude","--mcp-config={\\"k\\":\\"mcp-inspect-secret\\"}"],
                        "Labels":{"io.herdctl.job-id":"job-2026-03-05-abc123","io.herdctl.runner":"runner-7"}}}]""";

    private static final String SPEC = """
            {"qualifiedName":"demo.reviewer","name":"reviewer",
             "docker":{"enabled":true,"env":{"GITHUB_TOKEN":"${GITHUB_TOKEN}","LITERAL_KEY":"sk-literal-secret"}},
             "mcpServers":{"api":{"command":"x","env":{"API_KEY":"mcp-secret-value"}}}}""";

    @TempDir
    Path temp;

    private Path state;
    private FakeAudit audit;
    private FakeAudit config;
    private FakeAudit scheduler;
    private FakeAudit dashboard;
    private FakeDocker docker;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Containers by id, and which job label each carries; {@code down} makes the engine unreachable. */
    static final class FakeDocker implements ContainerInspector {

        final Map<String, String> labelled = new java.util.HashMap<>();
        final Map<String, String> inspected = new java.util.HashMap<>();
        boolean down;

        @Override
        public List<String> containersOf(String jobId) throws Unavailable {
            if (down) {
                throw new Unavailable("cannot run the docker CLI (No such file or directory)");
            }
            return labelled.entrySet().stream().filter(e -> e.getValue().equals(jobId)).map(Map.Entry::getKey).toList();
        }

        @Override
        public String inspect(String containerId) throws Unavailable {
            if (down) {
                throw new Unavailable("engine down");
            }
            return inspected.get(containerId);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        state = temp.resolve(".herdctl");
        Files.createDirectories(state.resolve("jobs"));
        Files.createDirectories(state.resolve("alerts"));
        Files.writeString(state.resolve("jobs").resolve(ID + ".jsonl"),
                "{\"type\":\"system\",\"content\":\"start\"}\n{\"type\":\"error\",\"message\":\"boom\"}\n");
        Files.writeString(state.resolve("jobs").resolve(ID + ".yaml"), """
                id: job-2026-03-05-abc123
                agent: demo.reviewer
                status: failed
                started_at: 2026-03-05T10:00:00Z
                """);
        Files.writeString(state.resolve("alerts").resolve(ID + ".jsonl"),
                "{\"class_uid\":2004,\"evidences\":[{\"container\":{\"uid\":\"c0ffee000000\"}}],"
                        + "\"unmapped\":{\"herdctl\":{\"runner_id\":\"runner-7\"}}}\n");
        Files.writeString(state.resolve("fleet-control.jsonl"),
                "{\"stopped\":true,\"changedBy\":\"cli:ops@host\",\"reason\":\"incident\"}\n");

        audit = new FakeAudit()
                .on("/api/jobs/" + ID, Reply.json(200, JOB))
                .on("/api/alerts", uri -> {
                    int offset = Integer.parseInt(FakeAudit.params(uri).getOrDefault("offset", "0"));
                    // 501 alerts: the bundle must page through all of them
                    List<String> page = new ArrayList<>();
                    for (int i = offset; i < Math.min(offset + 500, 501); i++) {
                        page.add("{\"id\":\"a" + i + "\",\"jobId\":\"" + ID + "\",\"ruleId\":\"permission-denied\","
                                + "\"severity\":\"medium\",\"seq\":" + i + "}");
                    }
                    return Reply.json(200, "{\"alerts\":[" + String.join(",", page) + "],\"total\":501}");
                });
        config = new FakeAudit()
                .on("/api/fleet", Reply.json(200, "{\"accepted\":{\"fleet\":\"demo\",\"revision\":\"r42\"}}"))
                .on("/api/fleet/agents/demo.reviewer", Reply.json(200, SPEC));
        scheduler = new FakeAudit().on("/api/fleet", Reply.json(200,
                "{\"stopped\":true,\"changedBy\":\"cli:ops@host\",\"reason\":\"incident\",\"activeJobs\":[]}"));
        dashboard = new FakeAudit();
        docker = new FakeDocker();
        String full = "c0ffee0000000000000000000000000000000000000000000000000000000001";
        docker.labelled.put(full, ID);
        docker.inspected.put(full, INSPECT);
    }

    @AfterEach
    void tearDown() {
        audit.close();
        config.close();
        scheduler.close();
        dashboard.close();
    }

    private int run(String... args) throws InterruptedException {
        return run(new Incident.Services(audit.url(), config.url(), scheduler.url(), dashboard.url()), args);
    }

    private int run(Incident.Services services, String... args) throws InterruptedException {
        Incident incident = new Incident(services, state, docker, Clock.fixed(NOW, ZoneOffset.UTC),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return incident.run(new ArrayDeque<>(List.of(args)));
    }

    private Path bundle() {
        return state.resolve("incidents").resolve(ID + "-20260305T101530Z");
    }

    private String read(String file) throws IOException {
        return Files.readString(bundle().resolve(file));
    }

    @Test
    void aCompleteBundleHoldsEverySourceWithOwnerOnlyModes() throws Exception {
        assertEquals(Incident.COMPLETE, run(ID), err.toString());
        Path b = bundle();
        for (String f : List.of("job.jsonl", "job.yaml", "job.json", "alerts.json", "alerts-ocsf.jsonl",
                "workspace.json", "workspace-changes.txt", "containers.json", "agent-config.json",
                "fleet-control.json", "fleet-control.jsonl", "summary.txt", "SHA256SUMS")) {
            assertTrue(Files.isRegularFile(b.resolve(f)), f + " is missing");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(b.resolve(f))), f);
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(b)));
        assertEquals(Files.readString(state.resolve("jobs").resolve(ID + ".jsonl")), read("job.jsonl"));
        assertEquals(501, JSON.readTree(read("alerts.json")).path("alerts").size());

        String summary = read("summary.txt");
        assertTrue(summary.contains("job:          " + ID), summary);
        assertTrue(summary.contains("agent:        demo.reviewer"), summary);
        assertTrue(summary.contains("status:       failed (error)"), summary);
        assertTrue(summary.contains("runner:       runner-7 (container label)"), summary);
        assertTrue(summary.contains("duration:     125 s"), summary);
        assertTrue(summary.contains("complete:     yes"), summary);
        assertTrue(summary.contains("GITHUB_TOKEN, HOME, LITERAL_KEY"), summary);

        String changes = read("workspace-changes.txt");
        assertTrue(changes.contains("  ??  .env   [SENSITIVE: an environment file; diff withheld (may hold secrets)]"),
                changes);
        assertTrue(changes.contains("  GA  .git/hooks/pre-commit   [SENSITIVE: git hooks]"), changes);
        assertTrue(changes.contains("files changed: 3, 2 sensitive"), changes);
        assertTrue(changes.contains("+new"), changes);
        assertTrue(out.toString().contains("written to " + b), out.toString());
    }

    @Test
    void envValuesOfInspectAndConfigAreMaskedExceptReferences() throws Exception {
        assertEquals(Incident.COMPLETE, run(ID), err.toString());
        String containers = read("containers.json");
        JsonNode env = JSON.readTree(containers).path(0).path("Config").path("Env");
        assertEquals(List.of("GITHUB_TOKEN=***", "HOME=***", "PASSTHROUGH=${SOME_VAR}", "EMPTY=***"),
                JSON.convertValue(env, List.class));
        assertEquals(List.of("-p", "review", "--mcp-config", "***"),
                JSON.convertValue(JSON.readTree(containers).path(0).path("Args"), List.class),
                "the MCP servers' resolved settings on Claude's command line are masked too");
        assertEquals("runner-7", JSON.readTree(containers).path(0).path("Config").path("Labels")
                .path("io.herdctl.runner").asText());
        JsonNode spec = JSON.readTree(read("agent-config.json")).path("spec");
        assertEquals("${GITHUB_TOKEN}", spec.path("docker").path("env").path("GITHUB_TOKEN").asText());
        assertEquals("****", spec.path("docker").path("env").path("LITERAL_KEY").asText());
        assertEquals("****", spec.path("mcpServers").path("api").path("env").path("API_KEY").asText());
        try (Stream<Path> files = Files.list(bundle())) {
            for (Path f : files.toList()) {
                String text = Files.readString(f);
                for (String secret : List.of("ghp_TopSecretValue123", "sk-literal-secret", "mcp-secret-value",
                        "mcp-inspect-secret")) {
                    assertFalse(text.contains(secret), f.getFileName() + " holds " + secret);
                }
            }
        }
    }

    @Test
    void theChecksumFileCoversEveryFileAndMatchesIt() throws Exception {
        assertEquals(Incident.COMPLETE, run(ID), err.toString());
        TreeSet<String> listed = new TreeSet<>();
        for (String line : read("SHA256SUMS").split("\n")) {
            String[] parts = line.split("  ", 2);
            assertEquals(64, parts[0].length(), line);
            assertEquals(Incident.sha256(bundle().resolve(parts[1])), parts[0], parts[1]);
            listed.add(parts[1]);
        }
        TreeSet<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(bundle())) {
            files.map(f -> f.getFileName().toString()).filter(f -> !f.equals("SHA256SUMS")).forEach(present::add);
        }
        assertEquals(present, listed);
        // the summary carries the checksums of the data files too
        String summary = read("summary.txt");
        assertTrue(summary.contains(Incident.sha256(bundle().resolve("job.jsonl")) + "  job.jsonl"), summary);
    }

    @Test
    void aServiceDownMakesAPartialBundleThatSaysWhatIsMissingAndWhy() throws Exception {
        Files.delete(state.resolve("jobs").resolve(ID + ".jsonl"));
        audit.on("/api/jobs/" + ID + "/output", uri -> FakeAudit.params(uri).get("from").equals("1")
                ? Reply.ndjson(List.of("{\"n\":1}", "{\"n\":2}"), 3, "failed", true)
                : Reply.ndjson(List.of(), 3, "failed", true));
        String down = "http://127.0.0.1:" + EmbeddedKafkaBroker.freePort();
        int code = run(new Incident.Services(audit.url(), down, scheduler.url(), dashboard.url()), ID);

        assertEquals(Incident.PARTIAL, code, err.toString());
        assertEquals("{\"n\":1}\n{\"n\":2}\n", read("job.jsonl"));
        assertFalse(Files.exists(bundle().resolve("agent-config.json")));
        String summary = read("summary.txt");
        assertTrue(summary.contains("complete:     NO: 1 item(s) could not be collected"), summary);
        assertTrue(summary.contains("the agent's effective configuration\n      from " + down
                + "/api/fleet/agents/demo.reviewer\n      why: no answer from " + down), summary);
        assertTrue(out.toString().contains("PARTIAL: 1 item(s) could not be collected"), out.toString());
        assertTrue(Files.exists(bundle().resolve("SHA256SUMS")));
    }

    @Test
    void aRemovedContainerIsANoteAndADownEngineIsAGap() throws Exception {
        docker.labelled.clear();
        docker.inspected.clear();
        assertEquals(Incident.COMPLETE, run(ID), err.toString());
        String summary = read("summary.txt");
        assertTrue(summary.contains("container c0ffee000000 has been removed since"), summary);
        assertTrue(summary.contains("runner:       runner-7 (the job's alerts)"), summary);
        assertFalse(Files.exists(bundle().resolve("containers.json")));

        docker.down = true;
        assertEquals(Incident.PARTIAL, run("--out", temp.resolve("second").toString(), ID), err.toString());
        assertTrue(Files.readString(temp.resolve("second/summary.txt")).contains("cannot run the docker CLI"));
    }

    @Test
    void anUnknownJobIsAUsageErrorAndWritesNothing() throws Exception {
        String other = "job-2026-03-05-zzz999";
        assertEquals(2, run(other));
        assertTrue(err.toString().startsWith("herdctl: job " + other + " is unknown: the audit service at "
                + audit.url() + " has no such job"), err.toString());
        assertFalse(Files.exists(state.resolve("incidents")));

        err.reset();
        assertEquals(2, run("not-a-job"));
        assertEquals("herdctl: 'not-a-job' is not a job id (job-YYYY-MM-DD-xxxxxx)\n", err.toString());
    }

    @Test
    void anExistingBundleIsNeverWrittenOver() throws Exception {
        Path taken = temp.resolve("case-42");
        Files.createDirectories(taken);
        Files.writeString(taken.resolve("summary.txt"), "the first bundle");
        assertEquals(2, run("--out", taken.toString(), ID));
        assertTrue(err.toString().contains(taken + " already exists and is not empty; an incident bundle is never"
                + " written over"), err.toString());
        assertEquals("the first bundle", Files.readString(taken.resolve("summary.txt")));

        // the default name taken in the same second: the second bundle goes beside it
        assertEquals(Incident.COMPLETE, run(ID));
        assertEquals(Incident.COMPLETE, run(ID));
        assertTrue(Files.isDirectory(bundle()));
        assertTrue(Files.isDirectory(bundle().resolveSibling(bundle().getFileName() + "-2")));
    }

    @Test
    void withoutAStateDirTheOneTheAuditApiNamesIsUsed() throws Exception {
        audit.on("/api/jobs/" + ID, Reply.json(200, JOB.replace("\"lines\":2,", "\"lines\":2,\"outputFile\":"
                + JSON.writeValueAsString(state.resolve("jobs").resolve(ID + ".jsonl").toString()) + ",")));
        Path elsewhere = temp.resolve("cwd/.herdctl");
        Incident incident = new Incident(new Incident.Services(audit.url(), config.url(), scheduler.url(),
                dashboard.url()), elsewhere, docker, Clock.fixed(NOW, ZoneOffset.UTC),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Incident.COMPLETE, incident.run(new ArrayDeque<>(List.of(ID))), err.toString());
        assertTrue(Files.isRegularFile(bundle().resolve("job.yaml")));
        assertTrue(Files.isRegularFile(bundle().resolve("fleet-control.jsonl")));
        assertFalse(Files.exists(elsewhere));
    }

    @Test
    void jsonReportNamesTheBundleAndItsChecksums() throws Exception {
        assertEquals(Incident.COMPLETE, run("--json", ID), err.toString());
        JsonNode report = JSON.readTree(out.toString());
        assertEquals(bundle().toString(), report.path("bundle").asText());
        assertTrue(report.path("complete").asBoolean());
        assertNotNull(report.path("sha256").get("summary.txt"));
        assertEquals("demo.reviewer", report.path("agent").asText());
    }
}
