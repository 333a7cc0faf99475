package io.herdctl.audit.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventJson;
import io.herdctl.events.ExitReason;
import io.herdctl.events.JobLogAppended;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.OutputStream;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.KafkaBrokerResource;
import io.herdctl.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@TestProfile(JobOutputListenerTest.TempStateDir.class)
class JobOutputListenerTest {

    static final Path STATE;

    static {
        try {
            STATE = Files.createTempDirectory("herdctl-state-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static class TempStateDir implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("herdctl.audit.state-dir", STATE.toString(), "herdctl.audit.reorder-window", "2s",
                    "herdctl.audit.tail-wait", "8s");
        }
    }

    EmbeddedKafkaBroker broker;

    private static String line(String job, long seq, String type, String raw, Map<String, Object> entry) {
        return EventJson.write(new JobOutputEmitted("e-" + job + seq, Instant.parse("2026-02-03T04:05:06Z"), 1, job, "agent",
                seq, OutputStream.STDOUT, type, raw, false, entry));
    }

    @Test
    void writesTheJobLogOnceAndAlertsOnPermissionDenied() throws IOException {
        String job = "job-2026-02-03-aaa111";
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.JOB_OUTPUT, job, line(job, 1, "system", "{}", Map.of("type", "system", "content", "start")));
            topics.send(Topics.JOB_OUTPUT, job, line(job, 2, "tool_result", "{\"e\":\"EACCES: permission denied\"}",
                    Map.of("type", "tool_result", "success", false, "error", "EACCES: permission denied")));
            topics.send(Topics.JOB_OUTPUT, job, line(job, 2, "tool_result", "{\"e\":\"EACCES: permission denied\"}",
                    Map.of("type", "tool_result", "success", false, "error", "EACCES: permission denied")));
            topics.send(Topics.JOB_OUTPUT, "bad", line("job-2026-02-03-aaa111/../../x", 1, "system", "{}", Map.of()));
            topics.send(Topics.JOB_OUTPUT, job, line(job, 3, "assistant", "{}", Map.of("type", "assistant", "content", "done")));

            Path log = STATE.resolve("jobs").resolve(job + ".jsonl");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(log) && Files.readAllLines(log).size() == 3);
            List<String> lines = Files.readAllLines(log);
            assertEquals(Map.of("type", "tool_result", "success", false, "error", "EACCES: permission denied",
                    "timestamp", "2026-02-03T04:05:06Z"), EventJson.mapper().readValue(lines.get(1), Map.class));
            assertTrue(lines.get(2).contains("\"content\":\"done\""));

            List<ConsumerRecord<String, String>> alerts = topics.await(Topics.ALERTS, Duration.ofSeconds(10),
                    all -> all.stream().anyMatch(r -> r.key().equals(job))).stream().filter(r -> r.key().equals(job))
                    .toList();
            assertEquals(1, alerts.size(), "the redelivered line raises nothing new");
            AuditAlertRaised alert = OcsfFinding.read(alerts.get(0).value());
            assertEquals(job, alerts.get(0).key());
            assertEquals("permission-denied", alert.ruleId());
            assertEquals(2, alert.seq());

            List<ConsumerRecord<String, String>> dead = topics.await(Topics.DEAD_LETTERS, Duration.ofSeconds(10),
                    r -> !r.isEmpty());
            assertEquals("bad", dead.get(0).key());
            assertTrue(new String(dead.get(0).headers().lastHeader("dead-letter-reason").value()).contains("job id"));
            try (var files = Files.list(STATE.resolve("jobs"))) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().contains("..") || !f.getFileName().toString()
                        .startsWith("job-")), "nothing was written outside the jobs' own files");
            }
            assertTrue(Files.notExists(STATE.resolve("x.jsonl")) && Files.notExists(STATE.resolve("x.yaml")));
        }
    }

    @Test
    void putsEveryLineOnTheFeedExactlyAsTheFileHasIt() throws IOException {
        String job = "job-2026-02-03-feed01";
        String token = "ghp_" + "Aa1Bb2Cc3Dd4Ee5Ff6Gg7Hh8Ii9Jj0Kk1Ll2";
        Path log = STATE.resolve("jobs").resolve(job + ".jsonl");
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.JOB_OUTPUT, job, line(job, 1, "tool_use", "{}", Map.of("type", "tool_use", "tool_name",
                    "Bash", "input", Map.of("command", "git push https://x:" + token + "@github.com/a/b"))));
            topics.send(Topics.JOB_OUTPUT, job, line(job, 3, "assistant", "{}", Map.of("type", "assistant", "content",
                    "third: naïve “quotes” ✓")));
            // Line 2 does not come within the reorder window: its place is marked, then it turns up.
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(log)
                    && Files.readAllLines(log).size() == 3);
            byte[] gapMarker = fileLines(log).get(1);
            topics.send(Topics.JOB_OUTPUT, job, line(job, 2, "assistant", "{}", Map.of("type", "assistant", "content",
                    "second, late")));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readAllLines(log).get(1).contains("second, late"));
            // The job says it wrote 5 lines; 4 and 5 never come and are marked after the tail wait.
            topics.send(Topics.JOB_STATUS, job, EventJson.write(new JobStatusChanged("s-feed", Instant.now(), 1, job,
                    "agent", null, TriggerType.MANUAL, JobStatus.COMPLETED, ExitReason.SUCCESS, 0, Instant.now(),
                    Instant.now(), 0L, null, "runner-a", null, "done", null, null, 5L)));
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readAllLines(log).size() == 5);

            List<ConsumerRecord<String, String>> records = topics.await(Topics.JOB_LOG, Duration.ofSeconds(30),
                    all -> all.stream().filter(r -> job.equals(r.key())).count() >= 6).stream()
                    .filter(r -> job.equals(r.key())).toList();
            List<JobLogAppended> feed = records.stream().map(r -> EventJson.read(r.value(), JobLogAppended.class))
                    .toList();
            assertEquals(List.of(1L, 2L, 3L, 2L, 4L, 5L), feed.stream().map(JobLogAppended::seq).toList(),
                    "each line in the order written; line 2 once as missing, once as it arrived");
            assertTrue(feed.get(1).line().contains("\"code\":\"OUTPUT_GAP\""), feed.get(1).line());
            assertTrue(feed.get(4).line().contains("\"code\":\"OUTPUT_GAP\"")
                    && feed.get(5).line().contains("\"code\":\"OUTPUT_GAP\""),
                    "the lost tail is marked on the feed too");

            List<byte[]> file = fileLines(log);
            List<byte[]> written = List.of(file.get(0), gapMarker, file.get(2), file.get(1), file.get(3), file.get(4));
            for (int i = 0; i < feed.size(); i++) {
                assertEquals(job, feed.get(i).jobId());
                assertArrayEquals(written.get(i), feed.get(i).line().getBytes(StandardCharsets.UTF_8),
                        "feed record " + i + " is the line as written: " + feed.get(i).line());
            }
            assertTrue(feed.get(0).line().contains("https://x:[REDACTED:secret-in-output]@github.com"),
                    feed.get(0).line());
            records.forEach(r -> assertFalse(r.value().contains(token), r.value()));
        }
    }

    private static List<byte[]> fileLines(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                lines.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        return lines;
    }
}
