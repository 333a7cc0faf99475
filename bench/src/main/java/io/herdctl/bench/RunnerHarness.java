package io.herdctl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.EventIds;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobIds;
import io.herdctl.events.JobRequested;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.launcher.Containers;
import io.herdctl.launcher.ServiceProcess;
import io.herdctl.testsupport.EmbeddedKafkaBroker;

/**
 * What the runner benchmarks share: an in-process broker on 127.0.0.1 with the
 * project's topics, runner-service replicas as processes of their own, job
 * requests published the way the scheduler publishes them, and the bare
 * {@code docker run} baseline with the same image, limits and user. Every
 * container either side starts carries {@code io.herdctl.stack=<id>}; closing
 * (also on failure, and on Ctrl-C through a shutdown hook) stops the runners,
 * removes whatever container still has that label, stops the broker and
 * deletes the temp directory. Benchmarks of other services use the same
 * lifecycle: {@link #service} starts any service as a process of its own
 * (stopped on close, its log printed on failure) and {@link #sendAll} publishes
 * records on any topic.
 */
final class RunnerHarness implements AutoCloseable {

    static final String IMAGE = "herdctl/test-agent:latest";
    static final String MEMORY = "256m";
    static final long PIDS_LIMIT = 64;
    /** The consumer group all runner replicas share (runner-service's application.properties). */
    static final String RUNNER_GROUP = "runner-service";
    static final Duration READY = Duration.ofSeconds(90);

    private final Path home;
    private final Path root;
    private final Path workspace;
    private final String stackId;
    private final String user = BareDocker.defaultUser();
    private final List<ServiceProcess> runners = new ArrayList<>();
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Thread hook = new Thread(this::close, "bench-cleanup");
    private EmbeddedKafkaBroker broker;
    private KafkaProducer<String, String> producer;
    private boolean closed;

    /** A request on the topic, with the {@link System#nanoTime()} taken just before it was sent. */
    record Published(String jobId, String agent, String prompt, long sentNanos) {
    }

    private RunnerHarness(String name) throws IOException {
        home = Path.of(System.getProperty("herdctl.home", ".")).toAbsolutePath().normalize();
        root = Files.createTempDirectory("herdctl-bench-" + name + "-");
        workspace = Files.createDirectories(root.resolve("workspace"));
        stackId = "bench-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** What a benchmark does with the harness. */
    interface Body {
        void run(RunnerHarness h) throws Exception;
    }

    /**
     * Starts a harness, runs the benchmark and cleans up whatever happens; when it
     * fails, the end of every service's log is printed first (the logs are in the temp
     * directory that cleaning up deletes).
     */
    static void run(String name, Body body) throws Exception {
        try (RunnerHarness h = start(name)) {
            try {
                body.run(h);
            } catch (Exception | Error e) {
                System.err.println("the benchmark failed: " + e);
                System.err.println(h.serviceLogs());
                throw e;
            }
        }
    }

    /** A broker with the project's topics, and a producer for job requests; nothing runs jobs yet. */
    static RunnerHarness start(String name) throws IOException {
        RunnerHarness h = new RunnerHarness(name);
        Runtime.getRuntime().addShutdownHook(h.hook);
        try {
            h.broker = EmbeddedKafkaBroker.startEphemeral();
            h.broker.createProjectTopics();
            h.producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, h.broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, "0"), new StringSerializer(), new StringSerializer());
            return h;
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    String label() {
        return "io.herdctl.stack=" + stackId;
    }

    Path workspace() {
        return workspace;
    }

    /** Starts a runner replica named {@code name} (its id is that plus a random suffix) and waits until it is ready. */
    ServiceProcess runner(String name, int maxParallelJobs) {
        ServiceProcess r = ServiceProcess.startRunner(home, broker.bootstrapServers(), name, root.resolve("state"), Map.of(
                "herdctl.runner.max-parallel-jobs", Integer.toString(maxParallelJobs),
                "herdctl.runner.stack-label", stackId,
                "herdctl.runner.default-user", user,
                "herdctl.runner.tmpfs-size", "512m"));
        runners.add(r);
        return r.awaitReady(READY);
    }

    /**
     * Starts a service of the project ({@code module}, e.g. {@code scheduler-service})
     * logging to {@code <state>/<name>.log}, and waits until it is ready.
     */
    ServiceProcess service(String module, String name, Map<String, String> settings) {
        ServiceProcess s = ServiceProcess.start(home, module, broker.bootstrapServers(), name, root.resolve("state"),
                settings);
        services.add(s);
        return s.awaitReady(READY);
    }

    /**
     * Waits until the runners' consumer group is stable with exactly {@code replicas}
     * members, each holding job-request partitions and all of them held, so no
     * rebalance happens while jobs are being timed.
     */
    void awaitRunnerGroup(int replicas, Duration timeout) throws InterruptedException {
        broker.awaitGroupAssignment(RUNNER_GROUP, Topics.JOB_REQUESTS, replicas, timeout);
    }

    /** Stops every runner started so far (SIGTERM; they have no jobs left by then). */
    void stopRunners() {
        for (ServiceProcess r : runners) {
            r.stop(Duration.ofSeconds(30));
        }
        runners.clear();
    }

    /** Last lines of each service's log, for a failure message. */
    String serviceLogs() {
        StringBuilder s = new StringBuilder();
        try (Stream<Path> logs = Files.list(root.resolve("state"))) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                s.append("\n--- ").append(log).append(" (last 60 lines)\n");
                lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(l -> s.append(l).append('\n'));
            }
        } catch (IOException e) {
            s.append("(no service logs: ").append(e.getMessage()).append(")");
        }
        return s.toString();
    }

    /** A container agent as config-service would resolve it: the benchmark's image, limits and workspace. */
    AgentSpec agent(String name) {
        return agent(name, Map.of());
    }

    /** {@link #agent(String)} with schedules (at most one job at a time). */
    AgentSpec agent(String name, Map<String, AgentSpec.ScheduleSpec> schedules) {
        return new AgentSpec(name, name, List.of(), null, "/bench/" + name + ".yaml", workspace.toString(), null, null,
                null, null, "acceptEdits", schedules,
                new AgentSpec.DockerSpec(true, true, MEMORY, 256L << 20, null, null, null, PIDS_LIMIT, null, Map.of(), 5,
                        "rw", IMAGE, "none", null, null, null, null, null),
                1, null, null, null, null, null, null, null);
    }

    /** Publishes one request and waits for the broker's acknowledgement. */
    Published publish(String agent, String prompt) throws InterruptedException, ExecutionException {
        List<Published> one = publishAll(List.of(agent), List.of(prompt));
        return one.get(0);
    }

    /**
     * Publishes the requests ({@code agents.get(i)} runs {@code prompts.get(i)}) without
     * waiting between them, then waits for every acknowledgement.
     */
    List<Published> publishAll(List<String> agents, List<String> prompts) throws InterruptedException, ExecutionException {
        Map<String, AgentSpec> specs = new HashMap<>();
        List<Published> sent = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            String agent = agents.get(i);
            AgentSpec spec = specs.computeIfAbsent(agent, this::agent);
            Instant now = Instant.now();
            JobRequested job = new JobRequested(EventIds.random(), now, JobRequested.SCHEMA_VERSION,
                    JobIds.random(now, ZoneOffset.UTC), agent, null, TriggerType.MANUAL, prompts.get(i), null, spec, null);
            String value = EventJson.write(job);
            long t = System.nanoTime();
            acks.add(producer.send(new ProducerRecord<>(Topics.JOB_REQUESTS, agent, value)));
            sent.add(new Published(job.jobId(), agent, job.prompt(), t));
        }
        awaitAcks(acks, "a job request");
        return sent;
    }

    /**
     * Publishes the records on {@code topic} ({@code key → value}, in the map's order)
     * without waiting between them, then waits for every acknowledgement.
     */
    void sendAll(String topic, Map<String, String> valuesByKey) throws InterruptedException, ExecutionException {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        valuesByKey.forEach((key, value) -> acks.add(producer.send(new ProducerRecord<>(topic, key, value))));
        awaitAcks(acks, "a record on " + topic);
    }

    private static void awaitAcks(List<Future<RecordMetadata>> acks, String what)
            throws InterruptedException, ExecutionException {
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("the broker did not acknowledge " + what + " within 30 s", e);
            }
        }
    }

    /** Follows job status and output from now on. */
    JobTail tail() {
        return new JobTail(broker.bootstrapServers());
    }

    /**
     * The bare baseline for one agent: same image, limits, user and workspace as its
     * job containers, and a session directory of its own mounted as {@code ~/.claude}
     * and owned by the job's user, as the runner does for each agent.
     */
    BareDocker bare(String agent) throws IOException {
        Path sessions = Files.createDirectories(root.resolve("bare-sessions").resolve(agent));
        String[] ids = user.split(":");
        try {
            Files.setAttribute(sessions, "unix:uid", Integer.valueOf(ids[0]));
            Files.setAttribute(sessions, "unix:gid", Integer.valueOf(ids[1]));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Not root: the directory is already the user's own.
        }
        return new BareDocker(IMAGE, MEMORY, PIDS_LIMIT, user, workspace, false, sessions, label());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: this is the hook.
        }
        try {
            services.forEach(ServiceProcess::close);
            services.clear();
            stopRunners();
        } finally {
            try {
                Containers.removeLabelled(label());
            } finally {
                try {
                    if (producer != null) {
                        producer.close(Duration.ofSeconds(5));
                    }
                } finally {
                    try {
                        if (broker != null) {
                            broker.close();
                        }
                    } finally {
                        deleteRecursively(root);
                    }
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + dir + " entirely: " + e.getMessage());
        }
    }
}
