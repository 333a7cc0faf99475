package io.herdctl.runner.service;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.herdctl.events.EventJson;
import io.herdctl.events.JobRequested;
import io.herdctl.events.JobStatusChanged;
import io.herdctl.events.WorkspaceChanges;
import io.herdctl.runner.output.SecretRedactor;
import io.herdctl.runner.workspace.WorkspaceProbe;

/**
 * Takes a job's workspace snapshot before it runs and its changes after, for the
 * terminal status. Whatever goes wrong here is a note in the record, never the job's
 * failure: the job's outcome does not depend on the audit of its workspace, and its
 * terminal status must always go out. Paths and diffs pass the job's
 * {@link SecretRedactor}, as its output lines do.
 */
final class WorkspaceRecorder {

    private static final Logger LOG = Logger.getLogger(WorkspaceRecorder.class);
    /** The terminal status with its changes must stay well under the broker's 1 MiB record limit. */
    static final int MAX_STATUS_BYTES = 512 * 1024;

    /** What was seen before the job: the snapshot, or why there is none. */
    record Before(Path workingDirectory, WorkspaceProbe.Snapshot snapshot, String note) {
    }

    static final WorkspaceRecorder OFF = new WorkspaceRecorder(null);

    private final WorkspaceProbe probe;

    /** @param probe how to look at a workspace; null records nothing */
    WorkspaceRecorder(WorkspaceProbe probe) {
        this.probe = probe;
    }

    /** Before the job starts; null when nothing is recorded for it. */
    Before before(JobRequested job) {
        if (probe == null || job.spec().workingDirectory() == null) {
            return null;
        }
        Path dir = Path.of(job.spec().workingDirectory());
        try {
            return new Before(dir, probe.before(dir), null);
        } catch (RuntimeException e) {
            LOG.warnf("job %s: the workspace could not be read before the job: %s", job.jobId(), e.getMessage());
            return new Before(dir, null, "the state before the job could not be read: " + e.getMessage());
        }
    }

    /** After the job (whatever its end): what it changed, or null when there is nothing to record. */
    WorkspaceChanges after(JobRequested job, Before before, SecretRedactor redactor) {
        if (probe == null || before == null) {
            return null;
        }
        try {
            Path agentFile = job.spec().sourceFile() == null ? null : Path.of(job.spec().sourceFile());
            WorkspaceChanges changes = probe.changes(before.workingDirectory(), before.snapshot(), before.note(),
                    agentFile, redactor::redact);
            if (changes != null && !changes.files().isEmpty()) {
                LOG.infof("job %s changed %d file(s) in its workspace", job.jobId(),
                        changes.files().size() + changes.filesOmitted());
            }
            return changes;
        } catch (RuntimeException e) {
            LOG.warnf(e, "job %s: its workspace changes could not be read", job.jobId());
            return WorkspaceChanges.unavailable("the workspace changes could not be read: " + redactor.redact(
                    String.valueOf(e.getMessage())));
        }
    }

    /**
     * The terminal status with the changes, within {@link #MAX_STATUS_BYTES}: past it the
     * diff is left out (the files stay listed), and past that the list is cut too.
     */
    static JobStatusChanged attach(JobStatusChanged terminal, WorkspaceChanges changes) {
        if (changes == null) {
            return terminal;
        }
        JobStatusChanged with = terminal.withWorkspace(changes);
        if (fits(with)) {
            return with;
        }
        List<String> notes = new ArrayList<>(changes.notes());
        notes.add("the diff is left out: the status record would have been too large");
        WorkspaceChanges noDiff = new WorkspaceChanges(changes.baseline(), changes.headBefore(), changes.headAfter(),
                changes.agentFile(), changes.files(), changes.filesOmitted(), "", true, notes);
        with = terminal.withWorkspace(noDiff);
        if (fits(with)) {
            return with;
        }
        int keep = Math.min(50, changes.files().size());
        notes.add("only the first " + keep + " files are listed: the status record would have been too large");
        return terminal.withWorkspace(new WorkspaceChanges(changes.baseline(), changes.headBefore(), changes.headAfter(),
                changes.agentFile(), changes.files().subList(0, keep),
                changes.filesOmitted() + changes.files().size() - keep, "", true, notes));
    }

    private static boolean fits(JobStatusChanged status) {
        return EventJson.write(status).getBytes(StandardCharsets.UTF_8).length <= MAX_STATUS_BYTES;
    }
}
