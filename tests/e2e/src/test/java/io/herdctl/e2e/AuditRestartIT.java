package io.herdctl.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.herdctl.events.EventJson;
import io.herdctl.events.ExitReason;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.OutputStream;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.launcher.ServiceProcess;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.TopicClient;

/**
 * The audit record survives its service being killed: the same topics are
 * recorded once by an audit-service left alone (the reference) and once by one
 * killed with SIGKILL twice in the middle of the stream and started again. The
 * logs must be byte for byte the same, with the same alerts, although the stream
 * also holds redelivered lines and a poison record.
 */
class AuditRestartIT {

    static final Instant T = Instant.parse("2026-11-29T09:00:00Z");
    static final String[] JOBS = {"job-2026-11-29-rst001", "job-2026-11-29-rst002"};
    static final int[] LINES = {24_000, 8_000};

    @Test
    void aKilledAndRestartedAuditServiceWritesExactlyTheReferenceRecord() throws IOException {
        Path home = Path.of(System.getProperty("herdctl.home", "../..")).toAbsolutePath().normalize();
        Path root = Files.createTempDirectory("herdctl-audit-restart-");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startEphemeral();
                TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            broker.createProjectTopics();
            publishStream(topics);

            Path reference = root.resolve("reference");
            try (ServiceProcess ref = audit(home, broker, reference, "ref")) {
                awaitComplete(reference, Duration.ofMinutes(3));
            }

            Path crashed = root.resolve("crashed");
            ServiceProcess run = audit(home, broker, crashed, "crash");
            try {
                for (int killAt : new int[] {4_000, 14_000}) {
                    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20))
                            .until(() -> lineCount(crashed, JOBS[0]) >= killAt);
                    run.kill();
                    System.out.printf("[audit-restart] SIGKILL with %d lines of %s on disk%n", lineCount(crashed, JOBS[0]),
                            JOBS[0]);
                    run = audit(home, broker, crashed, "crash");
                }
                awaitComplete(crashed, Duration.ofMinutes(3));
            } finally {
                run.close();
            }

            for (String job : JOBS) {
                byte[] expected = Files.readAllBytes(log(reference, job));
                byte[] actual = Files.readAllBytes(log(crashed, job));
                assertEquals(expected.length, actual.length, job + ": same size as the reference");
                assertArrayEquals(expected, actual, job + ": byte for byte the reference log");
                String text = new String(actual, java.nio.charset.StandardCharsets.UTF_8);
                assertFalse(text.contains("OUTPUT_GAP"), "nothing is missing");
                assertFalse(text.contains("ghp_"), "secrets are masked");
                assertEquals(alertIds(reference, job), alertIds(crashed, job), job + ": the same alerts");
            }
            assertTrue(alertIds(crashed, JOBS[0]).size() >= 2, "the stream raises alerts");
        }
    }

    /** Statuses and interleaved output of two jobs, with a redelivered run of lines and a poison record. */
    private static void publishStream(TopicClient topics) {
        for (int j = 0; j < JOBS.length; j++) {
            topics.send(Topics.JOB_STATUS, JOBS[j], EventJson.write(status(j, JobStatus.RUNNING, null)));
        }
        int[] next = {1, 1};
        while (next[0] <= LINES[0] || next[1] <= LINES[1]) {
            for (int j = 0; j < JOBS.length; j++) {
                for (int k = 0; k < (j == 0 ? 3 : 1) && next[j] <= LINES[j]; k++) {
                    topics.sendAsync(Topics.JOB_OUTPUT, JOBS[j], line(j, next[j]++));
                }
            }
            if (next[0] == 3001) {
                for (int seq = 2900; seq <= 2950; seq++) {
                    topics.sendAsync(Topics.JOB_OUTPUT, JOBS[0], line(0, seq)); // delivered again
                }
                topics.sendAsync(Topics.JOB_OUTPUT, JOBS[0], "{\"this is\": \"not an output line\"");
            }
        }
        topics.flush();
        for (int j = 0; j < JOBS.length; j++) {
            topics.send(Topics.JOB_STATUS, JOBS[j], EventJson.write(status(j, JobStatus.COMPLETED, (long) LINES[j])));
        }
    }

    private static String line(int job, long seq) {
        Map<String, Object> entry = new LinkedHashMap<>();
        String type;
        if (seq % 997 == 0) {
            type = "tool_result";
            entry.put("type", type);
            entry.put("success", false);
            entry.put("error", "EACCES: permission denied, open '/etc/shadow' (" + seq + ")");
        } else if (seq % 2_503 == 0) {
            type = "assistant";
            entry.put("type", type);
            entry.put("content", "the token is ghp_" + "Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk1Ll2 (" + seq + ")");
        } else if (seq % 3 == 0) {
            type = "tool_use";
            entry.put("type", type);
            entry.put("tool_name", "Bash");
            entry.put("input", Map.of("command", "ls -la /workspace/src/module" + seq));
        } else {
            type = "assistant";
            entry.put("type", type);
            entry.put("content", "Working on step " + seq + " of job " + job + ": reading files and making a plan.");
        }
        return EventJson.write(new JobOutputEmitted("o-" + job + "-" + seq, T.plusMillis(seq), 1, JOBS[job], "restart",
                seq, OutputStream.STDOUT, type, EventJson.write(entry), false, entry));
    }

    private static JobStatusChanged status(int job, JobStatus status, Long lines) {
        boolean end = status.isTerminal();
        return new JobStatusChanged("s-" + job + status, end ? T.plusSeconds(60) : T, 1, JOBS[job], "restart", null,
                TriggerType.MANUAL, status, end ? ExitReason.SUCCESS : null, end ? 0 : null, T,
                end ? T.plusSeconds(60) : null, end ? 60_000L : null, "c" + job, "runner-x", null, end ? "done" : null,
                null, null, lines);
    }

    private static ServiceProcess audit(Path home, EmbeddedKafkaBroker broker, Path state, String group) {
        Map<String, String> settings = Map.of(
                "herdctl.audit.state-dir", state.toString(),
                // The terminal statuses are on the topic before the service starts: on a slow machine the default
                // wait for the last lines could run out before the replay reaches them, and mark gaps that are not.
                "herdctl.audit.tail-wait", "10m",
                "mp.messaging.incoming.job-output.group.id", "audit-" + group,
                "mp.messaging.incoming.job-status-in.group.id", "audit-status-" + group,
                "mp.messaging.incoming.job-requests-in.group.id", "audit-requests-" + group);
        return ServiceProcess.start(home, "audit-service", broker.bootstrapServers(), "audit-" + group, state, settings)
                .awaitReady(Duration.ofSeconds(90));
    }

    private static void awaitComplete(Path state, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> lineCount(state, JOBS[0]) >= LINES[0]
                && lineCount(state, JOBS[1]) >= LINES[1]);
    }

    private static Path log(Path state, String job) {
        return state.resolve("jobs").resolve(job + ".jsonl");
    }

    private static long lineCount(Path state, String job) throws IOException {
        Path file = log(state, job);
        if (!Files.exists(file)) {
            return 0;
        }
        long n = 0;
        for (byte b : Files.readAllBytes(file)) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }

    private static Set<String> alertIds(Path state, String job) throws IOException {
        Path file = state.resolve("alerts").resolve(job + ".jsonl");
        if (!Files.exists(file)) {
            return Set.of();
        }
        List<String> lines = Files.readAllLines(file);
        // A threshold rule counts the lines it saw since the service started: after a restart a burst is counted
        // afresh, so its alert may land on another line. Every other alert is a function of its line alone.
        return lines.stream().map(OcsfFinding::read).filter(a -> !a.ruleId().equals("permission-denied-burst"))
                .map(a -> a.eventId()).collect(Collectors.toCollection(TreeSet::new));
    }
}
