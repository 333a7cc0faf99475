package io.herdctl.events;

import java.util.List;

/**
 * What a job changed in its working directory's git repository, as the runner saw it
 * read-only after the job: the optional {@code workspace} of a terminal
 * {@link JobStatusChanged}. Bounded by the runner so the status record stays small:
 * at most {@link #MAX_FILES} files and {@link #MAX_DIFF_BYTES} of diff (UTF-8), secrets
 * redacted as in the output lines.
 *
 * <p>{@code baseline} says what the files are compared with: {@code snapshot} (the
 * repository's status before the job: files the job did not touch are left out, and a
 * file already changed before it is marked {@code preexisting}) or {@code head} (only
 * the state after the job is known; every change since {@code headBefore} is listed).
 * {@code headBefore} and {@code headAfter} are commit ids, null on a branch with no
 * commit yet. {@code agentFile} is the agent's own configuration file relative to the
 * repository's root when it lies inside it. {@code notes} say what could not be
 * recorded and why (git missing, a timeout, a budget reached).
 */
public record WorkspaceChanges(
        String baseline,
        String headBefore,
        String headAfter,
        String agentFile,
        List<ChangedFile> files,
        int filesOmitted,
        String diff,
        boolean diffTruncated,
        List<String> notes) {

    public static final String BASELINE_SNAPSHOT = "snapshot";
    public static final String BASELINE_HEAD = "head";
    public static final int MAX_FILES = 300;
    public static final int MAX_DIFF_BYTES = 64 * 1024;

    public WorkspaceChanges {
        Required.field(baseline, "baseline");
        files = files == null ? List.of() : List.copyOf(files);
        notes = notes == null ? List.of() : List.copyOf(notes);
        diff = diff == null ? "" : diff;
    }

    /** Nothing could be compared: only the notes say why. */
    public static WorkspaceChanges unavailable(String note) {
        return new WorkspaceChanges(BASELINE_HEAD, null, null, null, List.of(), 0, "", false, List.of(note));
    }

    /**
     * One changed path, relative to the repository's root. {@code status} is git's
     * two-letter porcelain code for the working tree ({@code " M"}, {@code "A "},
     * {@code "??"}, {@code "R "}, ...) or, for a change the job committed and left no
     * trace of in the working tree, {@code "C"} followed by git's letter ({@code "CM"},
     * {@code "CA"}, {@code "CD"}); {@code "G"} and a letter for a file of the
     * repository's own git directory (hooks, config), which git never lists.
     * Renames are listed as the deletion and the addition they are made of. {@code "--"}: the
     * file was changed before the job and the job restored it. {@code binary}: listed, never diffed;
     * {@code withheld}: not diffed because the file may hold secrets ({@code .env*},
     * keys); {@code diffTruncated}: its diff was cut at the per-file limit or left out
     * when the total was reached.
     */
    public record ChangedFile(
            String path,
            String status,
            boolean preexisting,
            boolean binary,
            boolean withheld,
            boolean diffTruncated) {

        public ChangedFile {
            Required.field(path, "path");
            Required.field(status, "status");
        }
    }
}
