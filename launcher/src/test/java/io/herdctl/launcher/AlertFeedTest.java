package io.herdctl.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.Severity;
import io.herdctl.events.Topics;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.TopicClient;

/** The SIEM feed against a real broker: findings as NDJSON, a severity floor, and a group that resumes. */
class AlertFeedTest {

    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.startEphemeral();
        broker.createProjectTopics();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static String finding(String id, Severity severity) {
        return OcsfFinding.json(new AuditAlertRaised(id, Instant.parse("2026-11-29T10:00:00Z"), 1, "job-2026-11-29-feed01",
                "feeder", 7, "rule-" + id, "title " + id, severity, "excerpt", Instant.parse("2026-11-29T09:59:59Z")),
                OcsfFinding.Context.NONE);
    }

    static List<String> feed(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ArrayDeque<String> argv = new ArrayDeque<>(List.of(args));
        argv.add("--bootstrap-server");
        argv.add(broker.bootstrapServers());
        int code = AlertFeed.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void printsFindingsAtOrAboveTheSeverityAndAGroupResumesWhereItStopped() {
        try (TopicClient topics = new TopicClient(broker.bootstrapServers())) {
            topics.send(Topics.ALERTS, "job-2026-11-29-feed01", finding("a1", Severity.LOW));
            topics.send(Topics.ALERTS, "job-2026-11-29-feed01", finding("a2", Severity.HIGH));
            topics.send(Topics.ALERTS, "job-2026-11-29-feed01", finding("a3", Severity.CRITICAL));

            List<String> first = feed("--follow", "--group", "siem-test", "--from-beginning", "--severity", "high",
                    "--max", "2");
            assertEquals(List.of(finding("a2", Severity.HIGH), finding("a3", Severity.CRITICAL)), first);
            assertTrue(first.get(0).contains("\"class_uid\":2004"));

            topics.send(Topics.ALERTS, "job-2026-11-29-feed01", finding("a4", Severity.CRITICAL));
            assertEquals(List.of(finding("a4", Severity.CRITICAL)),
                    feed("--follow", "--group", "siem-test", "--from-beginning", "--max", "1"),
                    "the group resumes after what it printed");
        }
    }
}
