package io.herdctl.dashboard.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.herdctl.dashboard.domain.JobView;
import io.herdctl.events.JobCancelRequested;

/** What the page templates show, as plain text (the templates escape it); built from the read model or audit-service. */
public final class Rows {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Rows() {
    }

    public record JobRow(String jobId, String agent, String trigger, String status, String created, String started,
            String finished, String duration, String exitCode, String exitReason, String sessionId, String cost,
            int alerts) {

        static JobRow of(JobView j) {
            return new JobRow(j.jobId(), j.agent(), triggered(j.triggerType() == null ? null : j.triggerType().wire(),
                    j.schedule()), j.status().wire(), when(j.createdAt()), when(j.startedAt()), when(j.finishedAt()),
                    took(j.durationMs()), j.exitCode() == null ? "" : j.exitCode().toString(),
                    j.exitReason() == null ? "" : j.exitReason().wire(), j.sessionId() == null ? "" : j.sessionId(),
                    j.usage() == null ? "" : usd(j.usage().totalCostUsd()), 0);
        }

        /** A job as audit-service answers for it, in its list or alone (herdctl's camelCase shape). */
        static JobRow ofAudit(JsonNode j) {
            return new JobRow(j.path("jobId").asText(), j.path("agentName").asText(),
                    triggered(text(j, "triggerType"), text(j, "schedule")), j.path("status").asText(),
                    when(text(j, "createdAt")), when(text(j, "startedAt")), when(text(j, "completedAt")),
                    j.hasNonNull("durationSeconds") ? took(j.path("durationSeconds").asLong() * 1000) : "",
                    j.hasNonNull("exitCode") ? j.path("exitCode").asText() : "", j.path("exitReason").asText(""),
                    j.path("sessionId").asText(""), j.hasNonNull("costUsd") ? usd(j.path("costUsd").asDouble()) : "",
                    j.path("alerts").asInt(0));
        }
    }

    public record LineRow(long seq, String time, String type, String label, String text, String alert) {
    }

    /**
     * What the job changed in its git workspace, as audit-service keeps it: the files
     * with git's status letters ({@code sensitive} says why one matters, or is null),
     * the bounded diff, and what was left out or could not be read.
     */
    public record WorkspaceRow(String baseline, String heads, List<ChangedFileRow> files, int sensitive,
            int filesOmitted, String diff, boolean diffTruncated, List<String> notes) {

        /** From the {@code workspace} of audit-service's job answer; null when the job has none. */
        static WorkspaceRow ofAudit(JsonNode w) {
            if (w == null || !w.isObject()) {
                return null;
            }
            List<ChangedFileRow> files = new java.util.ArrayList<>();
            w.path("files").forEach(f -> files.add(new ChangedFileRow(f.path("status").asText(), f.path("path").asText(),
                    text(f, "sensitive"), fileNote(f))));
            List<String> notes = new java.util.ArrayList<>();
            w.path("notes").forEach(n -> notes.add(n.asText()));
            String before = shortCommit(text(w, "headBefore"));
            String after = shortCommit(text(w, "headAfter"));
            String heads = before == null && after == null ? "" : before != null && before.equals(after)
                    ? "HEAD " + before + " (unchanged)" : "HEAD " + (before == null ? "?" : before) + " → "
                    + (after == null ? "none" : after);
            return new WorkspaceRow("snapshot".equals(text(w, "baseline")) ? "changes made by the job"
                    : "changes since HEAD (no snapshot before the job)", heads, files,
                    (int) files.stream().filter(f -> f.sensitive() != null).count(), w.path("filesOmitted").asInt(0),
                    w.path("diff").asText(""), w.path("diffTruncated").asBoolean(false), notes);
        }

        private static String fileNote(JsonNode f) {
            List<String> notes = new java.util.ArrayList<>();
            if (f.path("preexisting").asBoolean(false)) {
                notes.add("changed before the job too");
            }
            if (f.path("binary").asBoolean(false)) {
                notes.add("binary, not diffed");
            }
            if (f.path("withheld").asBoolean(false)) {
                notes.add("may hold secrets, not diffed");
            }
            if (f.path("diffTruncated").asBoolean(false)) {
                notes.add("diff cut or left out");
            }
            return String.join("; ", notes);
        }

        private static String shortCommit(String id) {
            return id == null ? null : id.length() > 12 ? id.substring(0, 12) : id;
        }
    }

    public record ChangedFileRow(String status, String path, String sensitive, String note) {
    }

    public record ScheduleRow(String name, String kind, String next, String last, String state, String note) {
    }

    public record AgentRow(String name, String description, List<ScheduleRow> schedules, String container,
            int running, String lastStatus, String lastJobId) {
    }

    public record AlertRow(String time, String jobId, String agent, long seq, String ruleId, String title,
            String severity, String excerpt) {

        static AlertRow of(JsonNode a) {
            return new AlertRow(when(text(a, "time")), a.path("jobId").asText(), a.path("agent").asText(),
                    a.path("seq").asLong(), a.path("ruleId").asText(), a.path("title").asText(),
                    a.path("severity").asText(), a.path("excerpt").asText(""));
        }
    }

    /** The fleet's configuration as config-service last evaluated it. */
    public record RevisionRow(String revision, String time, boolean accepted, String inForce, List<String> errors,
            List<String> warnings) {
    }

    /** A label and value of an agent's effective configuration. */
    public record Fact(String name, String value) {
    }

    /** Where a list is, and the links to the pages around it (null when there is none). */
    public record Pager(int from, int to, long total, String previous, String next) {
    }

    /** "by dashboard at 2026-03-04 05:06:07 UTC: reason", for the job page. */
    static String cancel(JobCancelRequested c) {
        return "by " + (c.requestedBy() == null ? "unknown" : c.requestedBy()) + " at " + when(c.time())
                + (c.reason() == null || c.reason().isBlank() ? "" : ": " + c.reason());
    }

    static String triggered(String type, String schedule) {
        return type == null ? "" : type + (schedule != null ? " (" + schedule + ")" : "");
    }

    static String when(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    static String when(String iso) {
        if (iso == null || iso.isBlank()) {
            return "";
        }
        try {
            return when(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    static String took(Long ms) {
        if (ms == null) {
            return "";
        }
        Duration d = Duration.ofMillis(ms);
        return d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s"
                : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    static String usd(Double usd) {
        return usd == null ? "" : String.format(Locale.ROOT, "$%.4f", usd);
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.path(field).asText() : null;
    }
}
