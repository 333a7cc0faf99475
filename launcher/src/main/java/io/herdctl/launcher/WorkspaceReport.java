package io.herdctl.launcher;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A job's workspace changes record (the audit API's {@code workspace} field, or
 * the stored {@code <jobId>.workspace.json}) as text an operator reads in an
 * incident: one line per file with git's status letters and what makes it
 * matter, the notes, then the bounded diff as the runner recorded it.
 */
final class WorkspaceReport {

    private WorkspaceReport() {
    }

    /** {@code markers}: the record says why a file is sensitive (the API's {@code sensitive}; the stored file does not). */
    static String render(String jobId, JsonNode w, boolean markers) {
        StringBuilder s = new StringBuilder();
        s.append("Workspace changes of ").append(jobId).append('\n');
        String baseline = text(w.path("baseline"));
        s.append("baseline:    ").append(baseline == null ? "-" : baseline).append(switch (baseline == null ? "" : baseline) {
            case "snapshot" -> " (compared with a snapshot taken before the job: only what the job changed)";
            case "head" -> " (no snapshot: everything changed since HEAD, the job's or not)";
            default -> "";
        }).append('\n');
        s.append("HEAD before: ").append(orDash(text(w.path("headBefore")))).append('\n');
        s.append("HEAD after:  ").append(orDash(text(w.path("headAfter")))).append('\n');
        s.append("agent file:  ").append(orDash(text(w.path("agentFile")))).append("\n\n");

        JsonNode files = w.path("files");
        int sensitive = 0;
        List<String> rows = new ArrayList<>();
        for (JsonNode f : files) {
            List<String> marks = new ArrayList<>();
            String why = text(f.path("sensitive"));
            if (why != null) {
                marks.add("SENSITIVE: " + why);
                sensitive++;
            }
            if (f.path("preexisting").asBoolean()) {
                marks.add("changed before the job too");
            }
            if (f.path("binary").asBoolean()) {
                marks.add("binary, not diffed");
            }
            if (f.path("withheld").asBoolean()) {
                marks.add("diff withheld (may hold secrets)");
            }
            if (f.path("diffTruncated").asBoolean()) {
                marks.add("diff cut");
            }
            String status = text(f.path("status"));
            rows.add(String.format("  %-3s %s%s", status == null ? "?" : status, TextTable.oneLine(orDash(text(f.path("path")))),
                    marks.isEmpty() ? "" : "   [" + String.join("; ", marks) + "]"));
        }
        s.append("files changed: ").append(files.size());
        if (markers) {
            s.append(", ").append(sensitive).append(" sensitive");
        }
        s.append('\n');
        rows.forEach(r -> s.append(r).append('\n'));
        int omitted = w.path("filesOmitted").asInt();
        if (omitted > 0) {
            s.append("  ... and ").append(omitted).append(" more file(s) not recorded (limit reached)\n");
        }
        s.append("""
                  (status: git's two porcelain letters, index then worktree: M modified, A added, D deleted,
                  R renamed, ?? untracked; C+letter a change the job committed; G+letter the repository's own
                  hooks, config, info/exclude or info/attributes; -- a change found before the job that it undid)
                """);
        JsonNode notes = w.path("notes");
        if (notes.isArray() && !notes.isEmpty()) {
            s.append("\nnotes (what could not be read):\n");
            notes.forEach(n -> s.append("  - ").append(n.asText()).append('\n'));
        }
        String diff = text(w.path("diff"));
        s.append("\ndiff from the pre-job HEAD (at most 16 KiB a file, 64 KiB in all")
                .append(w.path("diffTruncated").asBoolean() ? "; CUT at the limit" : "").append("):\n");
        s.append(diff == null || diff.isEmpty() ? "(none recorded)\n" : diff.endsWith("\n") ? diff : diff + "\n");
        return s.toString();
    }

    private static String text(JsonNode v) {
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
