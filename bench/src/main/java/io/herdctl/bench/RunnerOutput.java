package io.herdctl.bench;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.herdctl.events.JobStatus;

/**
 * How fast a job's output gets onto the output topic, against a bare
 * {@code docker run} of the same image, hardening flags and command writing its
 * stdout to a file, measured in the same run on the same machine. The job prints
 * {@code lines} assistant lines at full speed ({@code scenario:flood:<lines>}), so
 * with the init line and the result line it produces {@code lines + 2} output
 * events, sequence numbers 1 to {@code lines + 2}.
 * <ul>
 * <li>herdctl: one runner replica; from publishing the request until this
 * process has received every output event from the topic, each sequence
 * number once: what arrives is counted and checked for gaps and duplicates. The
 * terminal status is awaited too (the job must complete). To show the figure is
 * the runner's and not this consumer falling behind, it also prints how long
 * after the runner's producer created the last event (its record timestamp)
 * this process received it.
 * <li>bare: from starting {@code docker run --rm} with stdout redirected to a
 * file until it exits; the file's lines are counted.
 * </ul>
 * Both paths are warmed up once with a 1,000-line flood. Prints both times, the
 * ratio herdctl / bare, and lines per second for each.
 *
 * <p>Run: {@code ./herdctl bench runner-output [lines]} (default 100000).
 */
public final class RunnerOutput {

    private static final int WARM_UP_LINES = 1000;
    /** After the terminal status, how long output may still trickle in before what is missing counts as lost. */
    private static final Duration QUIET = Duration.ofSeconds(15);

    private RunnerOutput() {
    }

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        long expected = lines + 2L;
        RunnerHarness.run("output", h -> {
            h.runner("output", 4);
            h.awaitRunnerGroup(1, RunnerHarness.READY);
            String agent = "bench-output";
            BareDocker bare = h.bare(agent);
            Path stdout = h.workspace().resolveSibling("bare-stdout.jsonl");

            JobTail.Trace job;
            RunnerHarness.Published sent;
            try (JobTail tail = h.tail()) {
                flood(h, tail, agent, WARM_UP_LINES, Duration.ofSeconds(120));
                sent = h.publish(agent, "output run scenario:flood:" + lines);
                job = flood(tail, sent, lines, Duration.ofSeconds(120 + lines / 500));
            }
            bare.toExit("warm-up scenario:flood:" + WARM_UP_LINES, stdout);
            long bareMs = bare.toExit("bare run scenario:flood:" + lines, stdout);
            long bareLines = countLines(stdout);
            Files.deleteIfExists(stdout);

            long ms = Stats.millisSince(sent.sentNanos(), job.lastOutputReceived);
            long terminalMs = Stats.millisSince(sent.sentNanos(), job.receivedAt(job.terminal.status()));
            boolean complete = job.distinctLines() == expected && job.maxSeq == expected && job.duplicates == 0;
            System.out.printf("""
                    runner-output: one job printing %,d lines (scenario:flood:%d) = %,d output events expected;
                    both paths warmed up once with %,d lines
                    herdctl: output events received %,d, distinct seq %,d, highest seq %,d, gaps %,d, duplicates %,d: %s
                    herdctl: publish -> every output event received:      %,7d ms   %,9.0f lines/s   (terminal status at %,d ms)
                    herdctl: the last event reached this consumer %d ms after the runner's producer created it
                    bare docker run, stdout to a file -> exited:          %,7d ms   %,9.0f lines/s   (%,d lines in the file)
                    ratio herdctl / bare:                                  %.2f
                    """, lines, lines, expected, WARM_UP_LINES,
                    job.outputRecords, job.distinctLines(), job.maxSeq, job.gaps(), job.duplicates,
                    complete ? "complete" : "INCOMPLETE",
                    ms, expected * 1000.0 / ms, terminalMs, job.lastOutputTransitMillis,
                    bareMs, bareLines * 1000.0 / bareMs, bareLines,
                    (double) ms / bareMs);
            if (!complete || bareLines != expected) {
                throw new IllegalStateException("output incomplete: herdctl delivered " + job.distinctLines()
                        + " distinct lines of " + expected + " (" + job.duplicates + " duplicates), bare printed "
                        + bareLines);
            }
        });
    }

    private static void flood(RunnerHarness h, JobTail tail, String agent, int lines, Duration timeout) throws Exception {
        flood(tail, h.publish(agent, "warm-up scenario:flood:" + lines), lines, timeout);
    }

    /**
     * Waits for the job's terminal status and every output event; once the terminal
     * status is in, output that stays missing for {@link #QUIET} is taken as lost.
     */
    private static JobTail.Trace flood(JobTail tail, RunnerHarness.Published sent, int lines, Duration timeout) {
        long expected = lines + 2L;
        JobTail.Trace t = tail.trace(sent.jobId());
        tail.until(() -> t.terminal != null && (t.distinctLines() >= expected
                || System.nanoTime() - Math.max(t.lastOutputReceived, t.receivedAt(t.terminal.status())) > QUIET.toNanos()),
                timeout, () -> "job " + sent.jobId() + ": " + t.distinctLines() + " of " + expected
                        + " output events, statuses " + t.statuses.keySet());
        t.requireCompleted();
        if (t.statuses.get(JobStatus.RUNNING) == null) {
            throw new IllegalStateException("job " + sent.jobId() + " completed without a running status");
        }
        return t;
    }

    private static long countLines(Path file) throws Exception {
        long n = 0;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            while (r.readLine() != null) {
                n++;
            }
        }
        return n;
    }
}
