package io.herdctl.runner.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import io.herdctl.events.AgentSpec;
import io.herdctl.events.EventJson;
import io.herdctl.events.ExitReason;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatus;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.TriggerType;
import io.herdctl.events.WorkspaceChanges;
import io.herdctl.runner.output.SecretRedactor;
import io.herdctl.runner.workspace.WorkspaceProbe;

/** What the runner puts on a terminal status about the job's workspace, with a fake probe. */
class WorkspaceRecorderTest {

    static final String JOB = "job-2026-03-04-abc123";
    static final Instant T = Instant.parse("2026-03-04T05:06:07Z");
    static final String SECRET = "s3cret-value-of-the-fleet";

    /** Records what it was asked; answers what the test sets. */
    static final class FakeProbe implements WorkspaceProbe {
        final List<String> calls = new ArrayList<>();
        RuntimeException failBefore;
        RuntimeException failChanges;
        String diff = "+token=" + SECRET + "\n";
        String beforeNote;
        Path agentFile;

        @Override
        public Snapshot before(Path workingDirectory) {
            calls.add("before " + workingDirectory);
            if (failBefore != null) {
                throw failBefore;
            }
            return new Snapshot() {
            };
        }

        @Override
        public WorkspaceChanges changes(Path workingDirectory, Snapshot before, String beforeNote, Path agentFile,
                UnaryOperator<String> redact) {
            calls.add("changes " + workingDirectory + (before == null ? " (no snapshot)" : ""));
            this.beforeNote = beforeNote;
            this.agentFile = agentFile;
            if (failChanges != null) {
                throw failChanges;
            }
            return new WorkspaceChanges(WorkspaceChanges.BASELINE_SNAPSHOT, "a1", "b2", "agents/coder.yaml",
                    List.of(new WorkspaceChanges.ChangedFile(redact.apply("notes-" + SECRET + ".md"), "??", false, false,
                            false, false)), 0, redact.apply(diff), false,
                    beforeNote == null ? List.of() : List.of(beforeNote));
        }
    }

    static JobRequested job() {
        AgentSpec spec = new AgentSpec("coder", "coder", List.of(), null, "/fleet/agents/coder.yaml", "/fleet/work", null,
                null, null, null, "acceptEdits", Map.of(),
                new AgentSpec.DockerSpec(true, true, "256m", 256L << 20, null, null, null, 64L, null, Map.of(), 5, "rw",
                        "herdctl/test-agent:latest", "none", null, null, null, Map.of(), null),
                1, null, null, null, null, null, null, null);
        return new JobRequested("e1", T, 1, JOB, "coder", null, TriggerType.MANUAL, "go", null, spec, null);
    }

    static JobStatusChanged terminal() {
        return new JobStatusChanged("e2", T, 1, JOB, "coder", null, TriggerType.MANUAL, JobStatus.COMPLETED,
                ExitReason.SUCCESS, 0, T, T.plusSeconds(3), 3000L, "c1", "r1", null, "done", null, null, 4L);
    }

    final SecretRedactor redactor = new SecretRedactor(Map.of("FLEET_TOKEN", SECRET));

    @Test
    void theChangesGoOnTheTerminalStatusRedactedByTheJobsRedactor() {
        FakeProbe probe = new FakeProbe();
        WorkspaceRecorder recorder = new WorkspaceRecorder(probe);

        WorkspaceRecorder.Before before = recorder.before(job());
        JobStatusChanged sent = WorkspaceRecorder.attach(terminal(), recorder.after(job(), before, redactor));

        assertEquals(List.of("before /fleet/work", "changes /fleet/work"), probe.calls);
        assertEquals(Path.of("/fleet/agents/coder.yaml"), probe.agentFile);
        String wire = EventJson.write(sent);
        assertFalse(wire.contains(SECRET), wire);
        assertTrue(wire.contains("[REDACTED:env:FLEET_TOKEN]"), wire);
        JobStatusChanged read = EventJson.read(wire, JobStatusChanged.class);
        assertEquals(sent, read);
        assertEquals("??", read.workspace().files().get(0).status());
        assertEquals(4L, read.outputLines(), "the rest of the status is untouched");
    }

    @Test
    void aSnapshotThatFailsIsANoteAndTheChangesAreReadAgainstHead() {
        FakeProbe probe = new FakeProbe();
        probe.failBefore = new IllegalStateException("git status exited 128");
        WorkspaceRecorder recorder = new WorkspaceRecorder(probe);

        WorkspaceChanges changes = recorder.after(job(), recorder.before(job()), redactor);

        assertEquals("changes /fleet/work (no snapshot)", probe.calls.get(1));
        assertTrue(changes.notes().get(0).contains("git status exited 128"), changes.notes().toString());
    }

    @Test
    void aProbeThatFailsAfterTheJobNeverStopsItsStatus() {
        FakeProbe probe = new FakeProbe();
        probe.failChanges = new IllegalStateException("disk gone, token " + SECRET);
        WorkspaceRecorder recorder = new WorkspaceRecorder(probe);

        WorkspaceChanges changes = recorder.after(job(), recorder.before(job()), redactor);
        JobStatusChanged sent = WorkspaceRecorder.attach(terminal(), changes);

        assertTrue(sent.workspace().files().isEmpty());
        assertTrue(sent.workspace().notes().get(0).contains("could not be read"));
        assertFalse(EventJson.write(sent).contains(SECRET));
    }

    @Test
    void aStatusTooLargeForTheBrokerLosesItsDiffNotItsFiles() {
        FakeProbe probe = new FakeProbe();
        probe.diff = ("+" + "\u0001".repeat(200) + "\n").repeat(500); // JSON-escaped six times over
        WorkspaceRecorder recorder = new WorkspaceRecorder(probe);

        JobStatusChanged sent = WorkspaceRecorder.attach(terminal(), recorder.after(job(), recorder.before(job()), redactor));

        assertTrue(EventJson.write(sent).getBytes(StandardCharsets.UTF_8).length <= WorkspaceRecorder.MAX_STATUS_BYTES);
        assertEquals("", sent.workspace().diff());
        assertTrue(sent.workspace().diffTruncated());
        assertEquals(1, sent.workspace().files().size());
        assertTrue(sent.workspace().notes().get(0).contains("too large"));
    }

    @Test
    void switchedOffNothingIsReadOrSent() {
        WorkspaceRecorder.Before before = WorkspaceRecorder.OFF.before(job());
        assertNull(before);
        assertNull(WorkspaceRecorder.OFF.after(job(), before, redactor));
        JobStatusChanged t = terminal();
        assertSame(t, WorkspaceRecorder.attach(t, null));
        assertFalse(EventJson.write(t).contains("workspace"), "an absent field is not written");
    }
}
