package io.herdctl.runner.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.EventIds;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobCancelRequested;
import io.herdctl.events.JobIds;
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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The egress settings on the real Docker engine: job containers end up on the
 * test's own {@code internal} network and nowhere else, their processes see the
 * proxy variables (over the agent's own), and the {@code running} status says
 * their address on that network. Nothing listens behind the proxy URL: only
 * where traffic would go is checked, none is sent.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@TestProfile(EgressDockerTest.Egress.class)
class EgressDockerTest {

    static final String IMAGE = JobRunnerDockerTest.IMAGE;
    /** Named after the JVM, not a random value: the profile is read in more than one class loader. */
    static final String NETWORK = "herdctl-test-egress-" + ProcessHandle.current().pid();
    static final String PROXY = "http://squid:3128";
    static final String DIRECT = "localhost,127.0.0.1,::1,internal.example,.svc";
    static Path workspace;

    public static class Egress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("herdctl.runner.egress.network", NETWORK,
                    "herdctl.runner.egress.proxy", PROXY,
                    "herdctl.runner.egress.no-proxy", "internal.example,.svc");
        }
    }

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

    static AgentSpec agent(String name, boolean ephemeral, String network, Map<String, String> env) {
        return new AgentSpec(name, name, List.of(), null, "/fleet/" + name + ".yaml", workspace.toString(), null, null,
                null, null, "acceptEdits", Map.of(),
                new AgentSpec.DockerSpec(true, ephemeral, "256m", 256L << 20, null, null, null, 64L, null,
                        Map.of("team", "qa"), 1, "ro", IMAGE, network, null, null, null, env, null),
                1, null, null, null, null, null, null, null);
    }

    private static JobRequested request(TopicClient topics, AgentSpec agent, String prompt) {
        JobRequested job = new JobRequested(EventIds.random(), Instant.now(), 1, JobIds.random(Instant.now(), ZoneOffset.UTC),
                agent.qualifiedName(), null, TriggerType.MANUAL, prompt, null, agent, null);
        topics.send(Topics.JOB_REQUESTS, agent.qualifiedName(), EventJson.write(job));
        return job;
    }

    private static List<JobStatusChanged> statuses(TopicClient topics, String jobId) {
        return topics.readAll(Topics.JOB_STATUS).stream().map(r -> EventJson.read(r.value(), JobStatusChanged.class))
                .filter(s -> s.jobId().equals(jobId)).toList();
    }

    private static JobStatusChanged awaitStatus(TopicClient topics, String jobId, java.util.function.Predicate<JobStatus> which) {
        AtomicReference<JobStatusChanged> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            statuses(topics, jobId).stream().filter(s -> which.test(s.status())).findFirst().ifPresent(found::set);
            return found.get() != null;
        });
        return found.get();
    }

    private static void cancel(TopicClient topics, String jobId) {
        topics.send(Topics.JOB_CONTROL, jobId, EventJson.write(new JobCancelRequested(EventIds.random(), Instant.now(),
                JobCancelRequested.SCHEMA_VERSION, jobId, "test", "seen enough")));
    }

    /** Creates the test's internal network (no way out) and returns its subnet. */
    private String createNetwork() {
        docker.createNetworkCmd().withName(NETWORK).withInternal(true).withLabels(Map.of("io.herdctl.test", "true")).exec();
        return docker.inspectNetworkCmd().withNetworkId(NETWORK).exec().getIpam().getConfig().get(0).getSubnet();
    }

    /** Removes the agent's containers (a failed test may leave one) and then the network. */
    private void removeNetwork(String agent) {
        docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(Labels.AGENT, agent)).exec()
                .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec());
        docker.removeNetworkCmd(NETWORK).exec();
    }

    private InspectContainerResponse awaitRunning(Map<String, String> labels) {
        AtomicReference<InspectContainerResponse> inspected = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Container> found = docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
            if (found.isEmpty() || !"running".equals(found.get(0).getState())) {
                return false;
            }
            inspected.set(docker.inspectContainerCmd(found.get(0).getId()).exec());
            return true;
        });
        return inspected.get();
    }

    /** Runs a shell script inside the container (as its own user) and returns what it printed. */
    private String inside(String containerId, String script) throws InterruptedException {
        String exec = docker.execCreateCmd(containerId).withCmd("sh", "-c", script).withAttachStdout(true)
                .withAttachStderr(true).exec().getId();
        StringBuffer out = new StringBuffer();
        docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(30, TimeUnit.SECONDS);
        return out.toString();
    }

    /** The environment of the job's own Claude Code process (the scripted stand-in), one variable a line. */
    private String jobProcessEnv(String containerId) {
        AtomicReference<String> env = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            env.set(inside(containerId, "for p in /proc/[0-9]*; do if [ \"$(cat $p/comm 2>/dev/null)\" = claude ]; then "
                    + "tr '\\0' '\\n' < $p/environ; break; fi; done"));
            return !env.get().isBlank();
        });
        return env.get();
    }

    /** Proves from inside the container and from the engine that it is on the test network alone, with the proxy. */
    private void assertOnlyOnTheEgressNetwork(InspectContainerResponse c, String subnet, JobStatusChanged running)
            throws InterruptedException, IOException {
        assertEquals(NETWORK, c.getHostConfig().getNetworkMode());
        assertEquals(Set.of(NETWORK), c.getNetworkSettings().getNetworks().keySet(), "attached to the egress network only");
        String address = c.getNetworkSettings().getNetworks().get(NETWORK).getIpAddress();
        assertEquals(address, running.address(), "the running status says the container's address");
        assertTrue(inSubnet(running.address(), subnet), running.address() + " is not in " + subnet);

        String interfaces = inside(c.getId(), "ls /sys/class/net | sort | tr '\\n' ' '; echo; hostname -I");
        assertEquals("eth0 lo \n" + address + " \n", interfaces, "one interface besides loopback, with that address");

        List<String> env = Arrays.asList(jobProcessEnv(c.getId()).split("\n"));
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
            assertTrue(env.contains(name + "=" + PROXY), name + " in " + env);
        }
        assertTrue(env.contains("NO_PROXY=" + DIRECT), env.toString());
        assertTrue(env.contains("no_proxy=" + DIRECT), env.toString());
        assertTrue(env.contains("MODE=fast"), "the agent's other variables stay: " + env);
        assertFalse(env.stream().anyMatch(e -> e.contains("elsewhere")), "the agent's proxy was replaced: " + env);
    }

    static boolean inSubnet(String ip, String cidr) throws java.net.UnknownHostException {
        String[] parts = cidr.split("/");
        byte[] a = InetAddress.getByName(ip).getAddress();
        byte[] net = InetAddress.getByName(parts[0]).getAddress();
        int bits = Integer.parseInt(parts[1]);
        if (a.length != net.length) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (net[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aJobContainerJoinsOnlyTheEgressNetworkAndUsesTheProxy() throws Exception {
        String subnet = createNetwork();
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            JobRequested job = request(topics, agent("egressed", true, null,
                    Map.of("MODE", "fast", "HTTP_PROXY", "http://elsewhere:8080", "https_proxy", "http://elsewhere:8080")),
                    "scenario:long:60");
            InspectContainerResponse c = awaitRunning(Map.of(Labels.JOB_ID, job.jobId()));
            JobStatusChanged running = awaitStatus(topics, job.jobId(), s -> s == JobStatus.RUNNING);
            assertNotNull(running.address(), "a container job's running status carries its address");
            assertOnlyOnTheEgressNetwork(c, subnet, running);

            cancel(topics, job.jobId());
            JobStatusChanged done = awaitStatus(topics, job.jobId(), JobStatus::isTerminal);
            assertEquals(JobStatus.CANCELLED, done.status());
            assertNull(done.address(), "only the running status carries the address");
            await().atMost(Duration.ofSeconds(10)).until(() -> docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(Labels.JOB_ID, job.jobId())).exec().isEmpty());
        } finally {
            removeNetwork("egressed");
        }
    }

    @Test
    void warmContainersJoinTheEgressNetworkAndTheirJobsUseTheProxy() throws Exception {
        String subnet = createNetwork();
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            JobRequested job = request(topics, agent("egressed-warm", false, "bridge",
                    Map.of("MODE", "fast", "HTTP_PROXY", "http://elsewhere:8080")), "scenario:long:60");
            JobStatusChanged running = awaitStatus(topics, job.jobId(), s -> s == JobStatus.RUNNING);
            InspectContainerResponse c = docker.inspectContainerCmd(running.containerId()).exec();
            assertOnlyOnTheEgressNetwork(c, subnet, running);

            cancel(topics, job.jobId());
            assertEquals(JobStatus.CANCELLED, awaitStatus(topics, job.jobId(), JobStatus::isTerminal).status());
            await().atMost(Duration.ofSeconds(10)).until(() -> docker.listContainersCmd().withShowAll(true)
                    .withIdFilter(List.of(running.containerId())).exec().isEmpty());
        } finally {
            removeNetwork("egressed-warm");
        }
    }

    @Test
    void otherNetworksAreRefusedAndNoneStaysNone() {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            JobRequested host = request(topics, agent("hostnet", true, "host", Map.of()), "scenario:success");
            JobRequested isolated = request(topics, agent("isolated", true, "none", Map.of()), "scenario:success");

            JobStatusChanged refused = awaitStatus(topics, host.jobId(), JobStatus::isTerminal);
            assertEquals(JobStatus.FAILED, refused.status());
            assertTrue(refused.error().startsWith("docker.network \"host\" is refused: this runner sends job traffic "
                    + "only through the egress proxy, on network \"" + NETWORK + "\" (herdctl.runner.egress.network)"),
                    refused.error());
            assertEquals(List.of(JobStatus.PENDING, JobStatus.FAILED),
                    statuses(topics, host.jobId()).stream().map(JobStatusChanged::status).toList(), "it never ran");

            JobStatusChanged done = awaitStatus(topics, isolated.jobId(), JobStatus::isTerminal);
            assertEquals(JobStatus.COMPLETED, done.status(), () -> String.valueOf(done.error()));
            JobStatusChanged running = awaitStatus(topics, isolated.jobId(), s -> s == JobStatus.RUNNING);
            assertNull(running.address(), "a container without a network has no address");
        }
    }
}
