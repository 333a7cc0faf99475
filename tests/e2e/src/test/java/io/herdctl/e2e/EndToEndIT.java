package io.herdctl.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.Topics;
import io.herdctl.launcher.Containers;
import io.herdctl.launcher.EmbeddedStack;
import io.herdctl.launcher.StackOptions;
import io.herdctl.launcher.StackOptions.Service;
import io.herdctl.testsupport.TopicClient;

/**
 * The whole system as a user runs it: the broker, the five services as
 * processes, a fleet with one agent on a short interval, the scripted agent in
 * a real container. Prints the figures the project tracks (start-up time,
 * trigger to first output line, the container's hardening).
 */
class EndToEndIT {

    static final String AGENT = "watcher";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path root;
    static EmbeddedStack stack;
    static String stackId;
    static List<ProcessHandle> processes;

    @BeforeAll
    static void startTheStack() throws IOException {
        root = Files.createTempDirectory("herdctl-e2e-");
        Path fleet = root.resolve("fleet");
        Files.createDirectories(fleet.resolve("agents"));
        Files.createDirectories(fleet.resolve("workspace"));
        Files.writeString(fleet.resolve("herdctl.yaml"), """
                version: 1
                fleet:
                  name: e2e
                defaults:
                  docker:
                    image: herdctl/test-agent:latest
                    network: none
                agents:
                  - path: agents/watcher.yaml
                """);
        Files.writeString(fleet.resolve("agents/watcher.yaml"), """
                name: watcher
                default_prompt: "Check the workspace. scenario:success:3"
                working_directory: ../workspace
                schedules:
                  tick:
                    type: interval
                    interval: 20s
                instances:
                  max_concurrent: 2
                docker:
                  enabled: true
                  workspace_mode: ro
                  memory: 512m
                  pids_limit: 100
                """);
        Path home = Path.of(System.getProperty("herdctl.home", "../..")).toAbsolutePath().normalize();
        stackId = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        StackOptions options = StackOptions.isolated(home, fleet, root.resolve("state"), stackId);
        long t0 = System.nanoTime();
        stack = EmbeddedStack.start(options);
        System.out.printf("[e2e] stack ready (broker + 5 services) in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        processes = stack.processes();
    }

    @AfterAll
    static void stopTheStack() {
        if (stack == null) {
            return;
        }
        stack.close();
        for (ProcessHandle p : processes) {
            assertFalse(p.isAlive(), "service process " + p.pid() + " still runs after stop");
        }
        assertEquals(List.of(), Containers.withLabel("io.herdctl.stack=" + stackId), "containers left behind");
    }

    @Test
    void aScheduledJobRunsHardenedIsAuditedAndShowsInTheDashboard() throws Exception {
        AtomicReference<JsonNode> inspected = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String ids = docker("ps", "-q", "--filter", "label=io.herdctl.stack=" + stackId,
                    "--filter", "label=io.herdctl.agent=" + AGENT).strip();
            if (ids.isEmpty()) {
                return false;
            }
            String out = docker("inspect", ids.split("\\R")[0]);
            if (out.isBlank()) {
                return false;
            }
            inspected.set(EventJson.mapper().readTree(out).get(0));
            return true;
        });
        JsonNode container = inspected.get();
        JsonNode host = container.get("HostConfig");
        JsonNode labels = container.get("Config").get("Labels");
        String jobId = labels.get("io.herdctl.job-id").asText();
        System.out.println("[e2e] docker inspect of " + container.get("Name").asText() + ": CapDrop=" + host.get("CapDrop")
                + " SecurityOpt=" + host.get("SecurityOpt") + " Memory=" + host.get("Memory") + " MemorySwap="
                + host.get("MemorySwap") + " PidsLimit=" + host.get("PidsLimit") + " Init=" + host.get("Init")
                + " ReadonlyRootfs=" + host.get("ReadonlyRootfs") + " NetworkMode=" + host.get("NetworkMode")
                + " User=" + container.get("Config").get("User") + " Tmpfs=" + host.get("Tmpfs") + " Labels=" + labels);
        assertEquals("[\"ALL\"]", host.get("CapDrop").toString());
        assertTrue(host.get("SecurityOpt").toString().contains("no-new-privileges:true"));
        assertEquals(512L << 20, host.get("Memory").asLong());
        assertEquals(512L << 20, host.get("MemorySwap").asLong());
        assertEquals(100, host.get("PidsLimit").asLong());
        assertTrue(host.get("Init").asBoolean());
        assertTrue(host.get("ReadonlyRootfs").asBoolean());
        String user = container.get("Config").get("User").asText();
        assertFalse(user.isEmpty() || user.equals("0") || user.startsWith("0:") || user.equals("root"), user);
        assertEquals("herdctl", labels.get("io.herdctl.managed-by").asText());
        assertEquals(AGENT, labels.get("io.herdctl.agent").asText());

        JsonNode job = awaitJob(jobId, "completed");
        assertEquals("schedule", job.get("triggerType").asText());
        assertEquals(0, job.get("exitCode").asInt());

        Path log = stack.options().jobsDir().resolve(jobId + ".jsonl");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(log) && Files.readAllLines(log).size() == 6);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            lines.add(EventJson.mapper().readTree(line));
        }
        assertEquals(List.of("system", "assistant", "tool_use", "tool_result", "assistant", "tool_result"),
                lines.stream().map(l -> l.get("type").asText()).toList());
        assertEquals("init", lines.get(0).get("subtype").asText());
        assertTrue(lines.get(1).get("content").asText().startsWith("Prompt received: Check the workspace."));
        assertEquals("Bash", lines.get(2).get("tool_name").asText());
        assertFalse(lines.get(3).get("success").asBoolean());
        assertTrue(lines.get(3).get("error").asText().contains("EACCES"));
        assertTrue(lines.get(5).get("success").asBoolean());
        for (JsonNode line : lines) {
            Instant.parse(line.get("timestamp").asText());
        }
        Path meta = stack.options().jobsDir().resolve(jobId + ".yaml");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(meta)
                && Files.readString(meta).contains("status: completed"));
        String yaml = Files.readString(meta);
        System.out.print("[e2e] " + meta.getFileName() + ":\n" + yaml);
        assertTrue(yaml.contains("id: " + jobId) && yaml.contains("agent: watcher") && yaml.contains("trigger_type: schedule")
                && yaml.contains("exit_reason: success") && yaml.contains("output_file: " + log), yaml);

        try (TopicClient topics = new TopicClient(stack.bootstrapServers())) {
            List<ConsumerRecord<String, String>> alerts = topics.await(Topics.ALERTS, Duration.ofSeconds(20),
                    r -> r.stream().anyMatch(x -> jobId.equals(x.key())));
            AuditAlertRaised alert = alerts.stream().filter(x -> jobId.equals(x.key()))
                    .map(x -> OcsfFinding.read(x.value())).findFirst().orElseThrow();
            assertEquals("permission-denied", alert.ruleId());
            assertEquals(4, alert.seq());
        }
        String[] feed = cli("alerts", "--follow", "--from-beginning", "--max", "1");
        System.out.print("[e2e] herdctl alerts --follow (what a SIEM reads):\n" + feed[1]);
        assertEquals("0", feed[0], feed[1]);
        JsonNode finding = EventJson.mapper().readTree(feed[1].lines().filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow());
        assertEquals(2004, finding.path("class_uid").asInt());
        assertEquals(200401, finding.path("type_uid").asInt());
        String[] listed = cli("alerts", "--job", jobId);
        assertEquals("0", listed[0], listed[1]);
        assertTrue(listed[1].contains("permission-denied"), listed[1]);

        String index = get(stack.url(Service.DASHBOARD) + "/").body();
        assertTrue(index.contains(jobId) && index.contains(AGENT), index);
        String page = get(stack.url(Service.DASHBOARD) + "/jobs/" + jobId).body();
        assertTrue(page.contains("completed") && page.contains("Prompt received: Check the workspace."), page);
        assertTrue(page.contains("medium: Permission denied"), "the alert shows at its line");
    }

    @Test
    void aManualTriggerThroughTheDashboardRunsAtOnce() throws Exception {
        try (TopicClient topics = new TopicClient(stack.bootstrapServers())) {
            Instant triggered = Instant.now();
            long t0 = System.nanoTime();
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create(stack.url(Service.DASHBOARD) + "/api/agents/" + AGENT + "/trigger"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"manual $HOME `id` \\\"run\\\" scenario:success\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            double answered = (System.nanoTime() - t0) / 1e6;
            assertEquals(202, response.statusCode(), response.body());
            String jobId = EventJson.mapper().readTree(response.body()).get("jobId").asText();
            assertTrue(jobId.matches("^job-\\d{4}-\\d{2}-\\d{2}-[a-z0-9]{6}$"), jobId);

            List<ConsumerRecord<String, String>> output = topics.await(Topics.JOB_OUTPUT, Duration.ofSeconds(60),
                    r -> r.stream().anyMatch(x -> jobId.equals(x.key())));
            JobOutputEmitted first = output.stream().filter(x -> jobId.equals(x.key()))
                    .map(x -> EventJson.read(x.value(), JobOutputEmitted.class)).filter(x -> x.seq() == 1)
                    .findFirst().orElseThrow();
            System.out.printf("[e2e] trigger answered in %.0f ms; first output line %d ms after the trigger%n", answered,
                    Duration.between(triggered, first.time()).toMillis());

            JsonNode job = awaitJob(jobId, "completed");
            assertEquals("manual", job.get("triggerType").asText());
            assertEquals("manual $HOME `id` \"run\" scenario:success", job.get("prompt").asText());
            List<JobOutputEmitted> lines = topics.readAll(Topics.JOB_OUTPUT).stream().filter(x -> jobId.equals(x.key()))
                    .map(x -> EventJson.read(x.value(), JobOutputEmitted.class)).toList();
            assertEquals("Prompt received: manual $HOME `id` \"run\" scenario:success", lines.get(1).entry().get("content"),
                    "the prompt reaches the agent exactly as written");
        }
    }

    /** Runs {@code herdctl <args>} against this stack; returns its exit code and output. */
    static String[] cli(String... args) throws Exception {
        return cliWithToken(stack.serviceToken(), args);
    }

    /** @param token the service token the command gets in HERDCTL_SERVICE_TOKEN */
    static String[] cliWithToken(String token, String... args) throws Exception {
        Path home = Path.of(System.getProperty("herdctl.home", "../..")).toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", home.resolve("launcher/target/herdctl-launcher.jar").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HERDCTL_SCHEDULER_URL", stack.url(Service.SCHEDULER));
        pb.environment().put("HERDCTL_DASHBOARD_URL", stack.url(Service.DASHBOARD));
        pb.environment().put("HERDCTL_AUDIT_URL", stack.url(Service.AUDIT));
        pb.environment().put("HERDCTL_KAFKA", stack.bootstrapServers());
        pb.environment().put("HERDCTL_SERVICE_TOKEN", token);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "herdctl " + String.join(" ", args) + " did not end");
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    @Test
    void theCliTriggersAJobAndItsExitCodeIsTheJobsOutcome() throws Exception {
        String[] ok = cli("trigger", AGENT, "--prompt", "Say hi. scenario:success", "--wait");
        System.out.print("[e2e] herdctl trigger --wait:\n" + ok[1]);
        assertEquals("0", ok[0], ok[1]);
        assertTrue(ok[1].contains("completed"), ok[1]);

        String[] failed = cli("trigger", AGENT, "--prompt", "scenario:fail", "--wait");
        assertEquals("1", failed[0], failed[1]);
        assertTrue(failed[1].contains("failed (error): Claude CLI exited with code 3"), failed[1]);

        String[] unknown = cli("trigger", "nobody");
        assertEquals("2", unknown[0], unknown[1]);
        assertTrue(unknown[1].contains("Agent \"nobody\" not found"), unknown[1]);

        String okJob = jobIdIn(ok[1]);
        String[] logs = cli("logs", okJob, "--follow");
        System.out.print("[e2e] herdctl logs --follow:\n" + logs[1]);
        assertEquals("0", logs[0], logs[1]);
        assertTrue(logs[1].contains("[ASSISTANT] Prompt received: Say hi. scenario:success"), logs[1]);
        assertTrue(logs[1].lines().allMatch(l -> l.matches("^\\[\\d{4}-\\d{2}-\\d{2}T.*\\] \\[[A-Z_]+\\] .*")), logs[1]);
        String[] failedLogs = cli("logs", jobIdIn(failed[1]), "-f");
        assertEquals("1", failedLogs[0], "logs -f ends with the job's outcome: " + failedLogs[1]);
        String[] jobs = cli("jobs", "--agent", AGENT, "--status", "completed,failed");
        System.out.print("[e2e] herdctl jobs:\n" + jobs[1]);
        assertEquals("0", jobs[0], jobs[1]);
        assertTrue(jobs[1].contains(okJob) && jobs[1].contains("JOB ID") && jobs[1].contains(" jobs"), jobs[1]);
        String[] job = cli("job", okJob);
        assertEquals("0", job[0], job[1]);
        assertTrue(job[1].contains("completed") && job[1].contains("Say hi."), job[1]);

        String[] schedules = cli("schedules");
        assertEquals("0", schedules[0], schedules[1]);
        assertTrue(schedules[1].contains(AGENT) && schedules[1].contains("tick") && schedules[1].contains("20s"),
                schedules[1]);
    }

    @Test
    void theSchedulerTakesNoChangeWithoutTheServiceToken() throws Exception {
        // What an agent with network: host, or any local user, can send: the scheduler's port, no token.
        for (String path : List.of("/api/agents/" + AGENT + "/trigger", "/api/fleet/stop")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(Service.SCHEDULER) + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"requestedBy\":\"agent\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("SERVICE_TOKEN_REQUIRED"), r.body());
        }
        assertTrue(get(stack.url(Service.SCHEDULER) + "/api/fleet").body().contains("\"stopped\":false"),
                "the fleet was not stopped");
        String[] wrong = cliWithToken("not-the-token-of-this-stack-0123456789abcdef", "stop", "--all", "--timeout", "1");
        assertEquals("2", wrong[0], wrong[1]);
        assertTrue(wrong[1].contains("service token"), wrong[1]);
    }

    private static String jobIdIn(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("job-\\d{4}-\\d{2}-\\d{2}-[a-z0-9]{6}").matcher(text);
        assertTrue(m.find(), "no job id in: " + text);
        return m.group();
    }

    @Test
    void everyListenerOfTheStackIsOnLoopback() throws IOException {
        List<Long> pids = new ArrayList<>(processes.stream().map(ProcessHandle::pid).toList());
        pids.add(ProcessHandle.current().pid());
        List<InetSocketAddress> listeners = ListeningSockets.of(pids);
        System.out.println("[e2e] listeners of the stack: " + listeners);
        assertTrue(listeners.stream().anyMatch(a -> a.getPort() == stack.options().ports().get(Service.DASHBOARD)),
                "the dashboard's own socket must be among them: " + listeners);
        assertTrue(listeners.size() >= 7, "five services and the broker's two listeners: " + listeners);
        for (InetSocketAddress a : listeners) {
            assertTrue(a.getAddress().isLoopbackAddress(), a + " is reachable from beyond this machine");
        }
    }

    private static JsonNode awaitJob(String jobId, String status) {
        AtomicReference<JsonNode> job = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            HttpResponse<String> r = get(stack.url(Service.DASHBOARD) + "/api/jobs/" + jobId);
            if (r.statusCode() != 200) {
                return false;
            }
            JsonNode node = EventJson.mapper().readTree(r.body());
            job.set(node);
            String now = node.get("status").asText();
            if (!now.equals(status) && List.of("completed", "failed", "cancelled").contains(now)) {
                throw new AssertionError("job " + jobId + " ended " + now + ": " + node);
            }
            return now.equals(status);
        });
        return job.get();
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return p.exitValue() == 0 ? out : "";
    }

}
