package io.herdctl.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.herdctl.events.EventJson;
import io.herdctl.launcher.EmbeddedStack;
import io.herdctl.launcher.StackOptions;
import io.herdctl.launcher.StackOptions.Service;

/**
 * Trigger to first output line, through the whole stack, against the baseline of
 * a bare {@code docker run} of the same image with the same hardening flags,
 * measured in the same run on the same machine. Prints medians and the ratio.
 *
 * <p>Run: {@code ./herdctl bench trigger [runs]}.
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
            try (JobTail tail = new JobTail(stack.bootstrapServers())) {
                awaitAgent(stack);
                for (int i = -2; i < runs; i++) { // two warm-up runs
                    Instant triggered = Instant.now();
                    String jobId = trigger(stack, "bench run " + i + " scenario:success");
                    JobTail.Trace t = tail.trace(jobId);
                    tail.until(() -> t.firstOutput != null && t.terminal != null, Duration.ofSeconds(60),
                            () -> "job " + jobId + " did not finish");
                    t.requireCompleted();
                    if (i >= 0) {
                        firstLine.add(Duration.between(triggered, t.firstOutput.time()).toMillis());
                        completed.add(Duration.between(triggered, t.terminal.time()).toMillis());
                    }
                }
            }
            BareDocker bareDocker = new BareDocker(IMAGE, "512m", 64, BareDocker.defaultUser(), workspace, true, null,
                    "io.herdctl.stack=" + stackId);
            List<Long> bare = new ArrayList<>();
            for (int i = -2; i < runs; i++) {
                long ms = bareDocker.toFirstLine("bare scenario:success");
                if (i >= 0) {
                    bare.add(ms);
                }
            }
            long ours = Stats.median(firstLine);
            long baseline = Stats.median(bare);
            System.out.printf("""
                    stack start-up (broker + 5 services ready):       %.1f s
                    runs:                                              %d (after 2 warm-up runs each)
                    trigger -> first output line, herdctl (median):    %d ms   %s
                    trigger -> completed status, herdctl (median):     %d ms
                    bare docker run -> first output line (median):     %d ms   %s
                    ratio herdctl / bare docker run (first line):      %.2f
                    """, startup, runs, ours, Stats.sorted(firstLine), Stats.median(completed), baseline,
                    Stats.sorted(bare), (double) ours / baseline);
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
}
