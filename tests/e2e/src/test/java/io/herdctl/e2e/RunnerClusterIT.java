package io.herdctl.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.EventIds;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.launcher.Spans;
import io.herdctl.launcher.Containers;
import io.herdctl.launcher.ServiceProcess;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.TopicClient;

/**
 * Runner replicas as separate processes on one broker and the real Docker
 * engine: jobs spread over two replicas within each one's capacity; a runner
 * killed with SIGKILL mid-job leaves no job open and no container behind; the
 * Docker engine going away fails jobs with a clear error and the runner comes
 * back by itself.
 */
class RunnerClusterIT {

    static final String IMAGE = "herdctl/test-agent:latest";
    static final Duration READY = Duration.ofSeconds(90);

    static Path home;
    static Path root;
    static Path workspace;
    static EmbeddedKafkaBroker broker;
    static TopicClient topics;
    final String stack = "it-" + UUID.randomUUID().toString().substring(0, 8);
    final List<ServiceProcess> runners = new ArrayList<>();

    @BeforeAll
    static void broker() throws IOException {
        home = Path.of(System.getProperty("herdctl.home", "../..")).toAbsolutePath().normalize();
        root = Files.createTempDirectory("herdctl-runners-");
        workspace = Files.createDirectories(root.resolve("workspace"));
        broker = EmbeddedKafkaBroker.startEphemeral();
        broker.createProjectTopics();
        topics = new TopicClient(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        topics.close();
        broker.close();
    }

    @AfterEach
    void stopRunners() {
        runners.forEach(r -> r.stop(Duration.ofSeconds(20)));
        Containers.removeLabelled("io.herdctl.stack=" + stack);
    }

    private ServiceProcess runner(String name, int capacity, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "herdctl.runner.max-parallel-jobs", Integer.toString(capacity),
                "herdctl.runner.stack-label", stack,
                "herdctl.runner.heartbeat-interval", "500ms",
                "herdctl.runner.lost-after", "3s",
                "herdctl.runner.drain-timeout", "2s"));
        settings.putAll(more);
        ServiceProcess r = ServiceProcess.startRunner(home, broker.bootstrapServers(), name, root.resolve(stack), settings);
        runners.add(r);
        return r.awaitReady(READY);
    }

    static AgentSpec agent(String name) {
        return agent(name, 1);
    }

    static AgentSpec agent(String name, int maxConcurrent) {
        return new AgentSpec(name, name, List.of(), null, "/fleet/" + name + ".yaml", workspace.toString(), null, null,
                null, null, "acceptEdits", Map.of(),
                new AgentSpec.DockerSpec(true, true, "128m", 128L << 20, null, null, null, 64L, null, Map.of(), 5, "ro",
                        IMAGE, "none", null, null, null, null, null),
                maxConcurrent, null, null, null, null, null, null, null);
    }

    static JobRequested request(String agent, String prompt) {
        return request(agent(agent), prompt);
    }

    static JobRequested request(AgentSpec spec, String prompt) {
        String agent = spec.qualifiedName();
        JobRequested job = new JobRequested(EventIds.random(), Instant.now(), 1, JobIds.random(Instant.now(), ZoneOffset.UTC),
                agent, null, TriggerType.MANUAL, prompt, null, spec, null);
        topics.send(Topics.JOB_REQUESTS, agent, EventJson.write(job));
        return job;
    }

    static Map<String, List<JobStatusChanged>> statusesOf(List<JobRequested> jobs) {
        var ids = jobs.stream().map(JobRequested::jobId).collect(Collectors.toSet());
        return topics.readAll(Topics.JOB_STATUS).stream().map(r -> EventJson.read(r.value(), JobStatusChanged.class))
                .filter(s -> ids.contains(s.jobId())).collect(Collectors.groupingBy(JobStatusChanged::jobId));
    }

    static Map<String, List<JobStatusChanged>> awaitAllTerminal(List<JobRequested> jobs, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, List<JobStatusChanged>> s = statusesOf(jobs);
            return s.size() == jobs.size() && s.values().stream().allMatch(l -> l.get(l.size() - 1).status().isTerminal());
        });
        return statusesOf(jobs);
    }

    @Test
    void twoReplicasShareTheJobsAndNeitherTakesMoreThanItsCapacity() {
        runner("alpha", 2, Map.of());
        runner("beta", 2, Map.of());
        List<JobRequested> jobs = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int a = 0; a < 8; a++) {
                jobs.add(request(agent("spread-" + a, 2), "scenario:success:2"));
            }
        }
        List<JobRequested> solo = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            solo.add(request(agent("solo", 1), "scenario:success:1"));
        }
        jobs.addAll(solo);
        Map<String, List<JobStatusChanged>> all = awaitAllTerminal(jobs, Duration.ofMinutes(3));
        List<long[]> soloSpans = solo.stream().map(j -> {
            List<JobStatusChanged> s = all.get(j.jobId());
            return new long[] {s.get(0).time().toEpochMilli(), s.get(s.size() - 1).time().toEpochMilli()};
        }).toList();
        assertEquals(1, Spans.peakOverlap(soloSpans), "instances.max_concurrent: 1 held, from claim to end");

        Map<String, Integer> perRunner = new HashMap<>();
        List<long[]> intervals = new ArrayList<>();
        Map<String, List<long[]>> byRunner = new HashMap<>();
        for (List<JobStatusChanged> s : all.values()) {
            assertEquals(1, s.stream().filter(x -> x.status().isTerminal()).count(), "exactly one terminal status");
            JobStatusChanged end = s.get(s.size() - 1);
            assertEquals(JobStatus.COMPLETED, end.status(), () -> String.valueOf(end.error()));
            JobStatusChanged running = s.stream().filter(x -> x.status() == JobStatus.RUNNING).findFirst().orElseThrow();
            String runner = end.runnerId();
            perRunner.merge(runner.substring(0, runner.lastIndexOf('-')), 1, Integer::sum);
            byRunner.computeIfAbsent(runner, r -> new ArrayList<>())
                    .add(new long[] {running.time().toEpochMilli(), end.time().toEpochMilli()});
        }
        System.out.printf("[runners] jobs per replica: %s%n", perRunner);
        assertEquals(2, perRunner.size(), "both replicas ran jobs: " + perRunner);
        byRunner.forEach((runner, spans) -> {
            int peak = Spans.peakOverlap(spans);
            System.out.printf("[runners] %s: %d jobs, at most %d at once%n", runner, spans.size(), peak);
            assertTrue(peak <= 2, runner + " ran " + peak + " jobs at once, over its capacity of 2");
        });
        assertTrue(Containers.withLabel("io.herdctl.stack=" + stack).isEmpty(), "no container left");
    }

    @Test
    void aRunnerKilledMidJobLeavesNoOpenJobAndNoContainer() {
        ServiceProcess doomed = runner("doomed", 1, Map.of());
        JobRequested running = request("crashy", "scenario:long:120");
        JobRequested waiting = request("crashy", "scenario:success");
        await().atMost(Duration.ofSeconds(60)).until(() -> statusesOf(List.of(running)).getOrDefault(running.jobId(), List.of())
                .stream().anyMatch(s -> s.status() == JobStatus.RUNNING));
        assertEquals(1, Containers.withLabel("io.herdctl.stack=" + stack).size());

        doomed.kill();
        long killed = System.nanoTime();
        runner("survivor", 1, Map.of());
        Map<String, List<JobStatusChanged>> all = awaitAllTerminal(List.of(running, waiting), Duration.ofSeconds(90));
        System.out.printf("[runners] both jobs settled %d ms after the SIGKILL%n", (System.nanoTime() - killed) / 1_000_000);

        List<JobStatusChanged> lost = all.get(running.jobId());
        JobStatusChanged end = lost.get(lost.size() - 1);
        assertEquals(JobStatus.FAILED, end.status());
        assertTrue(end.error().startsWith("runner lost: runner doomed-"), end.error());
        assertEquals(1, lost.stream().filter(s -> s.status().isTerminal()).count());

        List<JobStatusChanged> rerun = all.get(waiting.jobId());
        assertEquals(JobStatus.COMPLETED, rerun.get(rerun.size() - 1).status(),
                "a job that provably never started runs on the survivor");
        assertTrue(rerun.get(rerun.size() - 1).runnerId().startsWith("survivor-"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Containers.withLabel("io.herdctl.stack=" + stack).isEmpty());
    }

    @Test
    void aStoppingRunnerLetsShortJobsFinishAndCancelsTheRest() {
        ServiceProcess r = runner("draining", 2, Map.of("herdctl.runner.drain-timeout", "15s"));
        JobRequested quick = request("drain-quick", "scenario:success:1");
        JobRequested slow = request("drain-slow", "scenario:long:120");
        await().atMost(Duration.ofSeconds(60)).until(() -> statusesOf(List.of(quick, slow)).values().stream()
                .filter(l -> l.stream().anyMatch(s -> s.status() == JobStatus.RUNNING)).count() == 2);
        r.stop(Duration.ofSeconds(30));

        Map<String, List<JobStatusChanged>> all = awaitAllTerminal(List.of(quick, slow), Duration.ofSeconds(30));
        assertEquals(JobStatus.COMPLETED, last(all, quick), "a job that ends within the drain timeout finishes");
        List<JobStatusChanged> cut = all.get(slow.jobId());
        JobStatusChanged end = cut.get(cut.size() - 1);
        assertEquals(JobStatus.CANCELLED, end.status());
        assertTrue(end.error().startsWith("the runner shut down while the job was running"), end.error());
        assertTrue(Containers.withLabel("io.herdctl.stack=" + stack).isEmpty(), "no container left");
    }

    @Test
    void theEngineGoingAwayFailsJobsClearlyAndTheRunnerRecovers() throws Exception {
        Path socket = Files.createTempDirectory("herdctl-sock-").resolve("docker.sock");
        try (UnixSocketProxy engine = new UnixSocketProxy(socket, Path.of("/var/run/docker.sock"))) {
            engine.up();
            ServiceProcess r = runner("flaky", 2, Map.of("herdctl.runner.docker-host", engine.dockerHost()));
            JobRequested before = request("engine", "scenario:success");
            assertEquals(JobStatus.COMPLETED, last(awaitAllTerminal(List.of(before), Duration.ofSeconds(60)), before));

            engine.down();
            await().atMost(Duration.ofSeconds(20)).until(() -> r.health("/q/health/ready") == 503);
            JobRequested during = request("engine", "scenario:success");
            JobStatusChanged failed = awaitAllTerminal(List.of(during), Duration.ofSeconds(60)).get(during.jobId())
                    .stream().filter(s -> s.status().isTerminal()).findFirst().orElseThrow();
            assertEquals(JobStatus.FAILED, failed.status());
            assertTrue(failed.error().contains("Docker engine is unreachable"), failed.error());

            engine.up();
            await().atMost(Duration.ofSeconds(20)).until(() -> r.health("/q/health/ready") == 200);
            JobRequested after = request("engine", "scenario:success");
            assertEquals(JobStatus.COMPLETED, last(awaitAllTerminal(List.of(after), Duration.ofSeconds(60)), after));
        }
    }

    static JobStatus last(Map<String, List<JobStatusChanged>> all, JobRequested job) {
        List<JobStatusChanged> s = all.get(job.jobId());
        return s.get(s.size() - 1).status();
    }
}
