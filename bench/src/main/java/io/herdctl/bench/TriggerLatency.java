package io.herdctl.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.herdctl.events.EventJson;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.Topics;
import io.herdctl.launcher.EmbeddedStack;
import io.herdctl.launcher.StackOptions;
import io.herdctl.launcher.StackOptions.Service;

/**
 * Trigger to first output line, through the whole stack, against the baseline of
 * a bare {@code docker run} of the same image with the same hardening flags,
 * measured in the same run on the same machine. Prints medians and the ratio.
 *
 * <p>Run: {@code ./herdctl bench [runs]}.
 */
public final class TriggerLatency {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String IMAGE = "herdctl/test-agent:latest";

    private TriggerLatency() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path home = Path.of(System.getProperty("herdctl.home", ".")).toAbsolutePath().normalize();
        Path root = Files.createTempDirectory("herdctl-bench-");
        Path fleet = root.resolve("fleet");
        Path workspace = fleet.resolve("workspace");
        Files.createDirectories(fleet.resolve("agents"));
        Files.createDirectories(workspace);
        Files.writeString(fleet.resolve("herdctl.yaml"), """
                fleet:
                  name: bench
                defaults:
                  docker:
                    image: %s
                    network: none
                agents:
                  - path: agents/bench.yaml
                """.formatted(IMAGE));
        Files.writeString(fleet.resolve("agents/bench.yaml"), """
                name: bench
                working_directory: ../workspace
                docker:
                  enabled: true
                  workspace_mode: ro
                  memory: 512m
                  pids_limit: 64
                """);

        String stackId = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        long t0 = System.nanoTime();
        try (EmbeddedStack stack = EmbeddedStack.start(StackOptions.isolated(home, fleet, root.resolve("state"), stackId))) {
            double startup = (System.nanoTime() - t0) / 1e9;
            List<Long> firstLine = new ArrayList<>();
            List<Long> completed = new ArrayList<>();
            try (Watcher watcher = new Watcher(stack.bootstrapServers())) {
                awaitAgent(stack);
                for (int i = -2; i < runs; i++) { // two warm-up runs
                    Instant triggered = Instant.now();
                    String jobId = trigger(stack, "bench run " + i + " scenario:success");
                    Instant[] times = watcher.await(jobId, Duration.ofSeconds(60));
                    if (i >= 0) {
                        firstLine.add(Duration.between(triggered, times[0]).toMillis());
                        completed.add(Duration.between(triggered, times[1]).toMillis());
                    }
                }
            }
            List<Long> bare = new ArrayList<>();
            for (int i = -2; i < runs; i++) {
                long ms = bareDockerRunToFirstLine(workspace);
                if (i >= 0) {
                    bare.add(ms);
                }
            }
            long ours = median(firstLine);
            long baseline = median(bare);
            System.out.printf("""
                    stack start-up (broker + 5 services ready):       %.1f s
                    runs:                                              %d (after 2 warm-up runs each)
                    trigger -> first output line, herdctl (median):    %d ms   %s
                    trigger -> completed status, herdctl (median):     %d ms
                    bare docker run -> first output line (median):     %d ms   %s
                    ratio herdctl / bare docker run (first line):      %.2f
                    """, startup, runs, ours, sorted(firstLine), median(completed), baseline, sorted(bare),
                    (double) ours / baseline);
        }
    }

    private static void awaitAgent(EmbeddedStack stack) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(Service.DASHBOARD)
                    + "/api/agents/bench")).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the bench agent never appeared");
    }

    private static String trigger(EmbeddedStack stack, String prompt) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(Service.DASHBOARD)
                + "/api/agents/bench/trigger")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EventJson.write(Map.of("prompt", prompt)))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("trigger answered " + r.statusCode() + ": " + r.body());
        }
        return EventJson.mapper().readTree(r.body()).get("jobId").asText();
    }

    /** The same image and hardening as the runner applies, started by the docker CLI. */
    private static long bareDockerRunToFirstLine(Path workspace) throws IOException, InterruptedException {
        List<String> cmd = List.of("docker", "run", "--rm", "--cap-drop=ALL", "--security-opt", "no-new-privileges:true",
                "--memory", "512m", "--memory-swap", "512m", "--pids-limit", "64", "--init", "--read-only",
                "--tmpfs", "/tmp:rw,nosuid,nodev,size=512m,mode=1777,uid=1000,gid=1000",
                "--tmpfs", "/home/claude:rw,nosuid,nodev,size=512m,mode=0700,uid=1000,gid=1000",
                "--user", "1000:1000", "--network", "none", "-v", workspace + ":/workspace:ro", "-w", "/workspace",
                IMAGE, "claude", "-p", "bare scenario:success", "--output-format", "stream-json", "--verbose");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            if (out.readLine() == null) {
                throw new IllegalStateException("docker run printed nothing");
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            while (out.readLine() != null) {
                // drain
            }
            p.waitFor(60, TimeUnit.SECONDS);
            return ms;
        }
    }

    private static long median(List<Long> values) {
        List<Long> s = sorted(values);
        return s.get(s.size() / 2);
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        return s;
    }


    /** Records when each job's first output line was read and when it finished. */
    private static final class Watcher implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private final Map<String, Instant> first = new HashMap<>();
        private final Map<String, Instant> done = new HashMap<>();

        Watcher(String bootstrap) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.JOB_OUTPUT, Topics.JOB_STATUS)) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        Instant[] await(String jobId, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!(first.containsKey(jobId) && done.containsKey(jobId))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("job " + jobId + " did not finish within " + timeout);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                    if (r.topic().equals(Topics.JOB_OUTPUT)) {
                        JobOutputEmitted line = EventJson.read(r.value(), JobOutputEmitted.class);
                        if (line.seq() == 1) {
                            first.put(line.jobId(), line.time());
                        }
                    } else {
                        JobStatusChanged s = EventJson.read(r.value(), JobStatusChanged.class);
                        if (s.status().isTerminal()) {
                            if (s.status() != io.herdctl.events.JobStatus.COMPLETED) {
                                throw new IllegalStateException("job " + s.jobId() + " ended " + s.status().wire() + ": "
                                        + s.error());
                            }
                            done.put(s.jobId(), s.time());
                        }
                    }
                }
            }
            return new Instant[] {first.get(jobId), done.get(jobId)};
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
