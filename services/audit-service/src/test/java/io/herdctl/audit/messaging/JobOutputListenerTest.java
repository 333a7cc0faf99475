package io.herdctl.audit.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventJson;
import io.herdctl.events.JobOutputEmitted;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.OutputStream;
import io.herdctl.events.Topics;
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
                    "herdctl.audit.tail-wait", "3s");
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

            List<ConsumerRecord<String, String>> alerts = topics.await(Topics.ALERTS, Duration.ofSeconds(10), r -> !r.isEmpty());
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
}
