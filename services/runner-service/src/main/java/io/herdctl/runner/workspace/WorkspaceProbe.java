package io.herdctl.runner.workspace;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

import io.herdctl.events.WorkspaceChanges;

/**
 * Looks at a job's working directory before and after the job, read-only, to say
 * what the job changed there. {@link GitWorkspace} asks git; tests use fakes.
 */
public interface WorkspaceProbe {

    /** The state of the working directory before a job; opaque to the caller. */
    interface Snapshot {
    }

    /**
     * The state before the job, or null when the directory is in no git repository
     * (there is nothing to record then).
     *
     * @throws RuntimeException when the state could not be read (the job runs anyway, and
     *                          {@link #changes} compares with HEAD only)
     */
    Snapshot before(Path workingDirectory);

    /**
     * What changed since {@code before}, or null when the directory is in no git repository.
     * Without {@code before} but with a {@code beforeNote} (the snapshot failed), everything
     * since HEAD; without either (there was no repository before the job), only a note:
     * a repository the job created or pointed its {@code .git} at is not read.
     *
     * @param redact     applied to every path and diff text before it leaves this method
     * @param agentFile  the agent's configuration file, or null
     * @param beforeNote why there is no {@code before}, when there is none; added to the notes
     */
    WorkspaceChanges changes(Path workingDirectory, Snapshot before, String beforeNote, Path agentFile,
            UnaryOperator<String> redact);
}
