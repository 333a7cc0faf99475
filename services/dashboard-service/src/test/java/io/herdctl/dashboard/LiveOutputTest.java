package io.herdctl.dashboard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herdctl.events.AuditAlertRaised;
import io.herdctl.events.EventJson;
import io.herdctl.events.ExitReason;
import io.herdctl.events.JobLogAppended;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.OcsfFinding;
import io.herdctl.events.Severity;
import io.herdctl.events.Topics;
import io.herdctl.events.TriggerType;
import io.herdctl.testsupport.EmbeddedKafkaBroker;
import io.herdctl.testsupport.KafkaBrokerResource;
import io.herdctl.testsupport.TopicClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The job page's live stream against a real broker and a stand-in audit-service:
 * history first, then the feed; a line the feed skipped is read from the record;
 * alerts and status changes arrive; the stream ends with the log; a reconnect
 * with Last-Event-ID goes on after the last line it had; agent output stays escaped.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeAudit.Resource.class, restrictToAnnotatedClass = true)
@TestProfile(DashboardTest.NoScheduler.class)
class LiveOutputTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String JOB = "job-2026-03-06-live01";

    EmbeddedKafkaBroker broker;
    FakeAudit audit;

    @TestHTTPResource("/")
    URI base;

    static String stored(int n, String text) {
        return EventJson.write(java.util.Map.of("type", "assistant", "content", text, "timestamp",
                "2026-03-06T10:00:0" + (n % 10) + "Z"));
    }

    @Test
    void followsTheLogFromTheRecordThenTheFeedAndResumesAfterAReconnect() throws Exception {
        audit.append(JOB, stored(1, "first"), stored(2, "<script>alert('x')</script><a href=\"javascript:alert(1)\">go</a>"));
        audit.status(JOB, "running", false);
        List<Long> seen = new ArrayList<>();
        try (TopicClient topics = new TopicClient(broker.bootstrapServers());
                SseClient sse = new SseClient(base.resolve("/jobs/" + JOB + "/live?from=1"), null)) {
            assertEquals("status", sse.next(WAIT).name());
            SseClient.Event one = sse.next(WAIT);
            SseClient.Event two = sse.next(WAIT);
            assertEquals("line", one.name());
            assertEquals("1", one.id());
            assertEquals("2", two.id());
            String html = JSON.readTree(two.data()).path("html").asText();
            assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), html);
            assertFalse(html.contains("<script"), html);
            assertFalse(html.contains("<a href=\"javascript"), html);

            audit.append(JOB, stored(3, "third"));
            topics.send(Topics.JOB_LOG, JOB, EventJson.write(new JobLogAppended(JOB, 3, stored(3, "third"))));
            assertEquals("3", sse.next(WAIT).id());

            // Line 4 never comes on the feed; line 5 does: the stream reads 4 from the record first.
            audit.append(JOB, stored(4, "fourth"), stored(5, "fifth"));
            topics.send(Topics.JOB_LOG, JOB, EventJson.write(new JobLogAppended(JOB, 5, stored(5, "fifth"))));
            SseClient.Event four = sse.next(WAIT);
            SseClient.Event five = sse.next(WAIT);
            assertEquals(List.of("4", "5"), List.of(four.id(), five.id()));
            assertTrue(JSON.readTree(four.data()).path("html").asText().contains("fourth"));

            audit.alert("al-5", JOB, 5, "permission-denied", "Permission denied", "medium");
            topics.send(Topics.ALERTS, JOB, OcsfFinding.json(new AuditAlertRaised("al-5", Instant.now(), 1, JOB, "hello", 5,
                    "permission-denied", "Permission denied", Severity.MEDIUM, "EACCES", null), OcsfFinding.Context.NONE));
            SseClient.Event alert = sse.nextExcept("message", WAIT);
            assertEquals("alert", alert.name());
            JsonNode a = JSON.readTree(alert.data());
            assertEquals(5, a.path("seq").asLong());
            assertEquals("medium: Permission denied", a.path("text").asText());

            audit.status(JOB, "completed", true);
            topics.send(Topics.JOB_STATUS, JOB, EventJson.write(new JobStatusChanged("s-live", Instant.now(), 1, JOB,
                    "hello", null, TriggerType.MANUAL, JobStatus.COMPLETED, ExitReason.SUCCESS, 0, Instant.now(),
                    Instant.now(), 1000L, "c1", "r1", null, "done", null, null, 5L)));
            SseClient.Event status = sse.next(WAIT);
            assertEquals("status", status.name());
            assertEquals("completed", JSON.readTree(status.data()).path("status").asText());
            SseClient.Event end = sse.next(WAIT);
            assertEquals("end", end.name());
            assertEquals(5, JSON.readTree(end.data()).path("lines").asLong());
            assertEquals(SseClient.CLOSED, sse.next(WAIT));
        }

        // A browser that lost the connection after line 3 comes back with Last-Event-ID: 3.
        try (SseClient again = new SseClient(base.resolve("/jobs/" + JOB + "/live?from=1"), "3")) {
            SseClient.Event e;
            while ((e = again.next(WAIT)) != null && e != SseClient.CLOSED) {
                if (e.name().equals("line")) {
                    seen.add(Long.parseLong(e.id()));
                    if (e.id().equals("5")) {
                        assertTrue(JSON.readTree(e.data()).path("html").asText().contains("medium: Permission denied"),
                                "the alert is shown at its line when the line is read again");
                    }
                }
            }
            assertEquals(List.of(4L, 5L), seen);
        }
    }

    @Test
    void refusesWhatIsNotAJobOrALineNumber() throws Exception {
        given().get("/jobs/not-a-job/live").then().statusCode(404);
        given().header("Last-Event-ID", "yesterday").get("/jobs/" + JOB + "/live").then().statusCode(400)
                .body("error.code", equalTo("INVALID_LAST_EVENT_ID"));
    }

    @Test
    void theJobPageRendersTheRecordedLinesAndPointsTheStreamAfterThem() {
        String id = "job-2026-03-06-page01";
        audit.append(id, stored(1, "hello <b>there</b>"));
        audit.status(id, "completed", true);
        audit.stored(id, java.util.Map.of("jobId", id, "agentName", "hello", "status", "completed", "triggerType",
                "manual", "startedAt", "2026-03-06T10:00:00Z", "prompt", "say <i>hi</i>", "usage",
                java.util.Map.of("num_turns", 2, "total_cost_usd", 0.5)));
        String page = given().get("/jobs/" + id).then().statusCode(200).extract().asString();
        assertTrue(page.contains("hello &lt;b&gt;there&lt;/b&gt;"), page);
        assertTrue(page.contains("say &lt;i&gt;hi&lt;/i&gt;"), page);
        assertTrue(page.contains("data-next=\"2\""), page);
        assertTrue(page.contains("2 turns, $0.5000"), page);
        assertNotNull(page);
    }
}
