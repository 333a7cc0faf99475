package io.herdctl.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.common.utils.Utils;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.AgentSpecResolved;
import io.herdctl.events.EventIds;
import io.herdctl.events.EventJson;
import io.herdctl.events.ExitReason;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.launcher.Containers;
import io.herdctl.launcher.ServiceProcess;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.TopicClient;

/**
 * The kill switch on a fleet with jobs running on two runner replicas, each a
 * process of its own, with the scheduler that owns the switch: one stop cancels
 * every job on both runners and removes their containers, a request that was
 * waiting never runs, triggers are refused until a resume, and after it jobs run
 * again. Prints how long the stop took.
 */
class KillSwitchIT {

    static final String IMAGE = "herdctl/test-agent:latest";
    static final String RUNNER_GROUP = "runner-service";
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void oneStopCancelsEveryJobOnBothRunnersAndTriggersWaitForTheResume() throws Exception {
        Path home = Path.of(System.getProperty("herdctl.home", "../..")).toAbsolutePath().normalize();
        Path root = Files.createTempDirectory("herdctl-killswitch-");
        Path workspace = Files.createDirectories(root.resolve("workspace"));
        String stack = "it-" + UUID.randomUUID().toString().substring(0, 8);
        List<ServiceProcess> services = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startEphemeral();
                TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            broker.createProjectTopics();
            Map<String, String> runnerSettings = Map.of("herdctl.runner.max-parallel-jobs", "2",
                    "herdctl.runner.stack-label", stack, "herdctl.runner.heartbeat-interval", "500ms",
                    "herdctl.runner.drain-timeout", "2s");
            for (String name : List.of("alpha", "beta")) {
                services.add(ServiceProcess.startRunner(home, broker.bootstrapServers(), name, root.resolve(stack),
                        runnerSettings));
            }
            ServiceProcess scheduler = ServiceProcess.start(home, "scheduler-service", broker.bootstrapServers(),
                    "scheduler", root, Map.of("herdctl.scheduler.tick", "200ms"));
            services.add(scheduler);
            for (ServiceProcess s : services) {
                s.awaitReady(Duration.ofSeconds(90));
            }

            // Two agents on each runner's partitions, read from the settled group: the assignor is sticky, so
            // which partitions each runner holds depends on which one joined first.
            Map<String, Set<Integer>> assignment = broker.awaitGroupAssignment(RUNNER_GROUP, Topics.JOB_REQUESTS, 2,
                    Duration.ofSeconds(60));
            System.out.println("[kill switch] job-request partitions per runner: " + assignment.values());
            List<AgentSpec> agents = new ArrayList<>();
            for (String name : twoAgentsPerRunner(assignment.values())) {
                AgentSpec agent = new AgentSpec(name, name, List.of(), null, "/fleet/" + name + ".yaml",
                        workspace.toString(), "scenario:long:120", null, null, null, "acceptEdits", Map.of(),
                        new AgentSpec.DockerSpec(true, true, "128m", 128L << 20, null, null, null, 64L, null, Map.of(),
                                5, "ro", IMAGE, "none", null, null, null, null, null),
                        1, null, null, null, null, null, null, null);
                topics.send(Topics.AGENTS, name, EventJson.write(AgentSpecResolved.of("r1", agent)));
                agents.add(agent);
            }

            List<String> jobs = new ArrayList<>();
            for (AgentSpec agent : agents) {
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    HttpResponse<String> r = post(scheduler, "/api/agents/" + agent.name() + "/trigger", "{}");
                    if (r.statusCode() == 202) {
                        jobs.add(JSON.readTree(r.body()).path("jobId").asText());
                    }
                    return r.statusCode() == 202;
                });
            }
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> jobs.stream()
                        .allMatch(id -> last(topics, id) != null && last(topics, id).status() == JobStatus.RUNNING));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("the four jobs were not all running within 60 s: " + jobs.stream()
                        .map(id -> id + "=" + describe(last(topics, id))).collect(Collectors.joining(", "))
                        + "; partitions held: " + assignment, e);
            }
            Set<String> runners = jobs.stream().map(id -> last(topics, id).runnerId()).collect(Collectors.toSet());
            assertEquals(2, runners.size(), "the four jobs run on both runners: " + runners);
            assertEquals(4, Containers.withLabel("io.herdctl.stack=" + stack).size());
            // A fifth request, past its agent's limit of one, waits on a runner; the stop must catch it too.
            AgentSpec first = agents.get(0);
            JobRequested waiting = new JobRequested(EventIds.random(), Instant.now(), 1,
                    JobIds.random(Instant.now(), ZoneOffset.UTC), first.name(), null, TriggerType.MANUAL,
                    "scenario:long:120", null, first, null);
            topics.send(Topics.JOB_REQUESTS, first.name(), EventJson.write(waiting));
            Thread.sleep(1_000);

            long start = System.nanoTime();
            HttpResponse<String> stop = post(scheduler, "/api/fleet/stop",
                    "{\"requestedBy\":\"cli:oncall@it\",\"reason\":\"drill\"}");
            assertEquals(200, stop.statusCode(), stop.body());
            long stopAnswered = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Containers.withLabel("io.herdctl.stack=" + stack).isEmpty());
            long containersGone = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> jobs.stream()
                    .allMatch(id -> last(topics, id).status().isTerminal()));
            // When the runners ended the jobs, by their own clocks against the scheduler's (one host, one clock).
            Instant stoppedAt = EventJson.read(topics.readAll(Topics.FLEET_CONTROL).get(0).value(),
                    io.herdctl.events.FleetControl.class).time();
            long lastEndMs = jobs.stream().map(id -> last(topics, id).time())
                    .mapToLong(t -> Duration.between(stoppedAt, t).toMillis()).max().orElseThrow();
            System.out.printf("[kill switch] 4 running jobs on 2 runners: stop acknowledged in %d ms; the last job "
                    + "ended (cancelled status on the topic) %d ms after the stop; every container gone within %d ms "
                    + "of the request (polled every 50 ms)%n", (stopAnswered - start) / 1_000_000, lastEndMs,
                    (containersGone - start) / 1_000_000);

            for (String id : jobs) {
                JobStatusChanged end = last(topics, id);
                assertEquals(JobStatus.CANCELLED, end.status(), id + ": " + end);
                assertEquals(ExitReason.CANCELLED, end.exitReason());
                assertTrue(end.error().contains("cli:oncall@it") && end.error().contains("drill"), end.error());
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> last(topics, waiting.jobId()) != null
                    && last(topics, waiting.jobId()).status().isTerminal());
            JobStatusChanged held = last(topics, waiting.jobId());
            assertEquals(JobStatus.CANCELLED, held.status(), "the waiting request never ran: " + held);
            assertTrue(statuses(topics, waiting.jobId()).stream().noneMatch(s -> s.status() == JobStatus.RUNNING));

            HttpResponse<String> refused = post(scheduler, "/api/agents/" + first.name() + "/trigger", "{}");
            assertEquals(409, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("FLEET_STOPPED"), refused.body());

            assertEquals(200, post(scheduler, "/api/fleet/resume", "{\"requestedBy\":\"cli:oncall@it\"}").statusCode());
            HttpResponse<String> again = post(scheduler, "/api/agents/" + first.name() + "/trigger",
                    "{\"prompt\":\"scenario:success\"}");
            assertEquals(202, again.statusCode(), again.body());
            String after = JSON.readTree(again.body()).path("jobId").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> last(topics, after) != null
                    && last(topics, after).status().isTerminal());
            assertEquals(JobStatus.COMPLETED, last(topics, after).status(), "jobs run again after the resume");
        } finally {
            services.forEach(s -> s.stop(Duration.ofSeconds(20)));
            Containers.removeLabelled("io.herdctl.stack=" + stack);
        }
    }

    private HttpResponse<String> post(ServiceProcess service, String path, String body)
            throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(service.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Two agent names for each set of job-request partitions given, each name keyed
     * into its set by the producer's default partitioner, so that each runner of
     * the group holds the requests of two agents.
     */
    private static List<String> twoAgentsPerRunner(Collection<Set<Integer>> partitionsPerRunner) {
        int partitions = Topics.spec(Topics.JOB_REQUESTS).partitions();
        List<String> names = new ArrayList<>();
        for (Set<Integer> mine : partitionsPerRunner) {
            int found = 0;
            for (int i = 0; found < 2; i++) {
                String name = "sleeper-" + i;
                if (!names.contains(name)
                        && mine.contains(Utils.toPositive(Utils.murmur2(name.getBytes(StandardCharsets.UTF_8))) % partitions)) {
                    names.add(name);
                    found++;
                }
            }
        }
        return names;
    }

    private static String describe(JobStatusChanged status) {
        return status == null ? "no status" : status.status() + "@" + status.runnerId();
    }

    private static List<JobStatusChanged> statuses(TopicClient topics, String jobId) {
        return topics.readAll(Topics.JOB_STATUS).stream().filter(r -> jobId.equals(r.key()))
                .map(r -> EventJson.read(r.value(), JobStatusChanged.class)).toList();
    }

    private static JobStatusChanged last(TopicClient topics, String jobId) {
        List<JobStatusChanged> s = statuses(topics, jobId);
        return s.isEmpty() ? null : s.stream().filter(x -> x.status().isTerminal()).findFirst()
                .orElse(s.get(s.size() - 1));
    }
}
