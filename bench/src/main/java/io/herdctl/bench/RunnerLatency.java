package io.herdctl.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.herdctl.events.JobStatus;

/**
 * How long the runner takes to get a job going, against a bare {@code docker run}
 * of the same image with the same hardening flags and command, measured in the
 * same run on the same machine. One runner-service replica (its own process) on
 * an in-process broker; each run publishes one {@code scenario:success} request
 * and times, on a consumer of the status and output topics:
 * <ul>
 * <li>publish → {@code running} status received: the runner has read the request,
 * published and confirmed its claim ({@code pending}), created and started the
 * container, and published {@code running};
 * <li>publish → first output event received: the container's first stdout line,
 * read from the engine, parsed and on the output topic.
 * </ul>
 * The baseline, run alternately with the herdctl runs so both see the same machine:
 * <ul>
 * <li>{@code docker run -d} started → CLI returned: the engine has created and
 * started the container (the CLI returns after the start call, the same point at
 * which the runner publishes {@code running});
 * <li>{@code docker run --rm} started → its first stdout line read.
 * </ul>
 * The baseline includes starting the docker CLI process itself (tens of ms),
 * which the runner, talking to the engine's API directly, does not pay; the herdctl
 * figures include publishing the request and two hops through the broker. Both
 * paths are warmed up once before measuring. Prints p50/p95, the p50 overhead
 * (target under 100 ms) and the p50 ratio (target at most 1.2).
 *
 * <p>Run: {@code ./herdctl bench runner-latency [runs]} (default 10).
 */
public final class RunnerLatency {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);
    private static final long TARGET_OVERHEAD_MS = 100;
    private static final double TARGET_RATIO = 1.2;

    private RunnerLatency() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        RunnerHarness.run("latency", h -> {
            long t0 = System.nanoTime();
            h.runner("latency", 4);
            h.awaitRunnerGroup(1, RunnerHarness.READY);
            double startup = (System.nanoTime() - t0) / 1e9;
            String agent = "bench-latency";
            BareDocker bare = h.bare(agent);

            List<Long> running = new ArrayList<>();
            List<Long> firstLine = new ArrayList<>();
            List<Long> bareRunning = new ArrayList<>();
            List<Long> bareFirstLine = new ArrayList<>();
            try (JobTail tail = h.tail()) {
                for (int i = -1; i < runs; i++) { // one warm-up run of each path
                    String prompt = "latency run " + i + " scenario:success";
                    RunnerHarness.Published job = h.publish(agent, prompt);
                    JobTail.Trace t = tail.trace(job.jobId());
                    tail.until(() -> t.firstOutput != null && t.terminal != null, JOB_TIMEOUT,
                            () -> "job " + job.jobId() + " did not finish (statuses seen: " + t.statuses.keySet() + ")");
                    t.requireCompleted();
                    long br = bare.toRunning(prompt);
                    long bf = bare.toFirstLine(prompt);
                    if (i >= 0) {
                        running.add(Stats.millisSince(job.sentNanos(), t.receivedAt(JobStatus.RUNNING)));
                        firstLine.add(Stats.millisSince(job.sentNanos(), t.firstOutputReceived));
                        bareRunning.add(br);
                        bareFirstLine.add(bf);
                    }
                }
            }

            System.out.printf("""
                    runner-latency: 1 runner replica (started and in its group in %.1f s), %d runs of scenario:success
                    each path warmed up once; herdctl and bare runs alternate
                                                                      p50 ms   p95 ms   samples
                    """, startup, runs);
            row("publish -> running status received, herdctl", running);
            row("docker run -d -> returned (started), bare", bareRunning);
            row("publish -> first output event received, herdctl", firstLine);
            row("docker run -> first stdout line, bare", bareFirstLine);
            verdict("container running", running, bareRunning);
            verdict("first output line", firstLine, bareFirstLine);
        });
    }

    private static void row(String what, List<Long> ms) {
        System.out.printf("%-50s %6d   %6d   %s%n", what, Stats.median(ms), Stats.percentile(ms, 95), Stats.sorted(ms));
    }

    private static void verdict(String what, List<Long> ours, List<Long> bare) {
        long overhead = Stats.median(ours) - Stats.median(bare);
        double ratio = (double) Stats.median(ours) / Stats.median(bare);
        System.out.printf("%-18s p50 overhead herdctl - bare: %4d ms (target < %d ms: %s);"
                + " ratio herdctl / bare: %.2f (target <= %.1f: %s)%n", what + ":", overhead, TARGET_OVERHEAD_MS,
                overhead < TARGET_OVERHEAD_MS ? "met" : "MISSED", ratio, TARGET_RATIO,
                ratio <= TARGET_RATIO ? "met" : "MISSED");
    }
}
