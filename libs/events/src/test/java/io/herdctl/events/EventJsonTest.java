package io.herdctl.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void statusEventsRoundTripWithLowerCaseEnums() {
        JobStatusChanged event = new JobStatusChanged(EventIds.random(), Instant.parse("2026-01-02T03:04:05Z"), 1,
                "job-2026-01-02-abc123", "hello", "every-minute", TriggerType.SCHEDULE, JobStatus.COMPLETED,
                ExitReason.SUCCESS, 0, null, null, 1234L, "c0ffee", "runner-1", "sess", "done",
                new JobUsage(10L, 20L, 0L, 0L, 2, 0.01, Map.of()), null);
        String json = EventJson.write(event);
        assertTrue(json.contains("\"status\":\"completed\""), json);
        assertTrue(json.contains("\"triggerType\":\"schedule\""), json);
        assertTrue(json.contains("\"time\":\"2026-01-02T03:04:05Z\""), json);
        assertEquals(event, EventJson.read(json, JobStatusChanged.class));
    }

    @Test
    void workspaceChangesRideOnATerminalStatusAndAnOlderStatusStillReads() {
        JobStatusChanged end = new JobStatusChanged("e1", Instant.parse("2026-01-02T03:04:05Z"), 1,
                "job-2026-01-02-abc123", "hello", null, TriggerType.MANUAL, JobStatus.COMPLETED, ExitReason.SUCCESS, 0,
                null, null, 10L, "c0ffee", "runner-1", null, null, null, null, 3L)
                .withWorkspace(new WorkspaceChanges(WorkspaceChanges.BASELINE_SNAPSHOT, "a1", "b2", null, List.of(
                        new WorkspaceChanges.ChangedFile(".claude/settings.json", "??", false, false, false, false)),
                        0, "+{}\n", false, null));
        String json = EventJson.write(end);
        assertEquals(end, EventJson.read(json, JobStatusChanged.class));
        assertTrue(json.contains("\"workspace\":{\"baseline\":\"snapshot\""), json);

        String older = json.substring(0, json.indexOf(",\"workspace\"")) + "}";
        assertEquals(null, EventJson.read(older, JobStatusChanged.class).workspace());
    }

    @Test
    void missingRequiredFieldIsReportedByName() {
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> EventJson.read(
                "{\"eventId\":\"x\",\"time\":\"2026-01-02T03:04:05Z\",\"schemaVersion\":1,\"agent\":\"a\",\"status\":\"running\"}",
                JobStatusChanged.class));
        assertTrue(e.getMessage().contains("JobStatusChanged"), e.getMessage());
        assertTrue(e.getMessage().contains("'jobId'"), e.getMessage());
    }

    @Test
    void unknownEnumValueListsTheAllowedOnes() {
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> EventJson.read(
                "{\"eventId\":\"x\",\"time\":\"2026-01-02T03:04:05Z\",\"schemaVersion\":1,\"jobId\":\"job-2026-01-02-abc123\","
                        + "\"agent\":\"a\",\"status\":\"exploded\"}",
                JobStatusChanged.class));
        assertTrue(e.getMessage().contains("pending, running, completed, failed, cancelled"), e.getMessage());
    }

    @Test
    void notJsonAndWrongVersionAreMalformed() {
        assertThrows(MalformedEventException.class, () -> EventJson.read("not json", JobRequested.class));
        assertThrows(MalformedEventException.class, () -> EventJson.read("", JobRequested.class));
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> EventJson.read(
                "{\"eventId\":\"x\",\"time\":\"2026-01-02T03:04:05Z\",\"schemaVersion\":2,\"revision\":\"r\"}",
                FleetRevisionEvaluated.class));
        assertTrue(e.getMessage().contains("schemaVersion 2"), e.getMessage());
    }

    @Test
    void jobRequestRejectsIdsOutsideHerdctlFormat() {
        AgentSpec spec = new AgentSpec("a", "a", List.of(), null, null, null, null, null, null, null, null, Map.of(),
                new AgentSpec.DockerSpec(true, true, "2g", 2L << 30, null, null, null, null, null, null, 5, "rw", null,
                        null, null, null, null, null, null),
                1, null, null, null, null, null, null, null);
        assertThrows(IllegalArgumentException.class, () -> new JobRequested("e", Instant.now(), 1, "../x", "a", null,
                TriggerType.MANUAL, "p", null, spec, null));
    }

    @Test
    void theBypassAllowanceTravelsAndAnOlderSpecWithoutItReadsAsNotAllowed() {
        AgentSpec.DockerSpec noDocker = new AgentSpec.DockerSpec(false, true, "2g", 2L << 30, null, null, null, null,
                null, null, 5, "rw", null, null, null, null, null, null, null);
        AgentSpec allowed = new AgentSpec("a", "a", List.of(), null, null, null, null, null, null, null,
                "bypassPermissions", Map.of(), noDocker, 1, null, null, null, null, null, null, null, true);
        String json = EventJson.write(allowed);
        assertTrue(json.contains("\"allowBypassWithoutDocker\":true"), json);
        assertEquals(allowed, EventJson.read(json, AgentSpec.class));
        assertTrue(allowed.bypassesPermissionsWithoutDocker());

        String older = json.replace(",\"allowBypassWithoutDocker\":true", "");
        assertFalse(older.contains("allowBypassWithoutDocker"), older);
        assertFalse(EventJson.read(older, AgentSpec.class).allowBypassWithoutDocker(),
                "a spec published before the field existed carries no allowance");
    }
}
