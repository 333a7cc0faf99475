package io.herdctl.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.herdctl.events.JobStatus;
import io.herdctl.launcher.Spans;

/**
 * Jobs per second through the runner, against the same containers started as
 * bare {@code docker run --rm} with the same image, hardening flags and command,
 * measured in the same run on the same machine.
 * <ul>
 * <li>herdctl: {@code jobs} short jobs ({@code scenario:success}) over 10 agents, so
 * their requests spread over the job-request partitions, published at once
 * through one runner replica ({@code max-parallel-jobs=4}), then through two
 * replicas (4 each); timed from the first publish to receiving the last terminal
 * status. Each batch waits until the runners' consumer group is stable and is
 * preceded by an untimed warm-up of one job per agent. The jobs each replica ran
 * are counted from the {@code runnerId} of the terminal statuses (the name it was
 * given, then a random suffix), with the most it ran at once (from the
 * {@code running} and terminal event times).
 * <li>bare: the same number of containers, 4 at a time (the capacity of one
 * replica) and then 8 at a time (two replicas), each {@code docker run --rm}
 * started, its output read and its exit awaited, after an untimed warm-up round.
 * </ul>
 * Prints seconds and jobs/s for each, and the jobs/s ratios herdctl / bare (1.0:
 * as fast as bare Docker; below: slower).
 *
 * <p>Run: {@code ./herdctl bench runner-throughput [jobs]} (default 100).
 */
public final class RunnerThroughput {

    private static final int AGENTS = 10;
    private static final int CAPACITY = 4;

    private RunnerThroughput() {
    }

    /** One timed batch: how long it took, and for herdctl who ran what. */
    private record Batch(int jobs, long millis, Map<String, Integer> perReplica, Map<String, Integer> peakPerRunner) {
        double jobsPerSecond() {
            return jobs * 1000.0 / millis;
        }
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        RunnerHarness.run("throughput", h -> {
            List<String> agents = new ArrayList<>();
            for (int a = 0; a < AGENTS; a++) {
                agents.add("bench-tp-" + a);
            }

            h.runner("solo", CAPACITY);
            h.awaitRunnerGroup(1, RunnerHarness.READY);
            Batch one = herdctl(h, agents, jobs, "one replica");
            h.stopRunners();

            h.runner("left", CAPACITY);
            h.runner("right", CAPACITY);
            h.awaitRunnerGroup(2, RunnerHarness.READY);
            Batch two = herdctl(h, agents, jobs, "two replicas");
            h.stopRunners();

            Map<String, BareDocker> bare = new TreeMap<>();
            for (String agent : agents) {
                bare.put(agent, h.bare(agent));
            }
            Batch bare4 = bare(bare, agents, jobs, CAPACITY);
            Batch bare8 = bare(bare, agents, jobs, 2 * CAPACITY);

            System.out.printf("""
                    runner-throughput: %d jobs of scenario:success over %d agents; each batch after an untimed warm-up
                                                                    seconds   jobs/s
                    herdctl, 1 replica (max-parallel-jobs=%d)        %7.2f   %6.2f   ran: %s, most at once: %s
                    bare docker run --rm, %d at a time                %7.2f   %6.2f
                    herdctl, 2 replicas (%d each)                     %7.2f   %6.2f   ran: %s, most at once: %s
                    bare docker run --rm, %d at a time                %7.2f   %6.2f
                    jobs/s ratio herdctl / bare: 1 replica vs %d at a time: %.2f; 2 replicas vs %d at a time: %.2f
                    """, jobs, AGENTS,
                    CAPACITY, one.millis / 1000.0, one.jobsPerSecond(), one.perReplica, one.peakPerRunner,
                    CAPACITY, bare4.millis / 1000.0, bare4.jobsPerSecond(),
                    CAPACITY, two.millis / 1000.0, two.jobsPerSecond(), two.perReplica, two.peakPerRunner,
                    2 * CAPACITY, bare8.millis / 1000.0, bare8.jobsPerSecond(),
                    CAPACITY, one.jobsPerSecond() / bare4.jobsPerSecond(),
                    2 * CAPACITY, two.jobsPerSecond() / bare8.jobsPerSecond());
        });
    }

    private static Batch herdctl(RunnerHarness h, List<String> agents, int jobs, String label) throws Exception {
        try (JobTail tail = h.tail()) {
            List<String> warmUp = new ArrayList<>();
            agents.forEach(a -> warmUp.add("warm-up " + label + " scenario:success"));
            awaitAll(tail, h.publishAll(agents, warmUp), "warm-up of " + label);

            List<String> who = new ArrayList<>();
            List<String> prompts = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                who.add(agents.get(i % agents.size()));
                prompts.add(label + " job " + i + " scenario:success");
            }
            List<RunnerHarness.Published> sent = h.publishAll(who, prompts);
            List<JobTail.Trace> traces = awaitAll(tail, sent, label);

            long last = 0;
            Map<String, Integer> perReplica = new TreeMap<>();
            Map<String, List<long[]>> spans = new TreeMap<>();
            for (JobTail.Trace t : traces) {
                last = Math.max(last, t.receivedAt(t.terminal.status()));
                String runnerId = t.terminal.runnerId();
                perReplica.merge(runnerId.substring(0, runnerId.lastIndexOf('-')), 1, Integer::sum);
                spans.computeIfAbsent(runnerId, r -> new ArrayList<>()).add(new long[] {
                    t.statuses.get(JobStatus.RUNNING).time().toEpochMilli(), t.terminal.time().toEpochMilli()});
            }
            Map<String, Integer> peak = new TreeMap<>();
            spans.forEach((runner, s) -> peak.put(runner, Spans.peakOverlap(s)));
            return new Batch(jobs, Stats.millisSince(sent.get(0).sentNanos(), last), perReplica, peak);
        }
    }

    private static List<JobTail.Trace> awaitAll(JobTail tail, List<RunnerHarness.Published> sent, String what) {
        List<JobTail.Trace> traces = sent.stream().map(p -> tail.trace(p.jobId())).toList();
        tail.until(() -> traces.stream().allMatch(t -> t.terminal != null), Duration.ofSeconds(120 + 3L * sent.size()),
                () -> what + ": " + traces.stream().filter(t -> t.terminal != null).count() + " of " + traces.size()
                        + " jobs finished");
        traces.forEach(JobTail.Trace::requireCompleted);
        return traces;
    }

    private static Batch bare(Map<String, BareDocker> bare, List<String> agents, int jobs, int parallel)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Long>> warmUp = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                BareDocker docker = bare.get(agents.get(i % agents.size()));
                warmUp.add(pool.submit(() -> docker.toExit("warm-up scenario:success", null)));
            }
            for (Future<Long> f : warmUp) {
                f.get();
            }
            long start = System.nanoTime();
            List<Future<Long>> runs = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                BareDocker docker = bare.get(agents.get(i % agents.size()));
                String prompt = "bare job " + i + " scenario:success";
                runs.add(pool.submit(() -> docker.toExit(prompt, null)));
            }
            for (Future<Long> f : runs) {
                f.get();
            }
            return new Batch(jobs, Stats.millisSince(start, System.nanoTime()), Map.of(), Map.of());
        } finally {
            pool.shutdownNow();
        }
    }
}
