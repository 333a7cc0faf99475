package io.herdctl.runner.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.EventIds;
import io.herdctl.events.EventJson;
import io.herdctl.events.ExitReason;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.runner.docker.Labels;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.KafkaBrokerResource;
import io.herdctl.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Jobs on the real Docker engine, requested and observed through the real broker. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class JobRunnerDockerTest {

    static final String IMAGE = "herdctl/test-agent:latest";
    static Path workspace;

    EmbeddedKafkaBroker broker;

    @Inject
    DockerClient docker;

    @BeforeAll
    static void workspace() throws IOException {
        workspace = Files.createTempDirectory("herdctl-ws-");
    }

    @AfterAll
    static void cleanup() throws IOException {
        Files.deleteIfExists(workspace);
    }

    static AgentSpec agent(String name, boolean enabled, String image, Map<String, String> env) {
        return new AgentSpec(name, name, List.of(), null, "/fleet/" + name + ".yaml", workspace.toString(), null, null,
                null, null, "acceptEdits", Map.of(),
                new AgentSpec.DockerSpec(enabled, true, "256m", 256L << 20, null, null, null, 64L, null,
                        Map.of("team", "qa"), 5, "ro", image, "none", null, null, null, env, null),
                1);
    }

    private JobRequested request(TopicClient topics, AgentSpec agent, String prompt) {
        JobRequested job = new JobRequested(EventIds.random(), Instant.now(), 1, JobIds.random(Instant.now(), ZoneOffset.UTC),
                agent.qualifiedName(), null, TriggerType.MANUAL, prompt, null, agent);
        topics.send(Topics.JOB_REQUESTS, agent.qualifiedName(), EventJson.write(job));
        return job;
    }

    private static List<JobStatusChanged> statuses(TopicClient topics, String jobId) {
        return topics.readAll(Topics.JOB_STATUS).stream().map(r -> EventJson.read(r.value(), JobStatusChanged.class))
                .filter(s -> s.jobId().equals(jobId)).collect(Collectors.toList());
    }

    private static JobStatusChanged terminal(TopicClient topics, String jobId) {
        AtomicReference<JobStatusChanged> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<JobStatusChanged> s = statuses(topics, jobId);
            if (!s.isEmpty() && s.get(s.size() - 1).status().isTerminal()) {
                last.set(s.get(s.size() - 1));
                return true;
            }
            return false;
        });
        return last.get();
    }

    private static List<JobOutputEmitted> output(TopicClient topics, String jobId) {
        return topics.readAll(Topics.JOB_OUTPUT).stream().map(r -> EventJson.read(r.value(), JobOutputEmitted.class))
                .filter(o -> o.jobId().equals(jobId)).collect(Collectors.toList());
    }

    private List<Container> containersOf(String jobId) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.JOB_ID, jobId)).exec();
    }

    @Test
    void runsAHardenedContainerAndStreamsEveryLineInOrder() {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            JobRequested job = request(topics, agent("hardened", true, IMAGE, Map.of()), "scenario:slow:4:1");

            AtomicReference<InspectContainerResponse> inspected = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                List<Container> found = containersOf(job.jobId());
                if (found.isEmpty()) {
                    return false;
                }
                inspected.set(docker.inspectContainerCmd(found.get(0).getId()).exec());
                return true;
            });
            HostConfig host = inspected.get().getHostConfig();
            assertEquals(List.of(Capability.ALL), List.of(host.getCapDrop()));
            assertTrue(host.getSecurityOpts().contains("no-new-privileges:true"), host.getSecurityOpts().toString());
            assertEquals(256L << 20, host.getMemory());
            assertEquals(host.getMemory(), host.getMemorySwap(), "no swap beyond the memory limit");
            assertEquals(64L, host.getPidsLimit());
            assertEquals(Boolean.TRUE, host.getInit());
            assertEquals(Boolean.TRUE, host.getReadonlyRootfs());
            assertEquals("none", host.getNetworkMode());
            String user = inspected.get().getConfig().getUser();
            assertFalse(user.isEmpty() || user.startsWith("0"), "runs as " + user);
            Map<String, String> labels = inspected.get().getConfig().getLabels();
            assertEquals("herdctl", labels.get(Labels.MANAGED_BY));
            assertEquals(job.jobId(), labels.get(Labels.JOB_ID));
            assertEquals("hardened", labels.get(Labels.AGENT));
            assertEquals("qa", labels.get("team"));

            JobStatusChanged done = terminal(topics, job.jobId());
            assertEquals(JobStatus.COMPLETED, done.status(), () -> String.valueOf(done.error()));
            assertEquals(ExitReason.SUCCESS, done.exitReason());
            assertEquals(0, done.exitCode());
            assertNotNull(done.sessionId());
            assertEquals(0.0123, done.usage().totalCostUsd());
            assertEquals("printed 4 slow lines", done.summary());
            assertTrue(done.durationMs() >= 3000, "the job took its time: " + done.durationMs());
            assertEquals(JobStatus.RUNNING, statuses(topics, job.jobId()).get(0).status());

            List<JobOutputEmitted> lines = output(topics, job.jobId());
            assertEquals(6, lines.size(), "init, 4 lines, result");
            for (int i = 0; i < lines.size(); i++) {
                assertEquals(i + 1, lines.get(i).seq());
            }
            assertEquals("system", lines.get(0).type());
            assertEquals("slow line 4", lines.get(4).entry().get("content"));
            assertEquals("tool_result", lines.get(5).type());
            assertTrue(containersOf(job.jobId()).isEmpty(), "the container is removed after the job");
        }
    }

    @Test
    void reportsFailuresWithTheirReason() {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            JobRequested fails = request(topics, agent("failing", true, IMAGE, Map.of()), "scenario:fail");
            JobRequested silent = request(topics, agent("silent", true, IMAGE, Map.of()), "scenario:noresult");
            JobRequested noImage = request(topics, agent("noimage", true, "herdctl/not-built:nope", Map.of()), "x");
            JobRequested host = request(topics, agent("hosty", false, IMAGE, Map.of()), "x");

            JobStatusChanged failed = terminal(topics, fails.jobId());
            assertEquals(JobStatus.FAILED, failed.status());
            assertEquals(3, failed.exitCode());
            assertEquals("Claude CLI exited with code 3: scripted failure", failed.error());

            JobStatusChanged noResult = terminal(topics, silent.jobId());
            assertEquals(JobStatus.FAILED, noResult.status());
            assertTrue(noResult.error().startsWith("the run ended without a result message"), noResult.error());

            JobStatusChanged missing = terminal(topics, noImage.jobId());
            assertEquals(JobStatus.FAILED, missing.status());
            assertTrue(missing.error().contains("never pulled"), missing.error());

            JobStatusChanged refused = terminal(topics, host.jobId());
            assertTrue(refused.error().contains("docker.enabled is false"), refused.error());
        }
    }

    @Test
    void redactsSecretsBeforeTheyReachATopic() {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            JobRequested job = request(topics, agent("leaky", true, IMAGE,
                    Map.of("GITHUB_TOKEN", "${HERDCTL_TEST_UNSET_TOKEN:-token-value-from-fleet-env}")), "scenario:secret");
            assertEquals(JobStatus.COMPLETED, terminal(topics, job.jobId()).status());
            String all = output(topics, job.jobId()).stream().map(EventJson::write).collect(Collectors.joining("\n"));
            assertFalse(all.contains("token-value-from-fleet-env"), all);
            assertFalse(all.contains("ghp_abcdefghijklmnopqrstuvwxyz0123456789AB"), all);
            assertTrue(all.contains("[REDACTED:env:GITHUB_TOKEN]"), all);
            assertTrue(all.contains("[REDACTED:github-token]"), all);
        }
    }
}
