package io.herdctl.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.config.fleet.FleetLoader;
import io.herdctl.config.fleet.LoadedFleet;
import io.herdctl.events.AgentSpec;
import io.herdctl.events.EventIds;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobOutputEmitted;
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
 * One job of each shipped security profile (examples/profile-*) on the real
 * Docker engine. Each profile is copied to a temp directory and loaded by the
 * fleet loader as config-service loads it; only the image is swapped for the
 * scripted test agent, which probes its container from inside and sends nothing
 * anywhere. The runner is set up as the profiles' READMEs ask: job containers
 * that ask for bridge go on an {@code internal} network with no way out (the
 * egress network; no proxy is needed when nothing leaves), and agents may keep
 * a network their fleet file granted, so the host-network profiles run on the
 * host's network as the fleet-level override says.
 */
class SecurityProfilesIT {

    static final String IMAGE = "herdctl/test-agent:latest";
    static final String TOKEN = "ghp_profileTestToken0000000000000000000";
    static final Duration READY = Duration.ofSeconds(90);

    static final String STACK = "it-profiles-" + UUID.randomUUID().toString().substring(0, 8);
    static final String NETWORK = "herdctl-" + STACK;

    static Path home;
    static Path root;
    static EmbeddedKafkaBroker broker;
    static TopicClient topics;
    static ServiceProcess runner;
    static String subnet;

    @BeforeAll
    static void start() throws IOException {
        home = Path.of(System.getProperty("herdctl.home", "../..")).toAbsolutePath().normalize();
        root = Files.createTempDirectory("herdctl-profiles-");
        broker = EmbeddedKafkaBroker.startEphemeral();
        broker.createProjectTopics();
        topics = new TopicClient(broker.bootstrapServers());
        docker("network", "create", "--internal", "--label", "io.herdctl.stack=" + STACK, NETWORK);
        subnet = docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", NETWORK).strip();
        // trusted-production passes GITHUB_TOKEN through fleet env; the runner resolves it from its env file.
        Path envFile = Files.writeString(root.resolve("runner.env"), "GITHUB_TOKEN=" + TOKEN + "\n");
        runner = ServiceProcess.startRunner(home, broker.bootstrapServers(), "profiles", root.resolve("state"), Map.of(
                "herdctl.runner.max-parallel-jobs", "4",
                "herdctl.runner.stack-label", STACK,
                "herdctl.runner.env-file", envFile.toString(),
                "herdctl.runner.egress.network", NETWORK,
                "herdctl.runner.egress.allow-agent-networks", "true",
                "herdctl.runner.drain-timeout", "2s")).awaitReady(READY);
    }

    @AfterAll
    static void stop() throws IOException {
        if (runner != null) {
            runner.stop(Duration.ofSeconds(20));
        }
        Containers.removeLabelled("io.herdctl.stack=" + STACK);
        docker("network", "rm", NETWORK);
        if (topics != null) {
            topics.close();
        }
        if (broker != null) {
            broker.close();
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One profile, copied, loaded, and its agent with the test-agent image. */
    private static AgentSpec profileAgent(String profile) throws IOException {
        Path from = home.resolve("examples").resolve(profile);
        Path to = root.resolve(profile);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.filter(p -> !p.toString().contains("/.herdctl")).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals(".env")) {
                    Files.copy(p, target);
                }
            }
        }
        // Job containers run as the runner's uid, or 1000:1000 when the test runs as root: let either write.
        Files.setPosixFilePermissions(to.resolve("workspace"), PosixFilePermissions.fromString("rwxrwxrwx"));
        LoadedFleet fleet = new FleetLoader(Map.of("GITHUB_TOKEN", TOKEN)).load(to);
        assertTrue(fleet.accepted(), () -> profile + ": " + fleet.errors());
        assertEquals(1, fleet.agents().size());
        AgentSpec a = fleet.agents().get(0);
        assertTrue(a.workingDirectory().startsWith(to.toString()), a.workingDirectory());
        AgentSpec.DockerSpec d = a.docker();
        AgentSpec.DockerSpec testImage = new AgentSpec.DockerSpec(d.enabled(), d.ephemeral(), d.memory(), d.memoryBytes(),
                d.cpuShares(), d.cpuPeriod(), d.cpuQuota(), d.pidsLimit(), d.tmpfs(), d.labels(), d.maxContainers(),
                d.workspaceMode(), IMAGE, d.network(), d.user(), d.volumes(), d.ports(), d.env(), d.hostConfig());
        return new AgentSpec(a.qualifiedName(), a.name(), a.fleetPath(), a.description(), a.sourceFile(),
                a.workingDirectory(), a.defaultPrompt(), a.systemPrompt(), a.model(), a.maxTurns(), a.permissionMode(),
                a.schedules(), testImage, a.maxConcurrent(), a.tools(), a.allowedTools(), a.deniedTools(),
                a.mcpServers(), a.timeout(), a.timeoutMillis(), a.sessionTimeoutMillis(), a.allowBypassWithoutDocker());
    }

    /** @param scenario what the test agent does: {@code probe} its container, or list its {@code argv} and env names */
    private static JobRequested request(AgentSpec spec, String scenario) {
        JobRequested job = new JobRequested(EventIds.random(), Instant.now(), 1, JobIds.random(Instant.now(), ZoneOffset.UTC),
                spec.qualifiedName(), null, TriggerType.MANUAL, "scenario:" + scenario, null, spec, null);
        topics.send(Topics.JOB_REQUESTS, spec.qualifiedName(), EventJson.write(job));
        return job;
    }

    @Test
    void oneJobOfEachProfileRunsAsTheProfileSays() throws IOException {
        long started = Instant.now().getEpochSecond() - 1;
        Map<String, JobRequested> jobs = new LinkedHashMap<>();
        for (String profile : List.of("profile-max-security", "profile-trusted-production", "profile-development",
                "profile-homelab")) {
            jobs.put(profile, request(profileAgent(profile), profile.equals("profile-trusted-production") ? "argv" : "probe"));
        }
        Map<String, List<JobStatusChanged>> statuses = awaitAllTerminal(List.copyOf(jobs.values()));
        jobs.forEach((profile, job) -> {
            List<JobStatusChanged> s = statuses.get(job.jobId());
            JobStatusChanged last = s.get(s.size() - 1);
            assertEquals(JobStatus.COMPLETED, last.status(), () -> profile + ": " + last.error());
        });

        // Maximum security: read-only workspace, ephemeral, and on the egress network (bridge swapped for it).
        JobRequested max = jobs.get("profile-max-security");
        String maxProbe = probe(max);
        assertTrue(maxProbe.contains("workspace_writable=no"), maxProbe);
        assertTrue(maxProbe.contains("root_writable=no"), maxProbe);
        String address = running(statuses.get(max.jobId())).address();
        assertNotNull(address, "a container on the egress network has an address there");
        assertTrue(inSubnet(address, subnet), address + " in " + subnet);
        assertTrue(Containers.withLabel("io.herdctl.job-id=" + max.jobId()).isEmpty(), "ephemeral: removed after its job");

        // Trusted production: a warm container kept for the next job, its workspace writable, on the egress network,
        // and the token in the job's environment (given to each docker exec, not kept in the container's config).
        JobRequested prod = jobs.get("profile-trusted-production");
        String envNames = line(prod, "env: ");
        assertTrue(List.of(envNames.split("[ \"]")).contains("GITHUB_TOKEN"), envNames);
        JsonNode prodContainer = warmContainer("coder");
        assertEquals(NETWORK, prodContainer.at("/HostConfig/NetworkMode").asText());
        assertEquals(2L << 30, prodContainer.at("/HostConfig/Memory").asLong());
        assertTrue(workspaceMount(prodContainer).get("RW").asBoolean(), prodContainer.at("/Mounts").toString());
        assertTrue(!env(prodContainer).contains(TOKEN), "the token is not in the kept container's configuration");

        // Development and homelab: the host's network, as their fleet files grant; no address of their own.
        for (String profile : List.of("profile-development", "profile-homelab")) {
            JobRequested job = jobs.get(profile);
            assertTrue(probe(job).contains("workspace_writable=yes"), probe(job));
            assertNull(running(statuses.get(job.jobId())).address(), profile);
        }
        JsonNode dev = warmContainer("dev-agent");
        assertEquals("host", dev.at("/HostConfig/NetworkMode").asText());
        assertEquals(4L << 30, dev.at("/HostConfig/Memory").asLong());
        // homelab's container was fresh for its job and is gone: the engine's events say which network it joined.
        JobRequested homelab = jobs.get("profile-homelab");
        assertTrue(Containers.withLabel("io.herdctl.job-id=" + homelab.jobId()).isEmpty(), "ephemeral");
        assertEquals(List.of("host"), networksJoined(running(statuses.get(homelab.jobId())).containerId(), started));
    }

    private static Map<String, List<JobStatusChanged>> awaitAllTerminal(List<JobRequested> jobs) {
        var ids = jobs.stream().map(JobRequested::jobId).collect(Collectors.toSet());
        Map<String, List<JobStatusChanged>> found = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            found.clear();
            topics.readAll(Topics.JOB_STATUS).stream().map(r -> EventJson.read(r.value(), JobStatusChanged.class))
                    .filter(s -> ids.contains(s.jobId()))
                    .forEach(s -> found.computeIfAbsent(s.jobId(), k -> new ArrayList<>()).add(s));
            return found.size() == jobs.size()
                    && found.values().stream().allMatch(l -> l.get(l.size() - 1).status().isTerminal());
        });
        return found;
    }

    private static JobStatusChanged running(List<JobStatusChanged> statuses) {
        return statuses.stream().filter(s -> s.status() == JobStatus.RUNNING).findFirst().orElseThrow();
    }

    /** The test agent's probe line: uid, capabilities, and which paths it could write. */
    private static String probe(JobRequested job) {
        return line(job, "probe uid=");
    }

    /** The job's first output line holding {@code text}. */
    private static String line(JobRequested job, String text) {
        return topics.readAll(Topics.JOB_OUTPUT).stream().map(r -> EventJson.read(r.value(), JobOutputEmitted.class))
                .filter(o -> o.jobId().equals(job.jobId()) && o.raw().contains(text))
                .map(JobOutputEmitted::raw).findFirst()
                .orElseThrow(() -> new AssertionError("no \"" + text + "\" from " + job.agent()));
    }

    /** The networks a container joined since {@code sinceEpochSecond}, from the engine's event log. */
    private static List<String> networksJoined(String containerId, long sinceEpochSecond) {
        String events = docker("events", "--since", Long.toString(sinceEpochSecond), "--until",
                Long.toString(Instant.now().getEpochSecond() + 1), "--filter", "type=network", "--filter", "event=connect",
                "--format", "{{.Actor.Attributes.container}} {{.Actor.Attributes.name}}");
        return events.lines().map(l -> l.split(" ", 2)).filter(f -> f.length == 2 && f[0].startsWith(containerId))
                .map(f -> f[1]).toList();
    }

    private static JsonNode workspaceMount(JsonNode container) {
        for (JsonNode m : container.at("/Mounts")) {
            if (m.get("Destination").asText().equals("/workspace")) {
                return m;
            }
        }
        throw new AssertionError("no /workspace mount: " + container.at("/Mounts"));
    }

    /** The agent's kept container ({@code ephemeral: false}), as {@code docker inspect} sees it. */
    private static JsonNode warmContainer(String agent) throws IOException {
        List<String> ids = Containers.withLabel("io.herdctl.agent=" + agent).stream()
                .filter(id -> Containers.withLabel("io.herdctl.stack=" + STACK).contains(id)).toList();
        assertEquals(1, ids.size(), agent + ": " + ids);
        return EventJson.mapper().readTree(docker("inspect", ids.get(0))).get(0);
    }

    private static String env(JsonNode container) {
        List<String> out = new ArrayList<>();
        container.at("/Config/Env").forEach(v -> out.add(v.asText()));
        return String.join("\n", out);
    }

    private static boolean inSubnet(String address, String cidr) throws IOException {
        String[] parts = cidr.split("/");
        byte[] a = InetAddress.getByName(address).getAddress();
        byte[] n = InetAddress.getByName(parts[0]).getAddress();
        int bits = Integer.parseInt(parts[1]);
        BigInteger mask = BigInteger.ONE.shiftLeft(a.length * 8).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(a.length * 8 - bits).subtract(BigInteger.ONE));
        return a.length == n.length && new BigInteger(1, a).and(mask).equals(new BigInteger(1, n).and(mask));
    }

    private static String docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
